/**
 * One line of a size-history file: what a main-branch run measured, per platform, in a form that can be
 * a pull request's baseline later. Pure: build a record from reports, write it as one line, read one line
 * back (untrusted: checked field by field), and turn a record into a Baseline.
 */
import type { GoAttribution, ModuleBytes, NamedBytes } from '../binary/goattribution.js'
import { goBinaries, type GoBinary } from '../report/godiff.js'
import type { PathUsage } from '../model/usage.js'
import type { Baseline, Report, ReportLayer } from '../report/report.js'
import { ShapeError, arrayOf, boolean, count, isRecord, literal, nullable, object, optional, string, type Check } from '../shape.js'

export const HISTORY_SCHEMA = 'image-size-gate.history/1'

export interface LayerRecord {
  diffId: string
  size: number
  compressedSize: number | null
  compressedExact: boolean
  instruction: string | null
  /** What the layer diff needs besides the fields above. */
  files: number
  createdBy: string | null
  dockerfileLine: number | null
}

/** A Go binary's module totals, plus what the module diff needs to explain a change. */
export interface GoModulesRecord {
  path: string
  modules: ModuleBytes[]
  size: number
  module: string | null
  goVersion: string
  settings: Record<string, string>
  buckets: NamedBytes[]
  textBytes: number
  paddingBytes: number
  namedTextBytes: number
  /** As GoAttribution's: whether data symbols were split out, and the buckets without that split. */
  symbolData: boolean
  codeOnlyBuckets?: NamedBytes[]
}

export interface PlatformRecord {
  platform: string
  size: number
  compressedSize: number | null
  compressedExact: boolean
  layers: LayerRecord[]
  goModules: GoModulesRecord[]
  /** Where the bytes are (as the report's image.paths), so a pull request's paths can be compared; null if not recorded. */
  paths: PathUsage[] | null
  passed: boolean
}

export interface HistoryRecord {
  schema: typeof HISTORY_SCHEMA
  key: string
  commit: string
  parent: string | null
  time: string
  runUrl: string | null
  passed: boolean
  platforms: PlatformRecord[]
}

/** Where and when the measured commit was built. */
export interface RecordContext {
  key: string
  commit: string
  parent: string | null
  time: string
  runUrl: string | null
}

/** This run's record: one entry per platform's report. */
export function recordOf(reports: readonly Report[], context: RecordContext): HistoryRecord {
  const platforms = reports.map(platformRecord)
  return { schema: HISTORY_SCHEMA, ...context, passed: reports.every((report) => report.passed), platforms }
}

function platformRecord(report: Report): PlatformRecord {
  const { image } = report
  return {
    platform: image.platform,
    size: image.size,
    compressedSize: image.compressedSize,
    compressedExact: image.compressedExact,
    layers: image.layers.map(layerRecord),
    goModules: goBinaries(report.binaries).map(goModulesRecord),
    paths: image.paths,
    passed: report.passed
  }
}

function layerRecord(layer: ReportLayer): LayerRecord {
  const { diffId, size, compressedSize, compressedExact, instruction, files, createdBy, dockerfileLine } = layer
  return { diffId, size, compressedSize, compressedExact, instruction, files, createdBy, dockerfileLine }
}

function goModulesRecord(binary: GoBinary): GoModulesRecord {
  const a = binary.goAttribution as GoAttribution
  const { goVersion, settings, modules, buckets, textBytes, paddingBytes, namedTextBytes, symbolData, codeOnlyBuckets } = a
  const { path, size, module } = binary
  const split = codeOnlyBuckets ? { codeOnlyBuckets } : {}
  return { path, modules, size, module, goVersion, settings, buckets, textBytes, paddingBytes, namedTextBytes, symbolData, ...split }
}

/** One line of JSON, no newline inside: JSON.stringify escapes every control character. */
export function serializeRecord(record: HistoryRecord): string {
  return JSON.stringify(record)
}

const sha = (value: unknown, at: string): string => {
  if (typeof value === 'string' && /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(value)) return value
  throw new ShapeError(at, 'a commit SHA (40 or 64 hex digits)')
}
const settings: Check<Record<string, string>> = (value, at) => {
  if (!isRecord(value)) throw new ShapeError(at, 'an object of build settings')
  for (const [name, setting] of Object.entries(value)) string(setting, `${at}.${name}`)
  return value as Record<string, string>
}
const namedBytes = object({ name: string, bytes: count })
const moduleBytes: Check<ModuleBytes> = (value, at) => {
  const checked = object({
    path: string,
    version: string,
    replace: optional(string, undefined),
    bytes: count,
    code: optional(count, undefined)
  })
  const { path, version, replace, bytes, code } = checked(value, at)
  return { path, version, ...(replace === undefined ? {} : { replace }), bytes, ...(code === undefined ? {} : { code }) }
}
const layer = object({
  diffId: string,
  size: count,
  compressedSize: nullable(count),
  compressedExact: boolean,
  instruction: nullable(string),
  files: optional(count, 0),
  createdBy: optional(nullable(string), null),
  dockerfileLine: optional(nullable(count), null)
})
const goModules = object({
  path: string,
  modules: arrayOf(moduleBytes),
  size: optional(count, 0),
  module: optional(nullable(string), null),
  goVersion: optional(string, ''),
  settings: optional(settings, {}),
  buckets: optional(arrayOf(namedBytes), []),
  textBytes: optional(count, 0),
  paddingBytes: optional(count, 0),
  namedTextBytes: optional(count, 0),
  // Records written before the symbol table's data was split out are code-only.
  symbolData: optional(boolean, false),
  codeOnlyBuckets: optional(arrayOf(namedBytes), undefined)
})
const platform = object({
  platform: string,
  size: count,
  compressedSize: nullable(count),
  compressedExact: boolean,
  layers: arrayOf(layer),
  goModules: optional(arrayOf(goModules), []),
  paths: optional(nullable(arrayOf(object({ path: string, size: count }))), null),
  passed: boolean
})
const time: Check<string> = (value, at) => {
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return value
  throw new ShapeError(at, 'an ISO time')
}
const historyRecord = object({
  schema: literal(HISTORY_SCHEMA),
  key: string,
  commit: sha,
  parent: nullable(sha),
  time,
  runUrl: nullable(string),
  passed: boolean,
  platforms: arrayOf(platform, { nonEmpty: true })
})

/** A line that is not a record of this schema: why, in one phrase. */
export class RecordLineError extends Error {
  override readonly name = 'RecordLineError'
}

/** Reads one line back, checking every field; throws RecordLineError saying what is wrong. */
export function parseRecordLine(line: string): HistoryRecord {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    throw new RecordLineError('is not JSON')
  }
  if (isRecord(value) && typeof value['schema'] === 'string' && value['schema'] !== HISTORY_SCHEMA) {
    throw new RecordLineError(`is a record of another schema (${JSON.stringify(value['schema'].slice(0, 60))})`)
  }
  try {
    return historyRecord(value, '')
  } catch (error) {
    if (!(error instanceof ShapeError)) throw error
    throw new RecordLineError(`is not a history record: ${error.message}`)
  }
}

/** The recorded platform as a pull request's baseline; null when the record has no such platform. */
export function baselineFromRecord(record: HistoryRecord, platform: string): Baseline | null {
  const [first] = record.platforms
  const entry = platform ? record.platforms.find((each) => each.platform === platform) : record.platforms.length === 1 ? first : undefined
  if (!entry) return null
  const layers: ReportLayer[] = entry.layers.map((each) => ({ ...each }))
  return {
    source: 'history',
    ref: record.commit,
    size: entry.size,
    compressedSize: entry.compressedSize,
    compressedExact: entry.compressedExact,
    layers,
    paths: entry.paths,
    binaries: entry.goModules.map(goBinaryOf)
  }
}

function goBinaryOf(entry: GoModulesRecord): GoBinary {
  const { goVersion, settings, modules, buckets, textBytes, paddingBytes, namedTextBytes, symbolData, codeOnlyBuckets } = entry
  const split = codeOnlyBuckets ? { codeOnlyBuckets } : {}
  const goAttribution = {
    goVersion,
    settings,
    modules,
    packages: [],
    buckets,
    textBytes,
    paddingBytes,
    namedTextBytes,
    symbolData,
    ...split
  }
  return { path: entry.path, size: entry.size, module: entry.module, goAttribution }
}
