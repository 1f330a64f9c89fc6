import type { Inputs } from '../inputs.js'
import type { Log } from '../log.js'
import { judge, type GateResult } from '../report/judge.js'
import { acquire, localImages } from './acquire.js'
import { resolveBaseline, type BaseCommit, type SavedReports } from './baseline.js'

/** inputs → build → archive → model → (baseline) → policy → report. Throws UserError for bad input. */
export async function runGate(inputs: Inputs, log: Log, base?: BaseCommit, saved?: SavedReports): Promise<GateResult> {
  const source = await acquire(inputs, log)
  const outcome = await resolveBaseline(inputs, base, log, acquire, localImages, saved)
  return judge(source, inputs, outcome, process.cwd())
}
