import type { ImageModel, Source } from '../model/model.js'
import type { Verdict } from '../findings/policy.js'
import type { ToolchainScan } from '../findings/toolchain.js'
import { pathUsage } from '../model/usage.js'
import { binaryFacts, type BinaryFact } from '../findings/binaries.js'
import { goBinaries } from './godiff.js'
import type { Advice } from '../findings/insight.js'
import type { Waste } from '../findings/waste.js'
import type { Baseline, BaselineSource, Report, ReportLayer } from './report-schema.js'

// The persisted types are inferred from the report's schema; they are re-exported here with the code that builds them.
export type { Baseline, BaselineSource, Delta, MultiPlatformReport, Report, ReportFile, ReportLayer } from './report-schema.js'

/** The baseline, or why there is none. A missing baseline never fails the job by itself. */
export interface BaselineOutcome {
  baseline: Baseline | null
  note: string | null
  /** A baseline image that was read but not yet measured: the judge measures it as it measures the head. */
  image?: BaselineImage
}

/** The image of a build or baseline-image baseline, with where it came from. */
export interface BaselineImage {
  source: Source
  kind: 'build' | 'image'
  ref: string
  /** Why this image is the baseline, when that needs saying, e.g. why the base was built despite a history. */
  note?: string
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
      paths: pathUsage(model.filesystem),
      parentImage: null
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
    softBudget: verdict.softBudget,
    baseline: null,
    baselineNote: null,
    delta: null,
    growth: verdict.growth,
    findings: verdict.findings,
    passed: verdict.passed,
    origin: null
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
    ...(layer.analysisFrom ? { analysisFrom: layer.analysisFrom } : {}),
    files: layer.files,
    createdBy: layer.createdBy ?? null,
    instruction: layer.instruction ?? null,
    dockerfileLine: layer.dockerfileLine ?? null
  }))
}

/** The baseline's figures, mapped from its model as the head's are. */
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
