import { access } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import { UserError, messageOf } from '../errors.js'
import { ensureCommit, repositoryRoot, withWorktree } from '../engine/git.js'
import { Input, type Inputs } from '../inputs.js'
import type { Log } from '../log.js'
import { readRegistryBaseline } from './registry.js'
import type { Baseline, BaselineOutcome, ReportFile } from '../report/report.js'
import { readReportFile } from '../report/report-file.js'
import { goBinaries } from '../report/godiff.js'
import type { Acquire, ImageAccess } from './acquire.js'
import type { KnownCompressed, KnownCompressedSizes } from '../archive/known-compressed.js'

/** The pull request's base, when the event has one. */
export interface BaseCommit {
  sha: string
  ref: string
}

const none = (note: string): BaselineOutcome => ({ baseline: null, note })
const unread = (path: string): never => {
  throw new Error(`${Input.BaselineReport} '${path}' was not read before the gate ran`)
}

/** A size history's answer for one platform: its baseline, or why it has none, so the base is built instead. */
export type HistoryAnswer = { outcome: BaselineOutcome } | { fallback: string }

/** The size history as a source of baselines; injected so this module stays free of git. */
export interface HistoryBaselines {
  baselineFor(base: BaseCommit, platform: string): Promise<HistoryAnswer>
}

/** baseline-report, then baseline-image, then the baseline mode decide where "before" comes from. */
export async function resolveBaseline(
  inputs: Inputs,
  base: BaseCommit | undefined,
  log: Log,
  acquire: Acquire,
  images: ImageAccess,
  saved?: SavedReports,
  history?: HistoryBaselines
): Promise<BaselineOutcome> {
  // runPlatforms reads and checks the report once, before anything is built, and hands it to every platform.
  if (inputs.baselineReport) return baselineFromSaved(saved ?? unread(inputs.baselineReport), inputs.platform)
  if (inputs.baselineImage) return fromImage(inputs, log, images)
  const mode = inputs.baseline === 'auto' ? (base ? 'build' : 'none') : inputs.baseline
  if (mode === 'none') return none(base ? 'baseline disabled (baseline: none)' : 'no baseline: not a pull request')
  if (!base) return none('no baseline: baseline is build, but the event has no pull request base commit')
  const answer = inputs.baseline === 'auto' && history ? await history.baselineFor(base, inputs.platform) : undefined
  if (answer && 'outcome' in answer) return answer.outcome
  if (answer) log.info(`history: ${answer.fallback}; building the base instead`)
  const title = `Building the base commit ${base.sha.slice(0, 12)} for comparison`
  const built = await log.group(title, () => fromBaseCommit(inputs, base, log, acquire))
  return answer ? withFallbackReason(built, answer.fallback) : built
}

/** Says why the base was built although a history was given. */
function withFallbackReason(outcome: BaselineOutcome, reason: string): BaselineOutcome {
  if (outcome.baseline) return { ...outcome, baseline: { ...outcome.baseline, note: `${reason}, so the base was built` } }
  return { ...outcome, note: `${reason}; ${outcome.note ?? 'no baseline'}` }
}

/** Builds the base commit in a temporary worktree with the same inputs. */
async function fromBaseCommit(inputs: Inputs, base: BaseCommit, log: Log, acquire: Acquire): Promise<BaselineOutcome> {
  const root = await repositoryRoot(resolve(inputs.context))
  if (!root) return none('base did not build: the context is not inside a git repository')
  try {
    await ensureCommit(root, base.sha)
  } catch (error) {
    return none(`base did not build: cannot fetch base commit ${base.sha.slice(0, 12)} (${messageOf(error)})`)
  }
  return withWorktree(root, base.sha, async (dir) => {
    const moved = moveInto(inputs, root, dir)
    const dockerfile = moved.file || join(moved.context, 'Dockerfile')
    const exists = await access(dockerfile).then(
      () => true,
      () => false
    )
    if (!exists) return none(`new image: the base commit has no ${relative(dir, dockerfile)}`)
    try {
      const source = await acquire(moved, log)
      return { baseline: null, note: null, image: { source, kind: 'build', ref: base.sha } }
    } catch (error) {
      if (!(error instanceof UserError)) throw error
      return none(`base did not build: ${messageOf(error).split('\n')[0]}`)
    }
  })
}

/** The same build inputs with paths moved from the work tree into the base worktree. */
function moveInto(inputs: Inputs, root: string, dir: string): Inputs {
  const move = (path: string) => join(dir, relative(root, resolve(path)))
  // The base is built from its own Dockerfile even when the head came from `image`,
  // and must not overwrite the head's exported cache.
  return { ...inputs, image: '', context: move(inputs.context), file: inputs.file ? move(inputs.file) : '', cacheTo: [] }
}

async function fromImage(inputs: Inputs, log: Log, images: ImageAccess): Promise<BaselineOutcome> {
  const ref = inputs.baselineImage
  if (await images.exists(ref)) {
    const source = await images.acquireImage(ref, inputs, log)
    return { baseline: null, note: null, image: { source, kind: 'image', ref } }
  }
  try {
    return { baseline: await readRegistryBaseline(ref, inputs.platform), note: null }
  } catch (error) {
    log.warning(`${Input.BaselineImage}: ${messageOf(error)}`)
    return none(`baseline image ${ref} could not be read: ${messageOf(error)}`)
  }
}

/** A baseline-report, read and checked once before anything is built; `contents` is null when the file does not exist (yet). */
export interface SavedReports {
  path: string
  contents: ReportFile | null
}

/** Reads a report saved by an earlier run. A missing file is a cache miss, not an error; any other fault is. */
export async function readBaselineReport(path: string): Promise<SavedReports> {
  return { path, contents: await readReportFile(path, Input.BaselineReport) }
}

/** The baseline for one platform; a multi-platform report is compared like with like. */
export function baselineFromSaved(saved: SavedReports, platform: string): BaselineOutcome {
  const { path, contents } = saved
  if (!contents) return none(`no baseline: ${Input.BaselineReport} '${path}' does not exist (yet)`)
  const report = 'platforms' in contents ? contents.platforms.find((entry) => !platform || entry.image.platform === platform) : contents
  if (!report) return none(`no baseline: ${Input.BaselineReport} '${path}' has no report for ${platform}`)
  const { size, compressedSize, compressedExact, layers, paths } = report.image
  const binaries = goBinaries(report.binaries)
  return { baseline: { source: 'report', ref: path, size, compressedSize, compressedExact, layers, paths, binaries }, note: null }
}

export async function fromReportFile(path: string, platform = ''): Promise<BaselineOutcome> {
  return baselineFromSaved(await readBaselineReport(path), platform)
}

/** The baseline's measured compressed sizes by diffId, for the head's layers of the same content. */
export function compressedSizesOf(baseline: Baseline | null): KnownCompressedSizes {
  const from = baseline ? `${baseline.source} ${baseline.ref}` : ''
  const known = new Map<string, KnownCompressed>()
  for (const layer of baseline?.layers ?? []) {
    const { diffId, compressedSize, compressedExact } = layer
    if (compressedSize !== null) known.set(diffId, { compressedSize, compressedExact, from })
  }
  return known
}
