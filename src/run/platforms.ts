import { readBaselineReport, type BaseCommit, type HistoryBaselines } from './baseline.js'
import { runGate } from './gate.js'
import { type Annotation, type GateResult } from '../report/judge.js'
import type { Inputs } from '../inputs.js'
import type { Log } from '../log.js'
import type { SizeMetric } from '../size.js'
import type { MultiPlatformReport, Report } from '../report/report.js'

/**
 * Builds and judges each platform in turn. One at a time works on every driver: the classic docker
 * store cannot load a manifest list, and other drivers export one OCI archive per platform.
 */
export async function runPlatforms(inputs: Inputs, log: Log, base?: BaseCommit, history?: HistoryBaselines): Promise<GateResult[]> {
  const platforms = inputs.platforms.length > 0 ? inputs.platforms : [inputs.platform]
  // Read and checked before anything is built, so a bad file fails fast and leaves nothing half-written.
  const saved = inputs.baselineReport ? await readBaselineReport(inputs.baselineReport) : undefined
  const results: GateResult[] = []
  for (const platform of platforms) {
    if (platforms.length > 1) log.info(`image-size-gate: platform ${platform}`)
    results.push(await runGate({ ...inputs, platform }, log, base, saved, history))
  }
  return results
}

/** The platform that is largest on the budget's metric: its figures become the action's outputs. */
export function worstResult(results: GateResult[], metric: SizeMetric): GateResult {
  const value = (result: GateResult) =>
    metric === 'compressed' ? (result.report.image.compressedSize ?? result.report.image.size) : result.report.image.size
  return results.reduce((worst, result) => (value(result) > value(worst) ? result : worst))
}

/** One platform keeps the plain report shape; several are wrapped. */
export function combinedReport(results: GateResult[]): Report | MultiPlatformReport {
  const [only] = results
  if (only && results.length === 1) return only.report
  return { schemaVersion: 1, passed: results.every((result) => result.report.passed), platforms: results.map((result) => result.report) }
}

/** Annotations of every platform, each said once, naming the platforms it holds for when there are several. */
export function combinedAnnotations(results: GateResult[]): Annotation[] {
  const grouped = new Map<string, { annotation: Annotation; platforms: string[] }>()
  for (const result of results) {
    for (const annotation of result.annotations) {
      const key = `${annotation.severity}|${annotation.file}|${annotation.line}|${annotation.message}`
      const entry = grouped.get(key) ?? { annotation, platforms: [] }
      entry.platforms.push(result.report.image.platform)
      grouped.set(key, entry)
    }
  }
  return [...grouped.values()].map(({ annotation, platforms }) =>
    results.length > 1 ? { ...annotation, message: `${platforms.join(', ')}: ${annotation.message}` } : annotation
  )
}
