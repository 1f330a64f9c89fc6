import { GzipSizeEstimator } from './compress.js'
import { FingerprintWalker, fingerprintOf } from './entry-fingerprint.js'
import { implausibleFigure } from './known-compressed.js'
import type { StoredAnalysis } from './layer-analysis.js'
import type { LayerScan } from './layer.js'
import { LayerDigest } from './layer-digest.js'
import { PathTree } from './path-tree.js'
import type { EntrySink } from './tar.js'

/** A layer analysis the reader may take instead of analysing the layer, once its digest proves it is that layer. */
export interface Candidate {
  diffId: string
  scan: LayerScan
  /** The scale the run applied to its gzip estimate (gzipScaleFor), when it made one. */
  gzipScale?: number
  /** For an earlier run's analysis: the fingerprint of its entries, which the layer's own headers must give. */
  fingerprint?: string
}

/** How the compressed size of a candidate from the index is settled: its own estimate, or a deflate while it is hashed. */
export interface CompressedWish {
  gzipLevel: number
  gzipScale: number
}

/** An analysis the layer index offered: the scan, once read and checked, and where it came from. */
interface Offered {
  reading: Promise<StoredAnalysis | undefined>
  from: string
}

/**
 * Layer analyses that stand in for layers, by diffId: those analysed earlier in this run (a pull
 * request's base and head share layers) and those the layer index offers from earlier runs. `docker
 * save` names a shared layer differently in each image, so a layer is recognised by its exact tar length
 * among the image's own diffIds, then proven by its digest.
 */
export class LayerCache {
  private readonly byDiffId = new Map<string, Candidate>()
  private readonly offered = new Map<string, Offered>()
  private readonly disproved = new Set<string>()
  /** The paths of every layer read through this cache, so a reused layer shares its tree with the image reusing it. */
  readonly paths = new PathTree()

  add(diffIds: string[], scans: LayerScan[], gzipScale = 1): void {
    diffIds.forEach((diffId, index) => {
      const scan = scans[index]
      // Only plain layers: a gzip blob's tar length is not known up front, so it could never match.
      if (scan && scan.compression === 'none' && !this.byDiffId.has(diffId)) this.byDiffId.set(diffId, { diffId, scan, gzipScale })
    })
  }

  /** The plain layers this run analysed itself, each once: what the layer index may keep. */
  analysed(): Candidate[] {
    return [...this.byDiffId.values()].filter((entry) => entry.scan.analysisFrom === undefined)
  }

  /** Drops an analysis the layer proved wrong, so the layer is analysed afresh and its index entry replaced. */
  forget(diffId: string): void {
    this.byDiffId.delete(diffId)
    this.offered.delete(diffId)
    this.disproved.add(diffId)
  }

  /** Whether an analysis of this layer was proved wrong in this run. */
  wasDisproved(diffId: string): boolean {
    return this.disproved.has(diffId)
  }

  /** The index's analysis of a layer, being read into `paths`; undefined when it turned out unusable (its reader warned). */
  offer(diffId: string, reading: Promise<StoredAnalysis | undefined>, from: string): void {
    if (!this.byDiffId.has(diffId)) this.offered.set(diffId, { reading, from })
  }

  /** Finds the one layer of the expected image whose tar is `tarBytes` long; ambiguity means none. */
  async candidate(expected: readonly string[], tarBytes: number, compressed?: CompressedWish): Promise<Candidate | undefined> {
    await this.settle(expected, compressed)
    const matches = expected.map((diffId) => this.byDiffId.get(diffId)).filter((entry) => entry?.scan.tarBytes === tarBytes)
    return matches.length === 1 ? matches[0] : undefined
  }

  /** How many of these scans were analysed earlier in this run rather than now or by an earlier run. */
  reused(scans: readonly LayerScan[]): number {
    const cached = new Set([...this.byDiffId.values()].map((entry) => entry.scan))
    return scans.filter((scan) => cached.has(scan) && scan.analysisFrom === undefined).length
  }

  /** Waits for the index's analyses of the expected layers, and files the usable ones. */
  private async settle(expected: readonly string[], compressed?: CompressedWish): Promise<void> {
    for (const diffId of expected) {
      const offer = this.offered.get(diffId)
      if (!offer) continue
      this.offered.delete(diffId)
      const stored = await offer.reading
      if (!stored) continue
      const scan = { ...withStoredEstimate(stored, offer.from, compressed), analysisFrom: offer.from }
      this.byDiffId.set(diffId, { diffId, scan, fingerprint: fingerprintOf(scan.entries) })
    }
  }
}

/**
 * The stored scan with its compressed size when one is wanted: the writer's estimate when it was made
 * at the same scale and the layer's length allows it, marked reused; else none, so it is deflated as it is hashed.
 */
function withStoredEstimate(stored: StoredAnalysis, from: string, compressed?: CompressedWish): LayerScan {
  const { scan, estimate } = stored
  if (!compressed || !estimate || estimate.gzipScale !== compressed.gzipScale) return scan
  const known = { compressedSize: estimate.size, from }
  const refused = implausibleFigure(known, scan.tarBytes, `${from} entry`)
  if (refused) return { ...scan, compressedRefused: refused }
  return { ...scan, compressedSize: estimate.size, compressedFrom: from }
}

/** Thrown when a layer taken for a cached one turns out to differ: the caller forgets that analysis and analyses afresh. */
export class LayerCacheMiss extends Error {
  override readonly name = 'LayerCacheMiss'

  constructor(
    message: string,
    readonly diffId: string
  ) {
    super(message)
  }
}

/**
 * Drains a layer while hashing it, proving it is the cached layer it was taken for. An earlier run's
 * analysis must also list the files the layer's headers list (its fingerprint). When the cached analysis
 * has no compressed size and one is wanted, the layer is deflated as it passes, and nothing else.
 */
export class VerifyingSink implements EntrySink {
  private readonly digest: LayerDigest
  private readonly walker: FingerprintWalker | undefined
  private readonly estimate: GzipSizeEstimator | undefined
  private estimated: number | undefined

  constructor(
    readonly candidate: Candidate,
    compressed?: CompressedWish
  ) {
    this.digest = new LayerDigest(candidate.diffId)
    if (candidate.fingerprint !== undefined) this.walker = new FingerprintWalker()
    const missing = compressed && candidate.scan.compressedSize === undefined
    if (missing) this.estimate = new GzipSizeEstimator({ level: compressed.gzipLevel, scale: compressed.gzipScale })
  }

  /** The cached scan; only valid once end() has proven the layer. */
  result(): LayerScan {
    const { scan } = this.candidate
    if (this.estimated === undefined) return scan
    return { ...scan, compressedSize: this.estimated, compressedFrom: undefined, deflatedBytes: scan.tarBytes }
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.digest.update(chunk)
    const pending = this.estimate?.write(chunk)
    await this.walker?.push(chunk)
    if (pending) await pending
  }

  async end(): Promise<void> {
    if (this.estimate) this.estimated = await this.estimate.end()
    const { diffId, scan, fingerprint } = this.candidate
    const actual = this.digest.mismatch()
    if (actual !== undefined) throw new LayerCacheMiss(`layer ${actual} was taken for ${diffId}`, diffId)
    if (this.walker && (await this.walker.digest()) !== fingerprint) {
      throw new LayerCacheMiss(
        `the ${scan.analysisFrom ?? 'earlier'} analysis of ${diffId} does not list the files the layer holds`,
        diffId
      )
    }
  }
}
