/**
 * The CLI's `--history-file`: the same JSON-lines format as the history branch, in a local file that
 * this run reads and appends its record to. The commit recorded is the context's git HEAD.
 */
import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { firstParent, LOCAL_READ_MS, MAX_HISTORY_FILE_BYTES } from '../engine/git-store.js'
import { Deadline } from '../deadline.js'
import { UserError } from '../errors.js'
import { git, repositoryRoot } from '../engine/git.js'
import { appendRecord, parseHistory, skippedWarning } from '../history/history-file.js'
import type { HistoryRecord } from '../history/record.js'
import type { SizeHistory } from '../history/size-history.js'
import { readTextFile } from '../json-file.js'
import type { Log } from '../log.js'
import { checkReportPath, writeTextFile } from '../report/report-file.js'
import { formatBytes } from '../size.js'

export const HISTORY_FILE_FLAG = '--history-file'

/** Reads the file (a new path is an empty history) and finds the commit to record, before anything is built. */
export async function openFileHistory(path: string, context: string, log: Log): Promise<FileHistory> {
  await checkReportPath(path, HISTORY_FILE_FLAG)
  const root = await repositoryRoot(resolve(context))
  if (!root) {
    throw new UserError(`${HISTORY_FILE_FLAG}: the context '${context}' is not in a git repository, so there is no commit to record`)
  }
  const head = await git(['rev-parse', '--verify', 'HEAD^{commit}'], root).catch(() => {
    throw new UserError(`${HISTORY_FILE_FLAG}: the repository at '${root}' has no commit yet, so there is nothing to record`)
  })
  const size = (await stat(path).catch(() => undefined))?.size ?? 0
  if (size > MAX_HISTORY_FILE_BYTES) {
    // As on the action's branch: the history is cosmetic, so an oversized file warns and is left alone.
    const limit = `${MAX_HISTORY_FILE_BYTES / 1024 ** 2} MiB`
    log.warning(
      `history: '${path}' is ${formatBytes(size)}, over the ${limit} limit for a size-history file, so it is not read or appended to; the budget still decides`
    )
    return new FileHistory(path, root, head, null, [])
  }
  const text = (await readTextFile(path, HISTORY_FILE_FLAG, MAX_HISTORY_FILE_BYTES)) ?? ''
  const { records, skipped } = parseHistory(text)
  const warning = skippedWarning(path, skipped)
  if (warning) log.warning(warning)
  return new FileHistory(path, root, head, text, records)
}

export class FileHistory implements SizeHistory {
  constructor(
    readonly path: string,
    private readonly root: string,
    /** The context's HEAD: the commit this run records. */
    readonly head: string,
    /** The file's text as read, so appending keeps every line it had; null when it was too large to read. */
    private readonly text: string | null,
    readonly records: readonly HistoryRecord[]
  ) {}

  parentOf(commit: string): Promise<string | null> {
    return firstParent({ root: this.root, token: '', deadline: Deadline.in(LOCAL_READ_MS) }, commit).catch(() => null)
  }

  /** Writes the file atomically; a path that cannot be written stops the run, as the CLI was asked to record. */
  async append(record: HistoryRecord): Promise<boolean> {
    if (this.text === null) return false
    await writeTextFile(appendRecord(this.text, record), this.path, HISTORY_FILE_FLAG)
    return true
  }
}
