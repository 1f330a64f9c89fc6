/**
 * The CLI's `--history-file`: the same JSON-lines format as the history branch, in a local file that
 * this run reads and appends its record to. The commit recorded is the context's git HEAD.
 */
import { resolve } from 'node:path'
import { firstParent } from '../engine/git-store.js'
import { Deadline } from '../deadline.js'
import { UserError } from '../errors.js'
import { git, repositoryRoot } from '../engine/git.js'
import { MAX_HISTORY_FILE_BYTES } from '../engine/git-store.js'
import { appendRecord, parseHistory, skippedWarning } from '../history/history-file.js'
import type { HistoryRecord, RecordContext } from '../history/record.js'
import { readTextFile } from '../json-file.js'
import type { Log } from '../log.js'
import { checkReportPath, writeTextFile } from '../report/report-file.js'

export const HISTORY_FILE_FLAG = '--history-file'

export interface LocalHistory {
  path: string
  /** The file's text as read, so appending keeps every line it had. */
  text: string
  records: HistoryRecord[]
  commit: { sha: string; parent: string | null }
}

/** Reads the file (a new path is an empty history) and the commit to record, before anything is built. */
export async function openLocalHistory(path: string, context: string, log: Log): Promise<LocalHistory> {
  await checkReportPath(path, HISTORY_FILE_FLAG)
  const root = await repositoryRoot(resolve(context))
  if (!root) {
    throw new UserError(`${HISTORY_FILE_FLAG}: the context '${context}' is not in a git repository, so there is no commit to record`)
  }
  const sha = await git(['rev-parse', '--verify', 'HEAD^{commit}'], root).catch(() => {
    throw new UserError(`${HISTORY_FILE_FLAG}: the repository at '${root}' has no commit yet, so there is nothing to record`)
  })
  const parent = await firstParent({ root, token: '', deadline: Deadline.in(30_000) }, sha).catch(() => null)
  const text = (await readTextFile(path, HISTORY_FILE_FLAG, MAX_HISTORY_FILE_BYTES)) ?? ''
  const { records, skipped } = parseHistory(text)
  const warning = skippedWarning(path, skipped)
  if (warning) log.warning(warning)
  return { path, text, records, commit: { sha, parent } }
}

/** The context of this run's record: the HEAD commit, now, no run URL. */
export function localContext(history: LocalHistory, key: string): RecordContext {
  return { key, commit: history.commit.sha, parent: history.commit.parent, time: new Date().toISOString(), runUrl: null }
}

/** Appends the record, writing the file atomically. */
export async function appendLocalHistory(history: LocalHistory, record: HistoryRecord): Promise<HistoryRecord[]> {
  await writeTextFile(appendRecord(history.text, record), history.path, HISTORY_FILE_FLAG)
  return [...history.records, record]
}
