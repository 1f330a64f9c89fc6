import type { LayerScan } from './layer.js'
import { LayerDigest } from './layer-digest.js'
import { PathTree } from './path-tree.js'
import type { EntrySink } from './tar.js'

/** A scanned layer whose content digest (diffId) is known. */
interface Cached {
  diffId: string
  scan: LayerScan
}

/** The cached layer a reader expects to see again, and how to confirm it is really that layer. */
export interface Candidate {
  diffId: string
  scan: LayerScan
}

/**
 * Layers already analysed in this run, by diffId, so that layers a pull request's base shares with
 * its head are analysed once. `docker save` names a shared layer differently in each image, so a
 * layer is recognised by its exact tar length among the image's own diffIds, then proven by its digest.
 */
export class LayerCache {
  private readonly byDiffId = new Map<string, Cached>()
  /** The paths of every layer read through this cache, so a reused layer shares its tree with the image reusing it. */
  readonly paths = new PathTree()

  add(diffIds: string[], scans: LayerScan[]): void {
    diffIds.forEach((diffId, index) => {
      const scan = scans[index]
      // Only plain layers: a gzip blob's tar length is not known up front, so it could never match.
      if (scan && !scan.compressedExact) this.byDiffId.set(diffId, { diffId, scan })
    })
  }

  /** Finds the one cached layer of the expected image whose tar is `tarBytes` long; ambiguity means none. */
  candidate(expected: readonly string[], tarBytes: number): Candidate | undefined {
    const matches = expected.map((diffId) => this.byDiffId.get(diffId)).filter((entry) => entry?.scan.tarBytes === tarBytes)
    return matches.length === 1 ? matches[0] : undefined
  }

  /** How many of these scans came from the cache rather than a fresh analysis. */
  reused(scans: readonly LayerScan[]): number {
    const cached = new Set([...this.byDiffId.values()].map((entry) => entry.scan))
    return scans.filter((scan) => cached.has(scan)).length
  }
}

/** Thrown when a layer taken for a cached one turns out to differ: the caller analyses afresh. */
export class LayerCacheMiss extends Error {
  override readonly name = 'LayerCacheMiss'
}

/** Drains a layer while hashing it, proving it is the cached layer it was taken for. */
export class VerifyingSink implements EntrySink {
  private readonly digest: LayerDigest

  constructor(readonly candidate: Candidate) {
    this.digest = new LayerDigest(candidate.diffId)
  }

  /** The cached scan; only valid once end() has proven the layer. */
  result(): LayerScan {
    return this.candidate.scan
  }

  write(chunk: Uint8Array): void {
    this.digest.update(chunk)
  }

  end(): void {
    const actual = this.digest.mismatch()
    if (actual !== undefined) throw new LayerCacheMiss(`layer ${actual} was taken for ${this.candidate.diffId}`)
  }
}
