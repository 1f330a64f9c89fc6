import { UserError } from './errors.js'
import type { SizeMetric } from './policy.js'
import { parseOptionalSize, parseSize } from './size.js'

/** Input names, exactly as in action.yml (build inputs follow docker/build-push-action). */
export enum Input {
  Context = 'context',
  File = 'file',
  Target = 'target',
  BuildArgs = 'build-args',
  Platform = 'platform',
  Platforms = 'platforms',
  Builder = 'builder',
  CacheFrom = 'cache-from',
  CacheTo = 'cache-to',
  Secrets = 'secrets',
  Network = 'network',
  Image = 'image',
  MaxSize = 'max-size',
  SizeMetric = 'size-metric',
  FailOnGoToolchain = 'fail-on-go-toolchain',
  Baseline = 'baseline',
  BaselineImage = 'baseline-image',
  BaselineReport = 'baseline-report',
  MaxGrowth = 'max-growth',
  Comment = 'comment',
  GithubToken = 'github-token',
  CommentKey = 'comment-key',
  FailOnBrokenEntrypoint = 'fail-on-broken-entrypoint',
  MaxWasted = 'max-wasted'
}

export enum Output {
  ImageId = 'image-id',
  Size = 'size',
  CompressedSize = 'compressed-size',
  Layers = 'layers',
  GoToolchain = 'go-toolchain',
  Passed = 'passed',
  Report = 'report',
  BaselineSize = 'baseline-size',
  BaselineCompressedSize = 'baseline-compressed-size',
  SizeDelta = 'size-delta',
  CompressedSizeDelta = 'compressed-size-delta',
  CommentBody = 'comment-body',
  CommentUrl = 'comment-url'
}

/** `auto` builds the base on pull-request events and compares with nothing elsewhere. */
export type BaselineMode = 'auto' | 'build' | 'none'

/** A relative budget: bytes, or a percentage (of the baseline for growth, of the image for waste). */
export interface GrowthLimit {
  kind: 'bytes' | 'percent'
  value: number
}

export interface Secret {
  id: string
  value: string
}

/** Validated inputs. Keys mirror the action.yml names. */
export interface Inputs {
  context: string
  /** Empty means `Dockerfile` inside the context. */
  file: string
  target: string
  buildArgs: string[]
  /** The one platform this run builds; see `platforms` for several. */
  platform: string
  /** Every platform to build and measure, one at a time; empty means the builder's default. */
  platforms: string[]
  builder: string
  cacheFrom: string[]
  cacheTo: string[]
  secrets: Secret[]
  network: string
  image: string
  maxSize?: number
  sizeMetric: SizeMetric
  failOnGoToolchain: boolean
  /** Measure compressed sizes (always for the action; the CLI may skip them). */
  measureCompressed: boolean
  baseline: BaselineMode
  baselineImage: string
  baselineReport: string
  maxGrowth?: GrowthLimit
  comment: boolean
  githubToken: string
  /** Empty means derived from the Dockerfile path, target and platform. */
  commentKey: string
  failOnBrokenEntrypoint: boolean
  maxWasted?: GrowthLimit
}

/** Reads one raw input value; unset inputs read as ''. */
export type InputReader = (name: Input) => string

const SIZE_METRICS: readonly SizeMetric[] = ['uncompressed', 'compressed']

/** Validates every input, throwing a UserError that names the first bad one. */
export function parseInputs(read: InputReader): Inputs {
  const sizeMetric = read(Input.SizeMetric).trim() || 'uncompressed'
  if (!SIZE_METRICS.includes(sizeMetric as SizeMetric)) {
    throw new UserError(`${Input.SizeMetric}: '${sizeMetric}' is not a metric; use uncompressed or compressed`)
  }
  return {
    context: read(Input.Context).trim() || '.',
    file: read(Input.File).trim(),
    target: read(Input.Target).trim(),
    buildArgs: parseList(read(Input.BuildArgs), false).map((arg) => checkBuildArg(arg)),
    platform: parsePlatform(read(Input.Platform)),
    platforms: parsePlatforms(read(Input.Platform), read(Input.Platforms)),
    builder: read(Input.Builder).trim(),
    cacheFrom: parseList(read(Input.CacheFrom), false),
    cacheTo: parseList(read(Input.CacheTo), false),
    secrets: parseList(read(Input.Secrets), false).map(parseSecret),
    network: read(Input.Network).trim(),
    image: read(Input.Image).trim(),
    maxSize: parseOptionalSize(read(Input.MaxSize), Input.MaxSize),
    sizeMetric: sizeMetric as SizeMetric,
    failOnGoToolchain: parseBoolean(read(Input.FailOnGoToolchain), Input.FailOnGoToolchain, true),
    measureCompressed: true,
    baseline: parseBaselineMode(read(Input.Baseline)),
    baselineImage: read(Input.BaselineImage).trim(),
    baselineReport: read(Input.BaselineReport).trim(),
    maxGrowth: parseRelativeSize(read(Input.MaxGrowth), Input.MaxGrowth, 'a growth budget'),
    comment: parseBoolean(read(Input.Comment), Input.Comment, true),
    githubToken: read(Input.GithubToken).trim(),
    commentKey: read(Input.CommentKey).trim(),
    failOnBrokenEntrypoint: parseBoolean(read(Input.FailOnBrokenEntrypoint), Input.FailOnBrokenEntrypoint, true),
    maxWasted: parseRelativeSize(read(Input.MaxWasted), Input.MaxWasted, 'a waste budget')
  }
}

const BASELINE_MODES: readonly BaselineMode[] = ['auto', 'build', 'none']

function parseBaselineMode(text: string): BaselineMode {
  const mode = text.trim() || 'auto'
  if (!BASELINE_MODES.includes(mode as BaselineMode)) {
    throw new UserError(`${Input.Baseline}: '${mode}' is not a baseline mode; use auto, build or none`)
  }
  return mode as BaselineMode
}

/** `10%` or an absolute size such as `5MB`; empty means no budget. */
function parseRelativeSize(text: string, input: Input, what: string): GrowthLimit | undefined {
  const value = text.trim()
  if (value === '') return undefined
  const percent = /^([0-9]*\.?[0-9]+)\s*%$/.exec(value)
  if (percent) return { kind: 'percent', value: Number(percent[1]) }
  try {
    return { kind: 'bytes', value: parseSize(value, input) }
  } catch {
    throw new UserError(`${input}: cannot read '${value}' as ${what}; use e.g. 10% or 5MB`)
  }
}

/** Newline-separated lists; with `commas`, commas separate too (as build-push-action's list inputs). */
export function parseList(text: string, commas: boolean): string[] {
  return text
    .split(commas ? /[\n,]/ : /\n/)
    .map((item) => item.trim())
    .filter((item) => item !== '' && !item.startsWith('#'))
}

export function parseBoolean(text: string, input: string, fallback: boolean): boolean {
  const value = text.trim().toLowerCase()
  if (value === '') return fallback
  if (value === 'true') return true
  if (value === 'false') return false
  throw new UserError(`${input}: expected true or false, got '${text.trim()}'`)
}

function checkBuildArg(arg: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(arg)) {
    throw new UserError(`${Input.BuildArgs}: '${arg}' is not KEY=VALUE`)
  }
  return arg
}

function parsePlatform(text: string): string {
  const platforms = parseList(text, true)
  if (platforms.length > 1) {
    throw new UserError(`${Input.Platform}: give one platform, not ${platforms.length} (${platforms.join(', ')})`)
  }
  return platforms[0] ?? ''
}

/** `platforms` as build-push-action reads it: a comma or newline list; `platform` is the one-item form. */
function parsePlatforms(single: string, list: string): string[] {
  const platforms = parseList(list, true)
  if (platforms.length > 0 && single.trim() !== '') {
    throw new UserError(`${Input.Platforms}: set either platform or platforms, not both`)
  }
  const unique = [...new Set(platforms)]
  return unique.length > 0 ? unique : parseList(single, true).slice(0, 1)
}

/** build-push-action's `secrets` form: `id=value` per line. */
function parseSecret(line: string): Secret {
  const equals = line.indexOf('=')
  if (equals <= 0) throw new UserError(`${Input.Secrets}: each line must be id=value`)
  return { id: line.slice(0, equals).trim(), value: line.slice(equals + 1) }
}
