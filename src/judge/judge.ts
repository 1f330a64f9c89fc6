/**
 * The pure tail of the pipeline, everything after the archives have been read: the image model, the
 * rules' findings and the head-minus-baseline delta, made into one report.
 */
import { buildImageModel, type Source } from '../model/model.js'
import { binaryFacts } from '../findings/binaries.js'
import { advice, insightFindings } from '../findings/insight.js'
import { wastedBytes } from '../findings/waste.js'
import { evaluate, type PolicyOptions } from '../findings/policy.js'
import { scanToolchains } from '../findings/toolchain.js'
import { deltaOf, ownLayerFigures } from '../report/delta.js'
import { diffGoBinaries } from '../report/godiff.js'
import {
  baselineFromModel,
  buildReport,
  reportLayers,
  type BaselineImage,
  type Baseline,
  type BaselineOutcome,
  type Delta,
  type Report,
  type ReportLayer
} from '../report/report.js'
import type { GrowthScope, Limit, SizeMetric } from '../size.js'

/** The rules as the user set them: the budgets, and which findings fail the job. */
export interface JudgeOptions {
  sizeMetric: SizeMetric
  maxSize?: number
  maxGrowth?: Limit
  maxWasted?: Limit
  failOnGoToolchain: boolean
  failOnBrokenEntrypoint: boolean
  /** warn-size: a soft budget on the same metric. */
  warnSize?: number
  /** What max-growth judges: the whole image, or the layers the Dockerfile adds on top of its FROM image. */
  growthScope: GrowthScope
}

/** The report of one image read from `source`, against the baseline `outcome` found. */
export function judge(source: Source, outcome: BaselineOutcome, options: JudgeOptions): Report {
  const model = buildImageModel(source.archive, source.stage, source.engineSizes)
  const baseline = outcome.image ? measuredBaseline(outcome.image) : outcome.baseline
  const scan = scanToolchains(model.filesystem, model.env)
  const binaries = binaryFacts(model.filesystem)
  const wasted = wastedBytes(model.filesystem)
  const insightOptions = {
    failOnBrokenEntrypoint: options.failOnBrokenEntrypoint,
    waste: wasted,
    ...(options.maxWasted ? { maxWasted: options.maxWasted } : {}),
    ...(source.stage ? { stage: source.stage } : {})
  }
  // Head minus baseline, once: the growth check judges it and the report carries it to the comment.
  const delta = baseline ? deltaOf({ size: model.size, compressedSize: model.compressedSize ?? null }, baseline) : null
  const head = { source, layers: reportLayers(model) }
  const verdict = evaluate(model, scan, policyOptions(options, head, baseline, delta), insightFindings(model, binaries, insightOptions))
  const insight = { binaries, advice: advice(model, binaries), wasted }
  const built = buildReport(model, scan, verdict, insight)
  const report = { ...built, image: { ...built.image, parentImage: source.stage?.base ?? null }, baseline, baselineNote: outcome.note }
  if (baseline && delta) report.delta = { ...delta, binaries: diffGoBinaries(binaries, baseline.binaries ?? []) }
  return report
}

function measuredBaseline(image: BaselineImage): Baseline {
  const { archive, stage, engineSizes } = image.source
  const baseline = baselineFromModel(buildImageModel(archive, stage, engineSizes), image.kind, image.ref)
  return { ...baseline, ...(image.note ? { note: image.note } : {}), ...(stage ? { parentImage: stage.base } : {}) }
}

function policyOptions(options: JudgeOptions, head: Head, baseline: Baseline | null, delta: Delta | null): PolicyOptions {
  const policy: PolicyOptions = { sizeMetric: options.sizeMetric, failOnGoToolchain: options.failOnGoToolchain }
  const fromLine = head.source.stage?.from.line
  if (options.maxSize !== undefined) policy.maxSize = options.maxSize
  if (options.warnSize !== undefined) policy.warnSize = options.warnSize
  if (options.maxGrowth) policy.maxGrowth = options.maxGrowth
  if (fromLine !== undefined) policy.fromLine = fromLine
  if (baseline && delta) policy.baseline = scopedGrowth(options.growthScope, head.layers, baseline, delta)
  return policy
}

/** The head as the policy sees it: where it came from, and its layers as the report shows them. */
interface Head {
  source: Source
  layers: readonly ReportLayer[]
}

/** The figures max-growth judges: the whole image's, or only the layers each side's Dockerfile made. */
function scopedGrowth(
  scope: GrowthScope,
  head: readonly ReportLayer[],
  baseline: Baseline,
  delta: Delta
): NonNullable<PolicyOptions['baseline']> {
  if (scope === 'image') return { figures: baseline, delta, scope }
  const [before, after] = [ownLayerFigures(baseline.layers), ownLayerFigures(head)]
  const unknown = { size: null, compressedSize: null }
  return { figures: before ?? unknown, delta: before && after ? deltaOf(after, before) : unknown, scope }
}
