import { access } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import { UserError, messageOf } from '../errors.js'
import { ensureCommit, repositoryRoot, withWorktree } from '../engine/git.js'
import { Input, type BaselineMode } from '../inputs.js'
import { readJsonFile } from '../json-file.js'
import type { Log } from '../log.js'
import { readRegistryBaseline } from './registry.js'
import type { Baseline, BaselineOutcome } from '../report/report.js'
import { ShapeError, arrayOf, type Check, boolean, count, isRecord, literal, nullable, object, optional, string } from '../shape.js'
import { goBinaries } from '../report/godiff.js'
import type { ImageAccess, ImageRequest } from './acquire.js'
import type { KnownCompressed, KnownCompressedSizes } from '../archive/known-compressed.js'

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
  if (outcome.baseline) return { ...outcome, baseline: { ...outcome.baseline, note: `${reason}, so the base commit was built` } }
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
      return none(`base did not build: ${messageOf(error).split('\n')[0]}`)
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
  if (await images.exists(ref)) {
    const source = await images.acquire({ ...head, image: ref, file: '' }, log)
    return { baseline: null, note: null, image: { source, kind: 'image', ref } }
  }
  try {
    return { baseline: await readRegistryBaseline(ref, head.platform), note: null }
  } catch (error) {
    log.warning(`${Input.BaselineImage}: ${messageOf(error)}`)
    return none(`baseline image ${ref} could not be read: ${messageOf(error)}`)
  }
}

/** A saved report's image, as far as a baseline needs it; `paths` came later, so older reports lack it. */
const savedImage = object({
  id: string,
  configDigest: optional(nullable(string), null),
  platform: string,
  size: count,
  compressedSize: nullable(count),
  compressedExact: boolean,
  layers: arrayOf(
    object({
      diffId: string,
      size: count,
      compressedSize: nullable(count),
      compressedExact: boolean,
      files: count,
      createdBy: nullable(string),
      instruction: nullable(string),
      dockerfileLine: nullable(count)
    })
  ),
  paths: optional(nullable(arrayOf(object({ path: string, size: count }))), null)
})
/** Build settings as `go version -m` prints them: names to values. */
const settingsRecord: Check<Record<string, string>> = (value, at) => {
  if (!isRecord(value)) throw new ShapeError(at, 'an object of build settings')
  for (const [key, setting] of Object.entries(value)) string(setting, `${at}.${key}`)
  return value as Record<string, string>
}
const namedBytes = object({ name: string, bytes: count })
const savedAttribution = object({
  goVersion: string,
  settings: settingsRecord,
  modules: arrayOf(
    object({ path: string, version: string, replace: optional(string, undefined), bytes: count, code: optional(count, undefined) })
  ),
  packages: arrayOf(object({ name: string, bytes: count, code: optional(count, 0) })),
  buckets: arrayOf(namedBytes),
  // Reports saved before the symbol table's data was split out have code-only buckets and modules.
  symbolData: optional(boolean, false),
  codeOnlyBuckets: optional(arrayOf(namedBytes), undefined),
  textBytes: count,
  paddingBytes: count,
  namedTextBytes: count
})
/** Go binaries as the module diff needs them; reports from before attribution have none. */
const savedBinaries = optional(
  arrayOf(
    object({
      path: string,
      size: count,
      module: optional(nullable(string), null),
      goAttribution: optional(nullable(savedAttribution), null)
    })
  ),
  []
)
const savedReport = object({ schemaVersion: literal(1), image: savedImage, binaries: savedBinaries })
const savedPlatforms = object({ platforms: arrayOf(savedReport, { nonEmpty: true }), schemaVersion: literal(1) })

export type SavedReport = ReturnType<typeof savedReport>

/** A saved report's contents: one report, or one per platform (README, "The JSON report"). */
export type SavedContents = { single: SavedReport } | { platforms: SavedReport[] }

/** A baseline-report, read and checked once before anything is built; `contents` is null when the file does not exist (yet). */
export interface SavedReports {
  path: string
  contents: SavedContents | null
}

/** Checks a parsed report file's shape, throwing a ShapeError that names the first field that is wrong. */
export function parseSavedReports(value: unknown): SavedContents {
  if (isRecord(value) && 'platforms' in value) return { platforms: savedPlatforms(value, '').platforms }
  return { single: savedReport(value, '') }
}

/** Reads a report saved by an earlier run. A missing file is a cache miss, not an error; any other fault is. */
export async function readBaselineReport(path: string): Promise<SavedReports> {
  const file = await readJsonFile(path, Input.BaselineReport)
  if (!file.found) return { path, contents: null }
  try {
    return { path, contents: parseSavedReports(file.value) }
  } catch (error) {
    if (!(error instanceof ShapeError)) throw error
    throw new UserError(`${Input.BaselineReport}: '${path}' is not an image-size-gate report: ${error.message}`)
  }
}

/** The baseline for one platform; a multi-platform report is compared like with like. */
export function baselineFromSaved(saved: SavedReports, platform: string): BaselineOutcome {
  const { path, contents } = saved
  if (!contents) return none(`no baseline: ${Input.BaselineReport} '${path}' does not exist (yet)`)
  const report = 'single' in contents ? contents.single : contents.platforms.find((entry) => !platform || entry.image.platform === platform)
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
