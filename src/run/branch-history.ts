/**
 * The size history on its git branch: read once per run (for the trend and for pull-request
 * baselines), appended to on a push to the default branch. Cosmetic: every git failure is one warning
 * and the budget still decides.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { HistoryAnswer, HistoryBaselines } from './baseline.js'
import {
  commitFile,
  fetchHistoryTip,
  firstParent,
  LOCAL_READ_MS,
  firstParentAncestry,
  pushCommit,
  readFileAt,
  treeEntries,
  type GitTarget,
  type PushResult
} from '../engine/git-store.js'
import { Deadline } from '../deadline.js'
import { messageOf } from '../errors.js'
import { GitError, repositoryRoot } from '../engine/git.js'
import { distanceNote, pickRecord } from '../history/ancestry.js'
import { foreignEntry, historyFileName } from '../history/file-name.js'
import { showControls } from '../report/markdown.js'
import { appendRecord, parseHistory, skippedWarning } from '../history/history-file.js'
import { baselineFromRecord, type HistoryRecord } from '../history/record.js'
import type { SizeHistory } from '../history/size-history.js'
import { BranchIndex, INDEX_DIR, listIndex } from './branch-index.js'
import type { LayerIndex } from './layer-index.js'
import type { Log } from '../log.js'

/** How long reading the history (fetch, file, ancestry) may take in all. */
export const HISTORY_READ_MS = 120_000
/** How long appending may take in all, retries included. */
export const HISTORY_WRITE_MS = 180_000
/** How many of the base commit's first-parent ancestors are searched for a record. */
export const ANCESTRY_DEPTH = 50
/** Pushes tried before giving up on a branch that other runs keep moving. */
export const PUSH_ATTEMPTS = 8

/** Where the size history's branch is, and how to reach it. */
export interface BranchSettings {
  branch: string
  key: string
  /** The job's token; '' fetches with whatever credentials the checkout left. */
  token: string
  workspace: string
}

/** Reads the key's file from the history branch; a failure warns once and leaves an empty history. */
export async function openBranchHistory(settings: BranchSettings, log: Log): Promise<BranchHistory> {
  const file = historyFileName(settings.key)
  const root = await repositoryRoot(settings.workspace)
  if (!root) {
    log.warning(`history: '${settings.workspace}' is not inside a git repository, so the history branch '${settings.branch}' is not used`)
    return new BranchHistory(settings, file, undefined, [], 'the workspace is not a git repository', log)
  }
  try {
    const target: GitTarget = { root, token: settings.token, deadline: Deadline.in(HISTORY_READ_MS) }
    const tip = await fetchHistoryTip(target, settings.branch)
    const foreign = tip ? await notHistory(target, tip, settings.branch) : null
    if (foreign) {
      log.warning(`history: ${foreign}; give the history a branch of its own, e.g. image-size-history`)
      return new BranchHistory(settings, file, undefined, [], foreign, log)
    }
    const text = tip ? ((await readFileAt(target, tip, file)) ?? '') : ''
    const indexed = tip ? await listIndex(target, tip) : new Map<string, string>()
    const { records, skipped } = parseHistory(text)
    const warning = skippedWarning(`${file} on the branch '${settings.branch}'`, skipped)
    if (warning) log.warning(warning)
    log.info(`history: ${records.length} record${records.length === 1 ? '' : 's'} in ${file} on the branch '${settings.branch}'`)
    const empty = tip ? `${file} on the branch '${settings.branch}' has no records yet` : `the branch '${settings.branch}' does not exist`
    return new BranchHistory(settings, file, root, records, records.length === 0 ? empty : null, log, indexed)
  } catch (error) {
    // Cosmetic: whatever went wrong, the gate runs without the history.
    log.warning(`history: could not read ${file} from the branch '${settings.branch}' (${messageOf(error)}); the budget still decides`)
    return new BranchHistory(settings, file, root, [], 'the history could not be read', log)
  }
}

/** Why the branch at `tip` is no history branch (it holds code, say), or null when it holds only history files. */
async function notHistory(target: GitTarget, tip: string, branch: string): Promise<string | null> {
  const foreign = foreignEntry(await treeEntries(target, tip), [INDEX_DIR])
  return foreign === null
    ? null
    : `the branch '${branch}' holds ${showControls(foreign)}, not only size-history files (*.jsonl, ${INDEX_DIR}/)`
}

/** The size history on its git branch; it also serves pull requests their base commit's record as a baseline. */
export class BranchHistory implements SizeHistory, HistoryBaselines {
  /** The base commit's ancestry, asked of git once for all platforms. */
  private ancestry: Promise<string[]> | undefined

  constructor(
    private readonly settings: BranchSettings,
    readonly file: string,
    private readonly root: string | undefined,
    readonly records: readonly HistoryRecord[],
    /** Why no baseline can come from here at all; null when there are records. */
    private readonly unusable: string | null,
    private readonly log: Log,
    /** The layer index's entries at the tip that was read, by diffId, with their blob IDs. */
    private readonly indexed: ReadonlyMap<string, string> = new Map()
  ) {}

  /** The layer index beside the records; only the run that records (a push to the default branch) may add to it. */
  layerIndex(writable: boolean): LayerIndex | undefined {
    if (!this.root) return undefined
    const { branch, token } = this.settings
    return new BranchIndex({ branch, root: this.root, token, writable }, this.indexed)
  }

  /** The base commit's own record, else its nearest recorded first-parent ancestor's. */
  async baselineFor(baseCommit: string, platform: string): Promise<HistoryAnswer> {
    if (this.unusable !== null || !this.root) return { fallback: this.unusable ?? 'the history could not be read' }
    const accepts = (record: HistoryRecord) => baselineFromRecord(record, platform) !== null
    const short = baseCommit.slice(0, 7)
    let pick = pickRecord(this.records, [baseCommit], accepts)
    if (!pick) {
      const ancestry = await this.ancestryOf(baseCommit).catch((error: unknown) => new Error(messageOf(error)))
      if (ancestry instanceof Error) {
        return { fallback: `no record of the base ${short}, and its ancestors could not be listed (${ancestry.message})` }
      }
      pick = pickRecord(this.records, ancestry, accepts)
    }
    if (!pick) return { fallback: `no record of the base ${short} or of its ${ANCESTRY_DEPTH - 1} nearest ancestors in ${this.file}` }
    const baseline = baselineFromRecord(pick.record, platform)
    if (!baseline) return { fallback: `the record of ${pick.record.commit.slice(0, 7)} has no ${platform}` }
    const note = distanceNote(pick)
    if (note) this.log.info(`history: ${note}`)
    return { outcome: { baseline: note ? { ...baseline, note } : baseline, note: null } }
  }

  private ancestryOf(sha: string): Promise<string[]> {
    const target: GitTarget = { root: this.root ?? '', token: this.settings.token, deadline: Deadline.in(HISTORY_READ_MS) }
    this.ancestry ??= firstParentAncestry(target, sha, ANCESTRY_DEPTH)
    return this.ancestry
  }

  /** The commit's first parent, for its record; null when git cannot say. */
  async parentOf(sha: string): Promise<string | null> {
    if (!this.root) return null
    return firstParent({ root: this.root, token: '', deadline: Deadline.in(LOCAL_READ_MS) }, sha).catch(() => null)
  }

  /** Appends on top of the branch's newest tip, fetching again and re-appending whenever another run pushed first. */
  async append(record: HistoryRecord): Promise<boolean> {
    if (!this.root) return false
    const target: GitTarget = { root: this.root, token: this.settings.token, deadline: Deadline.in(HISTORY_WRITE_MS) }
    const what = `the record of ${record.commit.slice(0, 7)} was not added to ${this.file} on the branch '${this.settings.branch}'`
    try {
      for (let attempt = 1; attempt <= PUSH_ATTEMPTS; attempt++) {
        if ((await this.tryAppend(target, record)) === 'pushed') {
          this.log.info(`history: added the record of ${record.commit.slice(0, 7)} to ${this.file} on the branch '${this.settings.branch}'`)
          return true
        }
        this.log.info(`history: the branch '${this.settings.branch}' moved under attempt ${attempt}; fetching it again`)
        await sleep(100 * attempt + Math.floor(Math.random() * 400))
      }
      this.log.warning(`history: ${what}: other runs kept moving the branch over ${PUSH_ATTEMPTS} attempts; the budget still decides`)
    } catch (error) {
      this.log.warning(`history: ${what} (${messageOf(error)}); the budget still decides`)
    }
    return false
  }

  private async tryAppend(target: GitTarget, record: HistoryRecord): Promise<PushResult> {
    const { branch } = this.settings
    const tip = await fetchHistoryTip(target, branch)
    // The branch may have become a code branch since it was read: never commit a history file into one.
    const foreign = tip ? await notHistory(target, tip, branch) : null
    if (foreign) throw new GitError(foreign)
    const text = tip ? ((await readFileAt(target, tip, this.file)) ?? '') : ''
    const message = `Record ${record.commit.slice(0, 7)} in ${this.file}`
    const commit = await commitFile(target, tip, this.file, appendRecord(text, record), message)
    return pushCommit(target, commit, branch)
  }
}
