import { UserError } from './errors.js'
import type { SizeMetric } from './policy.js'
import { parseOptionalSize } from './size.js'

/** Input names, exactly as in action.yml (build inputs follow docker/build-push-action). */
export enum Input {
  Context = 'context',
  File = 'file',
  Target = 'target',
  BuildArgs = 'build-args',
  Platform = 'platform',
  Builder = 'builder',
  CacheFrom = 'cache-from',
  CacheTo = 'cache-to',
  Secrets = 'secrets',
  Network = 'network',
  Image = 'image',
  MaxSize = 'max-size',
  SizeMetric = 'size-metric',
  FailOnGoToolchain = 'fail-on-go-toolchain'
}

export enum Output {
  ImageId = 'image-id',
  Size = 'size',
  CompressedSize = 'compressed-size',
  Layers = 'layers',
  GoToolchain = 'go-toolchain',
  Passed = 'passed',
  Report = 'report'
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
  platform: string
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
    builder: read(Input.Builder).trim(),
    cacheFrom: parseList(read(Input.CacheFrom), false),
    cacheTo: parseList(read(Input.CacheTo), false),
    secrets: parseList(read(Input.Secrets), false).map(parseSecret),
    network: read(Input.Network).trim(),
    image: read(Input.Image).trim(),
    maxSize: parseOptionalSize(read(Input.MaxSize), Input.MaxSize),
    sizeMetric: sizeMetric as SizeMetric,
    failOnGoToolchain: parseBoolean(read(Input.FailOnGoToolchain), Input.FailOnGoToolchain, true),
    measureCompressed: true
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

/** build-push-action's `secrets` form: `id=value` per line. */
function parseSecret(line: string): Secret {
  const equals = line.indexOf('=')
  if (equals <= 0) throw new UserError(`${Input.Secrets}: each line must be id=value`)
  return { id: line.slice(0, equals).trim(), value: line.slice(equals + 1) }
}
