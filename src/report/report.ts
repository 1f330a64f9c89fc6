import type { LayerCompression } from '../archive/descriptor.js'
import type { ImageModel, Source } from '../model/model.js'
import type { Verdict } from '../findings/policy.js'
import type { Budget, Growth } from '../findings/budget.js'
import type { Finding } from '../findings/finding.js'
import type { DeletedToolchain, ToolchainScan } from '../findings/toolchain.js'
import { pathUsage, type PathUsage } from '../model/usage.js'
import { binaryFacts, type BinaryFact } from '../findings/binaries.js'
import { goBinaries, type BinaryDiff, type GoBinary } from './godiff.js'
import type { Advice } from '../findings/insight.js'
import type { Waste } from '../findings/waste.js'

/** The JSON report (schemaVersion 1), written to the `report` output path. */
export interface Report {
  schemaVersion: 1
  image: {
    /** What the engine accepts: `docker image inspect <id>` finds it on either store. */
    id: string
    /** The image config's digest; equal to id on the classic store only. */
    configDigest: string | null
    platform: string
    size: number
    compressedSize: number | null
    compressedExact: boolean
    layers: ReportLayer[]
    /** Where the bytes are, for comparing with a baseline. */
    paths: PathUsage[]
  }
  goToolchain: {
    found: boolean
    paths: string[]
    goVersion: string | null
    bytes: number
    layer: number | null
    deleted: DeletedToolchain[]
    hints: string[]
  }
  /** Every ELF executable the container sees, with what it needs to start. */
  binaries: BinaryFact[]
  /** What the image would weigh on scratch or distroless; null when there is nothing to gain. */
  advice: Advice | null
  /** Bytes shipped but overwritten or deleted by a later layer, with the largest paths. */
  wasted: Waste
  budget: Budget | null
  /** The base side of a pull request's comparison; null when there is none (see baselineNote). */
  baseline: Baseline | null
  /** Why there is no baseline, e.g. "new image" or "base did not build: …"; null when compared. */
  baselineNote: string | null
  delta: Delta | null
  /** The max-growth check; null without a growth budget or a baseline. */
  growth: Growth | null
  findings: Finding[]
  passed: boolean
}

/** The baseline, or why there is none. A missing baseline never fails the job by itself. */
export interface BaselineOutcome {
  baseline: Baseline | null
  note: string | null
  /** A base image that was read but not yet measured: the judge measures it as it measures the head. */
  image?: BaseImage
}

/** The base image of a build or baseline-image baseline, with where it came from. */
export interface BaseImage {
  source: Source
  kind: 'build' | 'image'
  ref: string
}

/** Where the "before" of a pull request came from. */
export type BaselineSource = 'build' | 'image' | 'report' | 'history'

/** The base side of a comparison, as far as it is known. */
export interface Baseline {
  source: BaselineSource
  /** The base commit SHA, the image reference, the report path, or the recorded commit. */
  ref: string
  /** How it was found, when that needs saying, e.g. "baseline is from abc1234, 3 commits before the base". */
  note?: string
  /** null when the source cannot know it (a registry manifest has no uncompressed sizes). */
  size: number | null
  compressedSize: number | null
  compressedExact: boolean
  layers: ReportLayer[]
  /** Per-path usage; null when the source has no file listing (a registry manifest). */
  paths: PathUsage[] | null
  /** Its Go binaries, for the module diff; absent when the source has no files (a registry manifest). */
  binaries?: GoBinary[]
}

/** Head minus base, per metric; null where either side does not know the metric. */
export interface Delta {
  size: number | null
  compressedSize: number | null
  /** The module diff of each Go binary head and base both ship. */
  binaries?: BinaryDiff[]
}

export interface ReportLayer {
  diffId: string
  size: number
  compressedSize: number | null
  /** false marks compressedSize as an estimate (gzip of a plain layer). */
  compressedExact: boolean
  /** The blob's compression; absent in reports written before it was recorded. */
  compression?: LayerCompression
  /**
   * Set when compressedSize (and compressedExact) were taken from the baseline's layer of the same
   * diffId instead of being measured: the baseline's source and ref, e.g. `report base.json`.
   */
  compressedFrom?: string
  files: number
  createdBy: string | null
  instruction: string | null
  dockerfileLine: number | null
}

export interface Insight {
  binaries: BinaryFact[]
  advice: Advice | null
  wasted: Waste
}

export function buildReport(model: ImageModel, scan: ToolchainScan, verdict: Verdict, insight: Insight): Report {
  const [main] = scan.toolchains
  return {
    schemaVersion: 1,
    image: {
      id: model.id,
      configDigest: model.configDigest ?? null,
      platform: model.platform,
      size: model.size,
      compressedSize: model.compressedSize ?? null,
      compressedExact: model.compressedExact,
      layers: reportLayers(model),
      paths: pathUsage(model.filesystem)
    },
    goToolchain: {
      found: scan.toolchains.length > 0,
      paths: scan.toolchains.flatMap((toolchain) => toolchain.binaries.map((binary) => `/${binary}`)),
      goVersion: main?.goVersion ?? null,
      bytes: scan.toolchains.reduce((total, toolchain) => total + toolchain.bytes, 0),
      layer: main?.layer ?? null,
      deleted: scan.deleted.map((deleted) => ({ ...deleted, root: `/${deleted.root}` })),
      hints: scan.hints
    },
    binaries: insight.binaries,
    advice: insight.advice,
    wasted: insight.wasted,
    budget: verdict.budget,
    baseline: null,
    baselineNote: null,
    delta: null,
    growth: verdict.growth,
    findings: verdict.findings,
    passed: verdict.passed
  }
}

/** The report's view of a model's layers. */
export function reportLayers(model: ImageModel): ReportLayer[] {
  return model.layers.map((layer) => ({
    diffId: layer.diffId,
    size: layer.size,
    compressedSize: layer.compressedSize ?? null,
    compressedExact: layer.compressedExact,
    ...(layer.compression ? { compression: layer.compression } : {}),
    ...(layer.compressedFrom ? { compressedFrom: layer.compressedFrom } : {}),
    files: layer.files,
    createdBy: layer.createdBy ?? null,
    instruction: layer.instruction ?? null,
    dockerfileLine: layer.dockerfileLine ?? null
  }))
}

/** The JSON report of a multi-platform run: one full report per platform; the worst decides. */
export interface MultiPlatformReport {
  schemaVersion: 1
  passed: boolean
  platforms: Report[]
}

/** The base side's figures, mapped from its model as the head's are. */
export function baselineFromModel(model: ImageModel, source: BaselineSource, ref: string): Baseline {
  return {
    source,
    ref,
    size: model.size,
    compressedSize: model.compressedSize ?? null,
    compressedExact: model.compressedExact,
    layers: reportLayers(model),
    paths: pathUsage(model.filesystem),
    binaries: goBinaries(binaryFacts(model.filesystem))
  }
}
