import type { Log } from '../log.js'
import { judge, type JudgeOptions } from '../judge/judge.js'
import type { Report } from '../report/report.js'
import { acquire, engineImages } from './acquire.js'
import type { ImageRequest } from './image-request.js'
import { compressedSizesOf, resolveBaseline, type BaselineRequest, type BaselineSources } from './baseline.js'

/** One platform's gate, each stage's options apart: the image to measure, where its baseline comes from, the rules. */
export interface GateRequest {
  image: ImageRequest
  baseline: BaselineRequest
  judge: JudgeOptions
}

/** One platform's report, with the Dockerfile its findings' lines are in (none for an analysed image). */
export interface GateResult {
  report: Report
  dockerfile?: string
}

/** build → archive → model → (baseline) → policy → report. Throws UserError for bad input. */
export async function runGate(request: GateRequest, sources: BaselineSources, log: Log): Promise<GateResult> {
  // The baseline first: the head's plain layers it also has take their compressed sizes from it.
  const outcome = await resolveBaseline(request.baseline, request.image, sources, log, engineImages)
  const source = await acquire(request.image, log, compressedSizesOf(outcome.baseline))
  const report = judge(source, outcome, request.judge)
  return source.dockerfile ? { report, dockerfile: source.dockerfile } : { report }
}
