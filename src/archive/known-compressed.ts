/**
 * Compressed sizes measured before (by a baseline: a history record, a saved report, a built base),
 * reused for plain layers of the same content, so they are scanned but not deflated again.
 */
import { LayerDigest } from './layer-digest.js'
import { LayerScanner, type LayerScan, type LayerScanOptions } from './layer.js'
import type { EntrySink } from './tar.js'

/** A layer's compressed size as another analysis measured it. */
export interface KnownCompressed {
  compressedSize: number
  compressedExact: boolean
  /** Where the figure came from, as the report names it, e.g. `report base.json`. */
  from: string
}

/** Compressed sizes by diffId (the sha256 of the uncompressed layer tar). */
export type KnownCompressedSizes = ReadonlyMap<string, KnownCompressed>

/** Thrown when a layer blob's content does not hash to the digest its name claims: the archive is damaged. */
export class LayerDigestMismatch extends Error {
  override readonly name = 'LayerDigestMismatch'

  constructor(
    readonly path: string,
    readonly claimed: string,
    readonly actual: string
  ) {
    super(`image archive layer ${path} is damaged: its content hashes to ${actual}, not the ${claimed} its name claims`)
  }
}

const BLOB_PATH = /^blobs\/sha256\/([0-9a-f]{64})$/

/**
 * The diffId a plain layer's archive path names: an OCI layout (and `docker save` since Docker 25) keeps
 * blobs under their digest, which for an uncompressed blob is its diffId. Legacy `<id>/layer.tar` names
 * carry no digest, so they name none.
 */
export function claimedDiffId(path: string): string | undefined {
  const hex = BLOB_PATH.exec(path)?.[1]
  return hex === undefined ? undefined : `sha256:${hex}`
}

/** Scans a plain layer without the gzip estimate, hashing it as it streams to prove it is the layer whose size it takes. */
export class KnownLayerScanner implements EntrySink {
  private readonly scanner: LayerScanner
  private readonly digest: LayerDigest

  constructor(
    private readonly path: string,
    private readonly diffId: string,
    private readonly known: KnownCompressed,
    options: LayerScanOptions
  ) {
    this.scanner = new LayerScanner('none', { ...options, estimateCompressed: false })
    this.digest = new LayerDigest(diffId)
  }

  write(chunk: Uint8Array): Promise<void> {
    this.digest.update(chunk)
    return this.scanner.write(chunk)
  }

  async end(): Promise<void> {
    await this.scanner.end()
    const actual = this.digest.mismatch()
    if (actual !== undefined) throw new LayerDigestMismatch(this.path, this.diffId, actual)
  }

  result(): LayerScan {
    const { compressedSize, compressedExact, from } = this.known
    return { ...this.scanner.result(), compressedSize, compressedExact, compressedFrom: from }
  }
}
