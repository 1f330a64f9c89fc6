import { access, readFile } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import { UserError, messageOf } from './errors.js'
import { ensureCommit, repositoryRoot, withWorktree } from './git.js'
import { Input, type Inputs } from './inputs.js'
import type { Log } from './log.js'
import { buildImageModel, type ImageModel } from './model.js'
import { readRegistryBaseline } from './registry.js'
import { reportLayers, type Baseline, type BaselineSource, type Report } from './report.js'
import { pathUsage } from './usage.js'
import { goBinaries } from './godiff.js'
import { binaryFacts } from './insight.js'
import type { Source } from './gate.js'

/** The baseline, or why there is none. A missing baseline never fails the job by itself. */
export interface BaselineOutcome {
  baseline: Baseline | null
  note: string | null
}

/** The pull request's base, when the event has one. */
export interface BaseCommit {
  sha: string
  ref: string
}

/** Builds or reads an image as the gate does; injected so this module stays free of the build. */
export type Acquire = (inputs: Inputs, log: Log) => Promise<Source>
/** Whether a local image exists, and analysing it. */
export interface ImageAccess {
  exists(ref: string): Promise<boolean>
  acquireImage(ref: string, inputs: Inputs, log: Log): Promise<Source>
}

const none = (note: string): BaselineOutcome => ({ baseline: null, note })

/** baseline-report, then baseline-image, then the baseline mode decide where "before" comes from. */
export async function resolveBaseline(
  inputs: Inputs,
  base: BaseCommit | undefined,
  log: Log,
  acquire: Acquire,
  images: ImageAccess
): Promise<BaselineOutcome> {
  if (inputs.baselineReport) return fromReportFile(inputs.baselineReport, inputs.platform)
  if (inputs.baselineImage) return fromImage(inputs, log, images)
  const mode = inputs.baseline === 'auto' ? (base ? 'build' : 'none') : inputs.baseline
  if (mode === 'none') return none(base ? 'baseline disabled (baseline: none)' : 'no baseline: not a pull request')
  if (!base) return none('no baseline: baseline is build, but the event has no pull request base commit')
  return log.group(`Building the base commit ${base.sha.slice(0, 12)} for comparison`, () => fromBaseCommit(inputs, base, log, acquire))
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
    const exists = await access(dockerfile).then(() => true, () => false)
    if (!exists) return none(`new image: the base commit has no ${relative(dir, dockerfile)}`)
    try {
      const source = await acquire(moved, log)
      return { baseline: baselineFromModel(buildImageModel(source.archive, source.stage), 'build', base.sha), note: null }
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
    return { baseline: baselineFromModel(buildImageModel(source.archive, source.stage), 'image', ref), note: null }
  }
  try {
    return { baseline: await readRegistryBaseline(ref, inputs.platform), note: null }
  } catch (error) {
    log.warning(`${Input.BaselineImage}: ${messageOf(error)}`)
    return none(`baseline image ${ref} could not be read: ${messageOf(error)}`)
  }
}

/** A report saved by an earlier run. A missing file is a cache miss, not an error; a malformed one is. */
export async function fromReportFile(path: string, platform = ''): Promise<BaselineOutcome> {
  const text = await readFile(path, 'utf8').catch(() => undefined)
  if (text === undefined) return none(`no baseline: baseline-report '${path}' does not exist (yet)`)
  let parsed: Partial<Report> & { platforms?: Partial<Report>[] }
  try {
    parsed = JSON.parse(text) as Partial<Report> & { platforms?: Partial<Report>[] }
  } catch {
    throw new UserError(`${Input.BaselineReport}: '${path}' is not valid JSON`)
  }
  // A multi-platform report holds one report per platform: compare like with like.
  const report = parsed.platforms ? parsed.platforms.find((entry) => !platform || entry.image?.platform === platform) : parsed
  if (!report) return none(`no baseline: baseline-report '${path}' has no report for ${platform}`)
  if (report.schemaVersion !== 1 || typeof report.image?.size !== 'number' || !Array.isArray(report.image.layers)) {
    throw new UserError(`${Input.BaselineReport}: '${path}' is not an image-size-gate report (schemaVersion 1)`)
  }
  const image = report.image
  return {
    baseline: {
      source: 'report',
      ref: path,
      size: image.size,
      compressedSize: image.compressedSize ?? null,
      compressedExact: image.compressedExact ?? false,
      layers: image.layers,
      paths: image.paths ?? null,
      ...(Array.isArray(report.binaries) ? { binaries: goBinaries(report.binaries) } : {})
    },
    note: null
  }
}

export function baselineFromModel(model: ImageModel, source: BaselineSource, ref: string): Baseline {
  return {
    source,
    ref,
    size: model.size,
    compressedSize: model.compressedSize ?? null,
    compressedExact: model.compressedExact,
    layers: reportLayers(model),
    paths: pathUsage(model.filesystem),
    binaries: goBinaries(binaryFacts(model.filesystem))
  }
}
