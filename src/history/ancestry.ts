import type { HistoryRecord } from './record.js'

/** The record a pull request compares with, and how far below its base commit it was made. */
export interface AncestorRecord {
  record: HistoryRecord
  /** 0 for the base commit itself, n for its n-th first-parent ancestor. */
  distance: number
}

/**
 * The newest record of the nearest commit in `ancestry` (the base commit first, then its ancestors in order)
 * that has `accepts` true; null when none does. A re-run of a commit appends a newer record, which wins.
 */
export function pickRecord(
  records: readonly HistoryRecord[],
  ancestry: readonly string[],
  accepts: (record: HistoryRecord) => boolean
): AncestorRecord | null {
  const newest = new Map<string, HistoryRecord>()
  for (const record of records) if (accepts(record)) newest.set(record.commit, record)
  for (const [distance, commit] of ancestry.entries()) {
    const record = newest.get(commit)
    if (record) return { record, distance }
  }
  return null
}

/** What the comment says about a baseline that is not the base commit's own record. */
export function distanceNote(pick: AncestorRecord): string | undefined {
  if (pick.distance === 0) return undefined
  const commits = pick.distance === 1 ? '1 commit' : `${pick.distance} commits`
  return `baseline is from ${pick.record.commit.slice(0, 7)}, ${commits} before the base`
}
