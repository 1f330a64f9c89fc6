import { createHash, type Hash } from 'node:crypto'

/** The sha256 of a layer tar as it streams by, held against the diffId the layer is taken for. */
export class LayerDigest {
  private readonly hash: Hash = createHash('sha256')

  constructor(readonly expected: string) {}

  update(chunk: Uint8Array): void {
    this.hash.update(chunk)
  }

  /** The digest the content has, or undefined when it is the expected one. */
  mismatch(): string | undefined {
    const digest = `sha256:${this.hash.digest('hex')}`
    return digest === this.expected ? undefined : digest
  }
}
