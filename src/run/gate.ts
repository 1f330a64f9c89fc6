import type { Inputs } from '../inputs.js'
import type { Log } from '../log.js'
import { judge, type GateResult } from '../report/judge.js'
import { acquire, localImages } from './acquire.js'
import { compressedSizesOf, resolveBaseline, type BaseCommit, type HistoryBaselines, type SavedReports } from './baseline.js'

/** inputs → build → archive → model → (baseline) → policy → report. Throws UserError for bad input. */
export async function runGate(
  inputs: Inputs,
  log: Log,
  base?: BaseCommit,
  saved?: SavedReports,
  history?: HistoryBaselines
): Promise<GateResult> {
  // The baseline first: the head's plain layers it also has take their compressed sizes from it.
  const outcome = await resolveBaseline(inputs, base, log, acquire, localImages, saved, history)
  const source = await acquire(inputs, log, compressedSizesOf(outcome.baseline))
  return judge(source, inputs, outcome, process.cwd())
}
