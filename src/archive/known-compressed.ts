/**
 * Compressed sizes measured before by a trusted run (the size history's record of the base), reused for
 * plain layers of the same content, so they are scanned but not deflated again. A reused figure is never
 * exact, and one that the layer's own length rules out is refused and measured instead.
 */
import { LayerDigest } from './layer-digest.js'
import { LayerScanner, type LayerScan, type LayerScanOptions } from './layer.js'
import type { EntrySink } from './tar.js'

/** A layer's compressed size as another analysis measured it. */
export interface KnownCompressed {
  compressedSize: number
  /** Where the figure came from, as the report names it, e.g. `history 0123abc`. */
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

/** deflate writes at least 1 byte per 1,032 it encodes: one 258-byte match costs at least 2 bits (RFC 1951). */
const DEFLATE_MAX_RATIO = 1032
/** gzip's header and trailer (RFC 1952). */
const GZIP_FRAMING_BYTES = 18
/** Stored blocks add 5 bytes per 65,535; Go's deflate writes up to 2.4% more than zlib (gzipScaleFor), so 3% more is allowed. */
const STORED_BLOCK_BYTES = 65_535
const ENCODER_SLACK = 1.03

/** The compressed sizes a gzip of `tarBytes` bytes can have: a figure outside them was not measured on this layer. */
export function compressedSizeBounds(tarBytes: number): { least: number; most: number } {
  const least = Math.ceil(tarBytes / DEFLATE_MAX_RATIO) + GZIP_FRAMING_BYTES
  const most = Math.ceil((tarBytes + 5 * Math.ceil(tarBytes / STORED_BLOCK_BYTES) + GZIP_FRAMING_BYTES) * ENCODER_SLACK)
  return { least, most }
}

/** Why `known` cannot be a gzip of a `tarBytes`-byte layer, or undefined when it can. */
export function implausibleFigure(known: KnownCompressed, tarBytes: number, path: string): string | undefined {
  const { least, most } = compressedSizeBounds(tarBytes)
  if (known.compressedSize >= least && known.compressedSize <= most) return undefined
  const limit = known.compressedSize < least ? `no gzip of it is under ${least} B` : `no gzip of it is over ${most} B`
  return `${known.from} gives layer ${path} a compressed size of ${known.compressedSize} B, but the layer is ${tarBytes} B and ${limit}; measured instead`
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

  /** The known figure, marked as reused: never exact, since this run did not measure it. */
  result(): LayerScan {
    const { compressedSize, from } = this.known
    return { ...this.scanner.result(), compressedSize, compressedExact: false, compressedFrom: from }
  }
}
