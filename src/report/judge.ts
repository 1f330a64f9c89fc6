import { relative } from 'node:path'
import type { Inputs } from '../inputs.js'
import { buildImageModel, type Source } from '../model/model.js'
import { binaryFacts } from '../findings/binaries.js'
import type { Finding, Severity } from '../findings/finding.js'
import { advice, insightFindings } from '../findings/insight.js'
import { wastedBytes } from '../findings/waste.js'
import { evaluate, type PolicyOptions } from '../findings/policy.js'
import { scanToolchains } from '../findings/toolchain.js'
import { deltaOf } from './delta.js'
import { diffGoBinaries } from './godiff.js'
import { baselineFromModel, buildReport, type BaseImage, type Baseline, type BaselineOutcome, type Delta, type Report } from './report.js'

export interface Annotation {
  severity: Severity
  message: string
  file?: string
  line?: number
}

export interface GateResult {
  report: Report
  annotations: Annotation[]
}

/** The pure tail of the pipeline: everything after the archives have been read; `cwd` makes the annotations' paths relative. */
export function judge(source: Source, inputs: Inputs, outcome: BaselineOutcome, cwd: string): GateResult {
  const model = buildImageModel(source.archive, source.stage, source.engineSizes)
  const baseline = outcome.image ? measuredBaseline(outcome.image) : outcome.baseline
  const scan = scanToolchains(model.filesystem, model.env)
  const binaries = binaryFacts(model.filesystem)
  const wasted = wastedBytes(model.filesystem)
  const insightOptions = {
    failOnBrokenEntrypoint: inputs.failOnBrokenEntrypoint,
    waste: wasted,
    ...(inputs.maxWasted ? { maxWasted: inputs.maxWasted } : {}),
    ...(source.stage ? { stage: source.stage } : {})
  }
  // Head minus base, once: the growth check judges it and the report carries it to the comment.
  const delta = baseline ? deltaOf({ size: model.size, compressedSize: model.compressedSize ?? null }, baseline) : null
  const verdict = evaluate(model, scan, policyOptions(inputs, source, baseline, delta), insightFindings(model, binaries, insightOptions))
  const insight = { binaries, advice: advice(model, binaries), wasted }
  const report = { ...buildReport(model, scan, verdict, insight), baseline, baselineNote: outcome.note }
  if (baseline && delta) report.delta = { ...delta, binaries: diffGoBinaries(binaries, baseline.binaries ?? []) }
  const file = source.dockerfile ? relative(cwd, source.dockerfile) : undefined
  return { report, annotations: report.findings.map((finding) => annotationOf(finding, file)) }
}

function measuredBaseline(image: BaseImage): Baseline {
  const { archive, stage, engineSizes } = image.source
  return baselineFromModel(buildImageModel(archive, stage, engineSizes), image.kind, image.ref)
}

function policyOptions(inputs: Inputs, source: Source, baseline: Baseline | null, delta: Delta | null): PolicyOptions {
  const policy: PolicyOptions = { sizeMetric: inputs.sizeMetric, failOnGoToolchain: inputs.failOnGoToolchain }
  const fromLine = source.stage?.from.line
  if (inputs.maxSize !== undefined) policy.maxSize = inputs.maxSize
  if (inputs.maxGrowth) policy.maxGrowth = inputs.maxGrowth
  if (fromLine !== undefined) policy.fromLine = fromLine
  if (baseline && delta) policy.baseline = { base: baseline, delta }
  return policy
}

/** A finding as a workflow annotation, placed on its Dockerfile line when it has one. */
function annotationOf(finding: Finding, file: string | undefined): Annotation {
  const annotation: Annotation = { severity: finding.severity, message: finding.message }
  if (file && finding.line !== undefined) Object.assign(annotation, { file, line: finding.line })
  return annotation
}
