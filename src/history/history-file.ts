/**
 * A size-history file: JSON lines, one record per main-branch run, oldest first. Pure. Reading skips
 * any line that is not a record of this schema (and says which, once); appending keeps every line it
 * found, damaged or from a newer schema, so nothing another writer put there is lost, and keeps the last
 * MAX_RECORDS lines.
 */
import { RecordLineError, parseRecordLine, serializeRecord, type HistoryRecord } from './record.js'

/** Each file keeps the last 1,000 records: about 30 months of daily main builds. */
export const MAX_RECORDS = 1000

export interface SkippedLine {
  /** 1-based line number in the file. */
  line: number
  reason: string
}

export interface ParsedHistory {
  records: HistoryRecord[]
  skipped: SkippedLine[]
}

/** The records of a history file's text, with the lines that were not records. */
export function parseHistory(text: string): ParsedHistory {
  const records: HistoryRecord[] = []
  const skipped: SkippedLine[] = []
  lines(text).forEach((line, index) => {
    if (line.trim() === '') return
    try {
      records.push(parseRecordLine(line))
    } catch (error) {
      if (!(error instanceof RecordLineError)) throw error
      skipped.push({ line: index + 1, reason: error.message })
    }
  })
  return { records, skipped }
}

/** The one warning for a file's damaged lines; null when there are none. */
export function skippedWarning(file: string, skipped: readonly SkippedLine[]): string | null {
  const [first] = skipped
  if (!first) return null
  const others = skipped.length > 1 ? ` (and ${skipped.length - 1} more line${skipped.length > 2 ? 's' : ''})` : ''
  return `history: skipped line ${first.line} of ${file}${others}: it ${first.reason}`
}

/** The file's text with `record` appended as its last line, trimmed to the last `keep` lines. */
export function appendRecord(text: string, record: HistoryRecord, keep = MAX_RECORDS): string {
  const kept = lines(text).filter((line) => line.trim() !== '')
  kept.push(serializeRecord(record))
  return `${kept.slice(-keep).join('\n')}\n`
}

function lines(text: string): string[] {
  return text.split('\n').map((line) => line.replace(/\r$/, ''))
}

/** One record per commit, the latest (a re-run appends a newer one), in the order the latest ones were written. */
export function latestPerCommit(records: readonly HistoryRecord[]): HistoryRecord[] {
  const latest = new Map<string, HistoryRecord>()
  for (const record of records) {
    latest.delete(record.commit)
    latest.set(record.commit, record)
  }
  return [...latest.values()]
}
