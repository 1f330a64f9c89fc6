import { UserError } from './errors.js'
import { parseLimit, parseOptionalSize, type GrowthScope, type Limit, type SizeMetric } from './size.js'

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
  MaxWasted = 'max-wasted',
  History = 'history',
  Reports = 'reports',
  ExpectReports = 'expect-reports',
  WarnSize = 'warn-size',
  GrowthScope = 'growth-scope',
  CommentThreshold = 'comment-threshold',
  Engine = 'engine'
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

/** The program that builds and stores images: Docker (buildx) or Podman (Buildah). */
export type EngineName = 'docker' | 'podman'

/** `auto` builds the base on pull-request events and compares with nothing elsewhere. */
export type BaselineMode = 'auto' | 'build' | 'none'

/** A relative budget: bytes, or a percentage (of the baseline for growth, of the image for waste). */

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
  maxGrowth?: Limit
  comment: boolean
  githubToken: string
  /** Empty means derived from the Dockerfile path, target and platform. */
  commentKey: string
  failOnBrokenEntrypoint: boolean
  maxWasted?: Limit
  /** The size-history branch; empty means off. */
  history: string
  /** Globs of JSON reports (relative to the workspace) to render as one comment; none: build and measure as usual. */
  reports: string[]
  /** How many reports the `reports` globs must find; undefined: any number. */
  expectReports?: number
  /** warn-size: a soft budget on size-metric. */
  warnSize?: number
  growthScope: GrowthScope
  /** No new comment when every image changed by less than this; an existing one is still updated. */
  commentThreshold?: Limit
  engine: EngineName
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
    maxGrowth: parseLimit(read(Input.MaxGrowth), Input.MaxGrowth, 'a growth budget'),
    comment: parseBoolean(read(Input.Comment), Input.Comment, true),
    githubToken: read(Input.GithubToken).trim(),
    commentKey: parseCommentKey(read(Input.CommentKey)),
    failOnBrokenEntrypoint: parseBoolean(read(Input.FailOnBrokenEntrypoint), Input.FailOnBrokenEntrypoint, true),
    maxWasted: parseLimit(read(Input.MaxWasted), Input.MaxWasted, 'a waste budget'),
    history: parseHistoryBranch(read(Input.History)),
    reports: parseList(read(Input.Reports), false),
    expectReports: parseCount(read(Input.ExpectReports), Input.ExpectReports),
    warnSize: parseOptionalSize(read(Input.WarnSize), Input.WarnSize),
    growthScope: parseGrowthScope(read(Input.GrowthScope)),
    commentThreshold: parseLimit(read(Input.CommentThreshold), Input.CommentThreshold, 'a change threshold'),
    engine: parseEngine(read(Input.Engine))
  }
}

const GROWTH_SCOPES: readonly GrowthScope[] = ['image', 'own-layers']

function parseGrowthScope(text: string): GrowthScope {
  const scope = text.trim() || 'image'
  if (!GROWTH_SCOPES.includes(scope as GrowthScope)) {
    throw new UserError(`${Input.GrowthScope}: '${scope}' is not a growth scope; use image or own-layers`)
  }
  return scope as GrowthScope
}

/** A count such as expect-reports: a whole number of at least 1; empty means not set. */
function parseCount(text: string, input: Input): number | undefined {
  const value = text.trim()
  if (value === '') return undefined
  if (!/^[0-9]{1,6}$/.test(value) || Number(value) === 0) {
    throw new UserError(`${input}: '${value}' is not a count; give a whole number from 1 to 999999, e.g. 4`)
  }
  return Number(value)
}

const ENGINES: readonly EngineName[] = ['docker', 'podman']

function parseEngine(text: string): EngineName {
  const engine = text.trim() || 'docker'
  if (!ENGINES.includes(engine as EngineName)) throw new UserError(`${Input.Engine}: '${engine}' is not an engine; use docker or podman`)
  return engine as EngineName
}

const BASELINE_MODES: readonly BaselineMode[] = ['auto', 'build', 'none']

function parseBaselineMode(text: string): BaselineMode {
  const mode = text.trim() || 'auto'
  if (!BASELINE_MODES.includes(mode as BaselineMode)) {
    throw new UserError(`${Input.Baseline}: '${mode}' is not a baseline mode; use auto, build or none`)
  }
  return mode as BaselineMode
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
  const platforms = platformList(text, Input.Platform)
  if (platforms.length > 1) {
    throw new UserError(`${Input.Platform}: give one platform, not ${platforms.length} (${platforms.join(', ')})`)
  }
  return platforms[0] ?? ''
}

/** `platforms` as build-push-action reads it: a comma or newline list; `platform` is the one-item form. */
function parsePlatforms(single: string, list: string): string[] {
  const platforms = platformList(list, Input.Platforms)
  if (platforms.length > 0 && single.trim() !== '') {
    throw new UserError(`${Input.Platforms}: set either platform or platforms, not both`)
  }
  return platforms.length > 0 ? platforms : platformList(single, Input.Platform).slice(0, 1)
}

// containerd's platform specifier components: os/arch[/variant], each [A-Za-z0-9_-]+.
const PLATFORM_PATTERN = /^[a-z0-9_-]+\/[a-z0-9_-]+(?:\/[a-z0-9_-]+)?$/i

/** Checks every entry of a platform list: blank lines and `#` lines are skipped, an empty item between commas is not. */
export function platformList(text: string, input: Input): string[] {
  const seen = new Map<string, string>()
  for (const line of text.split('\n').map((each) => each.trim())) {
    if (line === '' || line.startsWith('#')) continue
    for (const platform of line.split(',').map((item) => item.trim())) {
      if (platform === '') throw new UserError(`${input}: '${line}' has an empty entry; separate platforms with one comma`)
      if (!PLATFORM_PATTERN.test(platform)) {
        throw new UserError(`${input}: '${platform}' is not a platform; use os/arch or os/arch/variant, e.g. linux/amd64 or linux/arm/v7`)
      }
      const same = seen.get(platformKey(platform))
      if (same !== undefined)
        throw new UserError(`${input}: '${platform}' is listed twice${same === platform ? '' : ` (as '${same}')`}; list each platform once`)
      seen.set(platformKey(platform), platform)
    }
  }
  return [...seen.values()]
}

/** What the engine treats as one platform: names are case-insensitive, and arm64 means arm64/v8. */
function platformKey(platform: string): string {
  return platform.toLowerCase().replace(/^([^/]+\/arm64)\/v8$/, '$1')
}

/** Long enough for any name, short enough that the marker carrying it stays small. */
export const MAX_COMMENT_KEY_LENGTH = 100

/** The sticky comment's key: printable, on one line, at most 100 characters. */
function parseCommentKey(text: string): string {
  const key = text.trim()
  const length = [...key].length
  if (length > MAX_COMMENT_KEY_LENGTH) {
    throw new UserError(`${Input.CommentKey}: the key is ${length} characters long; give at most ${MAX_COMMENT_KEY_LENGTH}`)
  }
  const hidden = /[\p{C}\p{Zl}\p{Zp}]/u.exec(key)?.[0]
  if (hidden !== undefined) {
    const code = `U+${(hidden.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`
    throw new UserError(`${Input.CommentKey}: the key contains the unprintable character ${code}; use printable text on one line`)
  }
  return key
}

// What `git check-ref-format --branch` accepts, less the rare corners: no `..`, `//`, `@{`, `.lock` or edge dots and slashes.
const BRANCH_PATTERN = /^(?![-./])(?!.*(?:\.\.|\/\/|@\{|\.lock(?:\/|$)|\/\.))[A-Za-z0-9._/@+-]+(?<![./])$/

/** The history branch: a plain branch name, never an option or a ref outside refs/heads. */
function parseHistoryBranch(text: string): string {
  const branch = text.trim()
  // HEAD and refs/… would become refs/heads/HEAD and refs/heads/refs/…: names git itself would misread.
  const refLike = branch === 'HEAD' || branch.startsWith('refs/')
  if (branch === '' || (BRANCH_PATTERN.test(branch) && branch.length <= 200 && branch !== '@' && !refLike)) return branch
  throw new UserError(`${Input.History}: '${branch}' is not a branch name; use letters, digits and . _ - /, e.g. image-size-history`)
}

/** build-push-action's `secrets` form: `id=value` per line. */
function parseSecret(line: string): Secret {
  const equals = line.indexOf('=')
  if (equals <= 0) throw new UserError(`${Input.Secrets}: each line must be id=value`)
  return { id: line.slice(0, equals).trim(), value: line.slice(equals + 1) }
}
