import { access } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import { UserError, firstLine, messageOf } from '../errors.js'
import { ensureCommit, repositoryRoot, withWorktree } from '../engine/git.js'
import { Input, type BaselineMode } from '../inputs.js'
import type { Log } from '../log.js'
import { readRegistryBaseline } from './registry.js'
import { parseImageLocation } from '../archive/image-location.js'
import type { Baseline, BaselineOutcome, ReportFile } from '../report/report.js'
import { readReportFile } from '../report/report-file.js'
import { goBinaries } from '../report/godiff.js'
import type { ImageAccess } from './acquire.js'
import type { ImageRequest } from './image-request.js'
import type { KnownCompressed, KnownCompressedSizes } from '../archive/known-compressed.js'
import type { LayerIndex } from './layer-index.js'

/** Where the "before" comes from: a saved report, else an image, else the mode says whether the base commit is built. */
export interface BaselineRequest {
  mode: BaselineMode
  /** baseline-image: a local or registry image; '' for none. */
  image: string
  /** baseline-report: a report saved by an earlier run; '' for none. */
  report: string
}

/** What the run knows of the "before": the pull request's base commit, a saved report read up front, the size history. */
export interface BaselineSources {
  baseCommit?: string
  saved?: SavedReports
  history?: HistoryBaselines
  /** Earlier runs' layer analyses, for the base's layers as for the head's. */
  layerIndex?: LayerIndex
}

const none = (note: string): BaselineOutcome => ({ baseline: null, note })
const unread = (path: string): never => {
  throw new Error(`${Input.BaselineReport} '${path}' was not read before the gate ran`)
}

/** A size history's answer for one platform: its baseline, or why it has none, so the base commit is built instead. */
export type HistoryAnswer = { outcome: BaselineOutcome } | { fallback: string }

/** The size history as a source of baselines; injected so this module stays free of git. */
export interface HistoryBaselines {
  baselineFor(baseCommit: string, platform: string): Promise<HistoryAnswer>
}

/** baseline-report, then baseline-image, then the baseline mode decide where "before" comes from; `head` is how the head is measured. */
export async function resolveBaseline(
  request: BaselineRequest,
  head: ImageRequest,
  sources: BaselineSources,
  log: Log,
  images: ImageAccess
): Promise<BaselineOutcome> {
  const { baseCommit, history } = sources
  // runPlatforms reads and checks the report once, before anything is built, and hands it to every platform.
  if (request.report) return baselineFromSaved(sources.saved ?? unread(request.report), head.platform)
  if (request.image) return fromImage(request.image, head, log, images)
  const mode = request.mode === 'auto' ? (baseCommit ? 'build' : 'none') : request.mode
  if (mode === 'none') return none(baseCommit ? 'baseline disabled (baseline: none)' : 'no baseline: not a pull request')
  if (!baseCommit) return none('no baseline: baseline is build, but the event has no pull request base commit')
  const answer = request.mode === 'auto' && history ? await history.baselineFor(baseCommit, head.platform) : undefined
  if (answer && 'outcome' in answer) return answer.outcome
  if (answer) log.info(`history: ${answer.fallback}; building the base commit instead`)
  const title = `Building the base commit ${baseCommit.slice(0, 12)} for comparison`
  const built = await log.group(title, () => fromBaseCommit(head, baseCommit, log, images))
  return answer ? withFallbackReason(built, answer.fallback) : built
}

/** Says why the base commit was built although a history was given. */
function withFallbackReason(outcome: BaselineOutcome, reason: string): BaselineOutcome {
  const built = `${reason}, so the base commit was built`
  // A built base is measured later, by the judge: the reason rides on its image to the baseline it becomes.
  if (outcome.image) return { ...outcome, image: { ...outcome.image, note: built } }
  if (outcome.baseline) return { ...outcome, baseline: { ...outcome.baseline, note: built } }
  return { ...outcome, note: `${reason}; ${outcome.note ?? 'no baseline'}` }
}

/** Builds the base commit in a temporary worktree as the head is built. */
async function fromBaseCommit(head: ImageRequest, baseCommit: string, log: Log, images: ImageAccess): Promise<BaselineOutcome> {
  const root = await repositoryRoot(resolve(head.context))
  if (!root) return none('base did not build: the context is not inside a git repository')
  try {
    await ensureCommit(root, baseCommit)
  } catch (error) {
    return none(`base did not build: cannot fetch base commit ${baseCommit.slice(0, 12)} (${messageOf(error)})`)
  }
  return withWorktree(root, baseCommit, async (dir) => {
    const moved = moveInto(head, root, dir)
    const dockerfile = moved.file || join(moved.context, 'Dockerfile')
    const exists = await access(dockerfile).then(
      () => true,
      () => false
    )
    if (!exists) return none(`new image: the base commit has no ${relative(dir, dockerfile)}`)
    try {
      const source = await images.acquire(moved, log)
      return { baseline: null, note: null, image: { source, kind: 'build', ref: baseCommit } }
    } catch (error) {
      if (!(error instanceof UserError)) throw error
      return none(`base did not build: ${firstLine(messageOf(error))}`)
    }
  })
}

/** The head's request with its paths moved from the work tree into the base commit's worktree. */
function moveInto(head: ImageRequest, root: string, dir: string): ImageRequest {
  const move = (path: string) => join(dir, relative(root, resolve(path)))
  // The base commit is built from its own Dockerfile even when the head came from `image`,
  // and must not overwrite the head's exported cache.
  return { ...head, image: '', context: move(head.context), file: head.file ? move(head.file) : '', cacheTo: [] }
}

async function fromImage(ref: string, head: ImageRequest, log: Log, images: ImageAccess): Promise<BaselineOutcome> {
  if (await images.exists(ref, head.engine)) {
    const source = await images.acquire({ ...head, image: ref, file: '', imageInput: Input.BaselineImage }, log)
    return { baseline: null, note: null, image: { source, kind: 'image', ref } }
  }
  // A file that is not there (yet) is no baseline, like a missing baseline-report; only a name can be a registry's.
  if (parseImageLocation(ref, Input.BaselineImage).transport !== 'engine')
    return none(`no baseline: ${Input.BaselineImage} ${ref} does not exist (yet)`)
  try {
    return { baseline: await readRegistryBaseline(ref, head.platform), note: null }
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

/**
 * The baseline's compressed sizes by diffId, for the head's layers of the same content: from the size
 * history alone, which only pushes to the default branch write. A saved report or a registry manifest
 * can come from whoever runs the pull request's workflow (a cache it writes, an image it pushes), so
 * their figures are compared with, never taken as the head's.
 */
export function compressedSizesOf(baseline: Baseline | null): KnownCompressedSizes {
  const known = new Map<string, KnownCompressed>()
  if (baseline?.source !== 'history') return known
  const from = `history ${baseline.ref.slice(0, 7)}`
  for (const { diffId, compressedSize } of baseline.layers) if (compressedSize !== null) known.set(diffId, { compressedSize, from })
  return known
}
