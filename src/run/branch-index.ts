/**
 * The layer index on the size-history branch, beside the records: `layer-index/<diffId hex>.jsonl`, one
 * entry per layer however many images and keys share it. Every run with a history reads it; only a
 * push to the default branch, the one run that may write the size history, adds to it. An entry lives
 * as long as a record kept on the branch names its layer, so entries are pruned with the records.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { Deadline } from '../deadline.js'
import {
  commitChanges,
  digestsIn,
  fetchHistoryTip,
  listFiles,
  pushCommit,
  streamBlob,
  type GitTarget,
  type TreeChange
} from '../engine/git-store.js'
import { messageOf } from '../errors.js'
import type { Log } from '../log.js'
import { tempRoot } from '../temp-dir.js'
import { writeEntryFile, type FreshAnalysis, type LayerIndex } from './layer-index.js'

export const INDEX_DIR = 'layer-index'
/** How long reading one entry may take: a local `git cat-file`. */
const ENTRY_READ_MS = 120_000
/** How long adding to the index may take in all, retries included. */
const INDEX_WRITE_MS = 180_000
const PUSH_ATTEMPTS = 8
const ENTRY_NAME = /^([0-9a-f]{64})\.jsonl$/

/** Where the branch is and how to reach it, and whether this run may write it. */
export interface BranchIndexSettings {
  branch: string
  root: string
  token: string
  /** Only a push to the default branch, with `contents: write`. */
  writable: boolean
}

/** The entries at the fetched tip, by diffId, with their blob IDs. */
export async function listIndex(target: GitTarget, tip: string): Promise<Map<string, string>> {
  const held = new Map<string, string>()
  for (const [name, blob] of await listFiles(target, tip, INDEX_DIR)) {
    const hex = ENTRY_NAME.exec(name)?.[1]
    if (hex !== undefined) held.set(`sha256:${hex}`, blob)
  }
  return held
}

export class BranchIndex implements LayerIndex {
  readonly name: string

  constructor(
    private readonly settings: BranchIndexSettings,
    private readonly held: ReadonlyMap<string, string>
  ) {
    this.name = `layer index on the branch '${settings.branch}'`
  }

  get writable(): boolean {
    return this.settings.writable
  }

  has(diffId: string): boolean {
    return this.held.has(diffId)
  }

  read<T>(diffId: string, consume: (bytes: AsyncIterable<Uint8Array>) => Promise<T>): Promise<T> {
    const blob = this.held.get(diffId)
    if (blob === undefined) return Promise.reject(new Error(`the index has no entry for ${diffId}`))
    return streamBlob(this.target(ENTRY_READ_MS), blob, consume)
  }

  /** Adds this run's new entries and prunes the unreferenced ones, in one commit pushed as a fast-forward. */
  async add(analyses: readonly FreshAnalysis[], log: Log): Promise<void> {
    const fresh = analyses.filter((analysis) => !this.held.has(analysis.diffId) || analysis.replaces)
    if (!this.settings.writable || fresh.length === 0) return
    const dir = await mkdtemp(join(tempRoot(), 'image-size-gate-index-'))
    try {
      const files = await writeEntries(dir, fresh)
      const replacing = new Set(fresh.filter((analysis) => analysis.replaces).map((analysis) => analysis.diffId))
      await this.push(files, replacing, log)
    } catch (error) {
      log.warning(
        `${this.name}: ${fresh.length} new entries were not added (${messageOf(error)}); the next push analyses those layers again`
      )
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }

  private async push(files: ReadonlyMap<string, string>, replacing: ReadonlySet<string>, log: Log): Promise<void> {
    const target = this.target(INDEX_WRITE_MS)
    for (let attempt = 1; attempt <= PUSH_ATTEMPTS; attempt++) {
      const tip = await fetchHistoryTip(target, this.settings.branch)
      const changes = await changesAt(target, tip, files, replacing)
      if (changes.length === 0) return
      const added = changes.filter((change) => change.from !== null).length
      const message = `Layer index: ${added} added, ${changes.length - added} pruned`
      const commit = await commitChanges(target, tip, changes, message)
      if ((await pushCommit(target, commit, this.settings.branch)) === 'pushed') {
        log.info(`${this.name}: ${added} entr${added === 1 ? 'y' : 'ies'} added, ${changes.length - added} pruned`)
        return
      }
      await sleep(100 * attempt + Math.floor(Math.random() * 400))
    }
    throw new Error(`other runs kept moving the branch over ${PUSH_ATTEMPTS} attempts`)
  }

  private target(ms: number): GitTarget {
    return { root: this.settings.root, token: this.settings.token, deadline: Deadline.in(ms) }
  }
}

/** The new entries the tip lacks (or holds wrongly), and the removal of every entry no record on the tip names. */
async function changesAt(
  target: GitTarget,
  tip: string | null,
  files: ReadonlyMap<string, string>,
  replacing: ReadonlySet<string>
): Promise<TreeChange[]> {
  const held = tip ? await listIndex(target, tip) : new Map<string, string>()
  const named = tip ? await digestsIn(target, tip, ['*.jsonl', `:(exclude)${INDEX_DIR}`]) : new Set<string>()
  const wanted = [...files].filter(([diffId]) => !held.has(diffId) || replacing.has(diffId))
  const added = wanted.map(([diffId, from]) => ({ path: entryPath(diffId), from }))
  const pruned = [...held.keys()].filter((diffId) => !named.has(diffId) && !files.has(diffId))
  return [...added, ...pruned.map((diffId) => ({ path: entryPath(diffId), from: null }))]
}

/** Writes each entry to a file in `dir`, by diffId; one over the size limit is left out. */
async function writeEntries(dir: string, analyses: readonly FreshAnalysis[]): Promise<Map<string, string>> {
  const files = new Map<string, string>()
  for (const [number, analysis] of analyses.entries()) {
    const file = join(dir, `${number}.jsonl`)
    if (await writeEntryFile(file, analysis)) files.set(analysis.diffId, file)
  }
  return files
}

function entryPath(diffId: string): string {
  return `${INDEX_DIR}/${diffId.replace(/^sha256:/, '')}.jsonl`
}
