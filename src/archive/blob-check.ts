/**
 * A layout names each blob by the digest of its content; a blob whose content hashes to another digest
 * is damaged or forged, and nothing read from it may be trusted.
 */
import { createHash, type Hash } from 'node:crypto'
import { ArchiveError, digestOfPath } from './image-documents.js'
import type { LayerScan } from './layer.js'
import type { EntrySink } from './tar.js'

/** Thrown when a blob's content does not hash to the digest its path names. */
export class BlobDigestMismatch extends ArchiveError {
  constructor(
    readonly path: string,
    readonly actual: string
  ) {
    super(`blob ${path} is damaged: its content hashes to ${actual}, not the digest its name claims`)
  }
}

/** Hashes a blob as it streams by; `verify()` throws when it is not the blob its path names. */
export class BlobHash {
  private readonly hash: Hash
  private readonly algorithm: string

  constructor(
    private readonly path: string,
    private readonly expected: string
  ) {
    this.algorithm = expected.slice(0, expected.indexOf(':'))
    this.hash = createHash(this.algorithm)
  }

  /** A hash for a path that names a digest; none for other paths (`<id>/layer.tar`, `manifest.json`). */
  static forPath(path: string): BlobHash | undefined {
    const digest = digestOfPath(path)
    return digest === undefined ? undefined : new BlobHash(path, digest)
  }

  update(chunk: Uint8Array): void {
    this.hash.update(chunk)
  }

  verify(): void {
    const actual = `${this.algorithm}:${this.hash.digest('hex')}`
    if (actual !== this.expected) throw new BlobDigestMismatch(this.path, actual)
  }
}

/** A layer's sink, hashed on the way through. */
export class CheckedLayerSink implements EntrySink {
  constructor(
    private readonly inner: EntrySink & { result(): LayerScan },
    private readonly hash: BlobHash
  ) {}

  write(chunk: Uint8Array): void | Promise<void> {
    this.hash.update(chunk)
    return this.inner.write(chunk)
  }

  async end(): Promise<void> {
    this.hash.verify()
    await this.inner.end()
  }

  result(): LayerScan {
    return this.inner.result()
  }
}
