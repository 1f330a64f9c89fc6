/**
 * The size history as a run sees it, wherever it is kept: the action's git branch or the CLI's local
 * file. It is read once at the start of a run, and this run's record is appended at its end.
 */
import type { Report } from '../report/report.js'
import { recordOf, type HistoryRecord } from './record.js'

export interface SizeHistory {
  /** The valid records, oldest first, as read at the start of the run. */
  readonly records: readonly HistoryRecord[]
  /** The commit's first parent, for its record; null when git cannot say. */
  parentOf(commit: string): Promise<string | null>
  /** Appends one record; false (after one warning) when it could not. */
  append(record: HistoryRecord): Promise<boolean>
}

/** What a record says of the run that made it: the history's key, the commit measured, the workflow run's page. */
export interface RunOrigin {
  key: string
  commit: string
  runUrl: string | null
}

/** Appends this run's record, every platform's report in it, and returns it. */
export async function recordRun(history: SizeHistory, reports: readonly Report[], origin: RunOrigin): Promise<HistoryRecord> {
  const parent = await history.parentOf(origin.commit)
  const record = recordOf(reports, { ...origin, parent, time: new Date().toISOString() })
  await history.append(record)
  return record
}
