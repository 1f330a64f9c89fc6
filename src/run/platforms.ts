import { readBaselineReport, type BaselineSources } from './baseline.js'
import { runGate, type GateRequest, type GateResult } from './gate.js'
import type { Log } from '../log.js'
import type { SizeMetric } from '../size.js'
import type { MultiPlatformReport, Report } from '../report/report.js'

/** Every platform's gate: the same request, built for each platform in turn. */
export interface GatePlan extends GateRequest {
  /** The platforms to build and measure; [''] is the builder's default. */
  platforms: string[]
}

/**
 * Builds and judges each platform in turn. One at a time works on every driver: the classic docker
 * store cannot load a manifest list, and other drivers export one OCI archive per platform.
 */
export async function runPlatforms(plan: GatePlan, log: Log, sources: Omit<BaselineSources, 'saved'> = {}): Promise<GateResult[]> {
  const { platforms, image, baseline, judge } = plan
  // Read and checked before anything is built, so a bad file fails fast and leaves nothing half-written.
  const saved = baseline.report ? await readBaselineReport(baseline.report) : undefined
  const results: GateResult[] = []
  for (const platform of platforms) {
    if (platforms.length > 1) log.info(`image-size-gate: platform ${platform}`)
    results.push(await runGate({ image: { ...image, platform }, baseline, judge }, { ...sources, saved }, log))
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
