/**
 * One line of a size-history file: what a main-branch run measured, per platform, in a form that can be
 * a pull request's baseline later. Pure: build a record from reports, write it as one line, read one line
 * back (untrusted: checked by the record's schema, which reuses the report's parts), and turn a record
 * into a Baseline.
 */
import { z } from 'zod'
import type { GoAttribution } from '../binary/goattribution.js'
import { goBinaries, type GoBinary } from '../report/godiff.js'
import { BuildSettings, ModuleBytes, NamedBytes, PathUsage, ReportLayer } from '../report/report-schema.js'
import type { Baseline, Report } from '../report/report.js'
import { CommitSha, Count, Json, List, NonEmptyList, SchemaError, checked } from '../schema.js'

export const HISTORY_SCHEMA = 'image-size-gate.history/1'

// Records written before a field was recorded lack it; each such field is optional, with what absence means.
const LayerRecord = ReportLayer.omit({ compression: true, compressedFrom: true, analysisFrom: true }).extend({
  /** What the layer diff needs besides the size fields. */
  files: Count.default(0),
  createdBy: z.string().nullable().default(null),
  dockerfileLine: Count.nullable().default(null)
})
export type LayerRecord = z.infer<typeof LayerRecord>

/** A Go binary's module totals, plus what the module diff needs to explain a change. */
const GoModulesRecord = z.object({
  path: z.string(),
  modules: List(ModuleBytes),
  size: Count.default(0),
  module: z.string().nullable().default(null),
  goVersion: z.string().default(''),
  settings: BuildSettings.default(() => ({})),
  buckets: List(NamedBytes).default(() => []),
  textBytes: Count.default(0),
  paddingBytes: Count.default(0),
  namedTextBytes: Count.default(0),
  /** As GoAttribution's: whether data symbols were split out (records before the split are code-only), and the buckets without it. */
  symbolData: z.boolean().default(false),
  codeOnlyBuckets: List(NamedBytes).optional()
})
export type GoModulesRecord = z.infer<typeof GoModulesRecord>

const PlatformRecord = z.object({
  platform: z.string(),
  size: Count,
  compressedSize: Count.nullable(),
  compressedExact: z.boolean(),
  layers: List(LayerRecord),
  goModules: List(GoModulesRecord).default(() => []),
  /** Where the bytes are (as the report's image.paths), so a pull request's paths can be compared; null if not recorded. */
  paths: List(PathUsage).nullable().default(null),
  passed: z.boolean()
})
export type PlatformRecord = z.infer<typeof PlatformRecord>

const ISO_TIME = 'an ISO time'
const IsoTime = z.string({ error: ISO_TIME }).refine((text) => !Number.isNaN(Date.parse(text)), { error: ISO_TIME })

/** One line of a size-history file. */
const HistoryRecord = z.object({
  schema: z.literal(HISTORY_SCHEMA),
  key: z.string(),
  commit: CommitSha,
  parent: CommitSha.nullable(),
  time: IsoTime,
  runUrl: z.string().nullable(),
  passed: z.boolean(),
  platforms: NonEmptyList(PlatformRecord)
})
export type HistoryRecord = z.infer<typeof HistoryRecord>

/** Where and when the measured commit was built. */
export type RecordContext = Pick<HistoryRecord, 'key' | 'commit' | 'parent' | 'time' | 'runUrl'>

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

/** A line that is not a record of this schema: why, in one phrase. */
export class RecordLineError extends Error {
  override readonly name = 'RecordLineError'
}

/** Any versioned record, to tell a record of another schema from a damaged one. */
const Versioned = z.object({ schema: z.string() })

/** Reads one line back, checking every field; throws RecordLineError saying what is wrong. */
export function parseRecordLine(line: string): HistoryRecord {
  const json = Json.safeParse(line)
  if (!json.success) throw new RecordLineError('is not JSON')
  const versioned = Versioned.safeParse(json.data)
  if (versioned.success && versioned.data.schema !== HISTORY_SCHEMA) {
    throw new RecordLineError(`is a record of another schema (${JSON.stringify(versioned.data.schema.slice(0, 60))})`)
  }
  try {
    return checked(HistoryRecord, json.data)
  } catch (error) {
    if (!(error instanceof SchemaError)) throw error
    throw new RecordLineError(`is not a history record: ${error.message}`)
  }
}

/** The recorded platform as a pull request's baseline; null when the record has no such platform. */
export function baselineFromRecord(record: HistoryRecord, platform: string): Baseline | null {
  const [first] = record.platforms
  const entry = platform ? record.platforms.find((each) => each.platform === platform) : record.platforms.length === 1 ? first : undefined
  if (!entry) return null
  const layers = entry.layers.map((each) => ({ ...each }))
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
