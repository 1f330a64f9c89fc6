/**
 * The JSON report's one schema (schemaVersion 1): the report's TypeScript types are inferred from it, a
 * saved report read back is checked by it, the history record reuses its parts, and
 * docs/report.schema.json is generated from it. Fields that older writers left out are optional here,
 * with the value that absence means.
 */
import { z } from 'zod'
import { CommitSha, Count, List, NonEmptyList, checked } from '../schema.js'
import { BuildSettings, GoAttribution, ModuleBytes, NamedBytes } from '../archive/binary-facts-schema.js'
import { RULES } from '../findings/rule.js'
import type * as archive from '../archive/descriptor.js'
import type * as binaries from '../findings/binaries.js'
import type * as budget from '../findings/budget.js'
import type * as finding from '../findings/finding.js'
import type * as insight from '../findings/insight.js'
import type * as toolchain from '../findings/toolchain.js'
import type * as waste from '../findings/waste.js'
import type * as usage from '../model/usage.js'
import type * as size from '../size.js'
import type * as godiff from './godiff.js'

/** A difference of two sizes: a whole number, either sign. */
const Bytes = z.int({ error: 'a whole number' })
const Text = z.string().nullable()

// The Go attribution's parts are binary/'s facts, with their one schema beside the layer index's.
export { BuildSettings, ModuleBytes, NamedBytes }

export const PathUsage = z.object({ path: z.string(), size: Count })

export const ReportLayer = z.object({
  diffId: z.string(),
  size: Count,
  compressedSize: Count.nullable(),
  /** false marks compressedSize as an estimate (gzip of a plain layer). */
  compressedExact: z.boolean(),
  /** The blob's compression; absent in reports written before it was recorded. */
  compression: z.enum(['gzip', 'zstd', 'none']).optional(),
  /** Set when compressedSize was reused from a trusted record of the same diffId, e.g. `history 0123abc`; never exact then. */
  compressedFrom: z.string().optional(),
  /** Set when the layer's files and ELF facts came from the layer index (named), proven by digest and not parsed again. */
  analysisFrom: z.string().optional(),
  files: Count,
  createdBy: Text,
  instruction: Text,
  dockerfileLine: Count.nullable()
})
export type ReportLayer = z.infer<typeof ReportLayer>

/** What the module diff needs of a Go binary; reports from before attribution have neither field. */
const GoBinaryFields = { path: z.string(), size: Count, module: Text.default(null), goAttribution: GoAttribution.nullable().default(null) }
const GoBinary = z.object(GoBinaryFields)

const BinaryFact = z.object({
  ...GoBinaryFields,
  static: z.boolean(),
  interpreter: Text,
  needed: List(z.string()),
  stripped: z.boolean().nullable(),
  strippableBytes: Count.nullable(),
  goVersion: Text,
  cgo: z.boolean().nullable(),
  trimpath: z.boolean().nullable(),
  vcsRevision: Text,
  uses: z.object({ tls: z.boolean(), tzdata: z.boolean(), user: z.boolean() }).nullable()
})

const DeletedToolchain = z.object({ root: z.string(), goVersion: z.string(), bytes: Count, layer: Count, deletedIn: Count })

const GoToolchain = z.object({
  found: z.boolean(),
  paths: List(z.string()),
  goVersion: Text,
  bytes: Count,
  layer: Count.nullable(),
  deleted: List(DeletedToolchain),
  hints: List(z.string())
})

const Advice = z.object({ scratchBytes: Count, distrolessBytes: Count, nowBytes: Count, text: z.string() })

const Waste = z.object({ bytes: Count, top: List(z.object({ path: z.string(), bytes: Count, layer: Count, hiddenBy: Count })) })

const SizeMetric = z.enum(['uncompressed', 'compressed'])

const Budget = z.object({ metric: SizeMetric, limit: Count, actual: Count, passed: z.boolean() })

const Growth = z.object({
  metric: SizeMetric,
  /** The limit as given: bytes, or a percentage of the baseline. */
  limit: z.number().min(0),
  limitKind: z.enum(['bytes', 'percent']),
  /** Head minus base, in bytes. */
  actual: Bytes,
  percent: z.number().nullable(),
  /** What was judged: the whole image, or only the layers the Dockerfile adds on top of its FROM image. */
  scope: z.enum(['image', 'own-layers']).default('image'),
  passed: z.boolean()
})

const Finding = z.object({
  rule: z.enum(RULES),
  severity: z.enum(['error', 'warning', 'notice']),
  message: z.string(),
  path: z.string().optional(),
  layer: Count.optional(),
  line: Count.optional()
})

/** Where the "before" of a pull request came from. */
const BaselineSource = z.enum(['build', 'image', 'report', 'history'])
export type BaselineSource = z.infer<typeof BaselineSource>

export const Baseline = z.object({
  source: BaselineSource,
  /** The base commit SHA, the image reference, the report path, or the recorded commit. */
  ref: z.string(),
  /** How it was found, when that needs saying, e.g. "baseline is from abc1234, 3 commits before the base". */
  note: z.string().optional(),
  /** null when the source cannot know it (a registry manifest has no uncompressed sizes). */
  size: Count.nullable(),
  compressedSize: Count.nullable(),
  compressedExact: z.boolean(),
  layers: List(ReportLayer),
  /** Per-path usage; null when the source has no file listing (a registry manifest). */
  paths: List(PathUsage).nullable(),
  /** Its Go binaries, for the module diff; absent when the source has no files (a registry manifest). */
  binaries: List(GoBinary).optional(),
  /** The final stage's FROM image, when the baseline was built from a Dockerfile. */
  parentImage: Text.optional()
})
/** The base side of a comparison, as far as it is known. */
export type Baseline = z.infer<typeof Baseline>

const Version = z.object({ version: z.string(), replace: z.string().optional() })

const BinaryDiff = z.object({
  path: z.string(),
  basePath: z.string(),
  matchedBy: z.enum(['path', 'module']),
  baseSize: Count,
  headSize: Count,
  delta: Bytes,
  goVersion: z.object({ base: z.string(), head: z.string() }).nullable(),
  modules: List(
    z.object({
      path: z.string(),
      kind: z.enum(['added', 'removed', 'upgraded', 'downgraded', 'replaced', 'unchanged']),
      base: Version.nullable(),
      head: Version.nullable(),
      baseBytes: Count,
      headBytes: Count,
      delta: Bytes
    })
  ),
  settings: List(z.object({ key: z.string(), base: Text, head: Text })),
  buckets: List(z.object({ name: z.string(), base: Count, head: Count, delta: Bytes }))
})

export const Delta = z.object({
  size: Bytes.nullable(),
  compressedSize: Bytes.nullable(),
  /** The module diff of each Go binary head and base both ship. */
  binaries: List(BinaryDiff).optional()
})
/** Head minus base, per metric; null where either side does not know the metric. */
export type Delta = z.infer<typeof Delta>

const Image = z.object({
  /** What the engine accepts: `docker image inspect <id>` finds it on either store. */
  id: z.string(),
  /** The image config's digest; equal to id on the classic store only. */
  configDigest: Text.default(null),
  platform: z.string(),
  size: Count,
  compressedSize: Count.nullable(),
  compressedExact: z.boolean(),
  layers: List(ReportLayer),
  /** Where the bytes are, for comparing with a baseline; null in reports written before it was recorded. */
  paths: List(PathUsage).nullable().default(null),
  /** The final stage's FROM image as the Dockerfile names it; null for an analysed image or an older report. */
  parentImage: Text.default(null)
})

/** Which image of which run the report is: what names it in a combined comment, and the pull request and commit it was made for. */
export const ReportOrigin = z.object({
  /** The sticky comment's key (comment-key, else the Dockerfile, target and platforms). */
  key: z.string(),
  /** The image's name for people, e.g. `services/api/Dockerfile (target runtime)`. */
  title: z.string(),
  /** The commit the image was built from: a pull request's head, or the pushed commit; null when not known. */
  commit: CommitSha.nullable(),
  /** The pull request the run was for; null for any other event. */
  pullRequest: Count.nullable(),
  runUrl: Text
})
export type ReportOrigin = z.infer<typeof ReportOrigin>

export const Report = z
  .object({
    schemaVersion: z.literal(1),
    image: Image,
    goToolchain: GoToolchain,
    /** Every ELF executable the container sees, with what it needs to start; absent in the earliest reports. */
    binaries: List(BinaryFact).default(() => []),
    /** What the image would weigh on scratch or distroless; null when there is nothing to gain. */
    advice: Advice.nullable(),
    /** Bytes shipped but overwritten or deleted by a later layer, with the largest paths. */
    wasted: Waste,
    budget: Budget.nullable(),
    /** The soft budget (warn-size): over it is a warning, never a failure; absent in reports written before it existed. */
    softBudget: Budget.nullable().default(null),
    /** The base side of a pull request's comparison; null when there is none (see baselineNote). */
    baseline: Baseline.nullable(),
    /** Why there is no baseline, e.g. "new image" or "base did not build: …"; null when compared. */
    baselineNote: z.string().nullable(),
    delta: Delta.nullable(),
    /** The max-growth check; null without a growth budget or a baseline. */
    growth: Growth.nullable(),
    findings: List(Finding),
    passed: z.boolean(),
    /** Which image of which run this is; null in reports written before it was recorded. */
    origin: ReportOrigin.nullable().default(null)
  })
  .meta({ id: 'Report', title: 'image-size-gate report', description: 'The report of one image, for one platform.' })
/** The JSON report (schemaVersion 1), written to the `report` output path. */
export type Report = z.infer<typeof Report>

// `platforms` is checked first: a file with `platforms` is this form, and one that is not a list says so first.
export const MultiPlatformReport = z.object({ platforms: NonEmptyList(Report), schemaVersion: z.literal(1), passed: z.boolean() }).meta({
  id: 'MultiPlatformReport',
  title: 'image-size-gate multi-platform report',
  description: 'One full report per platform; from the reports input, one per image and platform.'
})
/** The JSON report of a multi-platform run: one full report per platform; the worst decides. */
export type MultiPlatformReport = z.infer<typeof MultiPlatformReport>

/** What a report file holds: one report, or one per platform (docs/report.md). */
export const ReportFile = z.union([Report, MultiPlatformReport]).meta({ title: 'image-size-gate report file' })
export type ReportFile = z.infer<typeof ReportFile>

/** Checks a parsed report file; an object with `platforms` is the multi-platform form. Throws a SchemaError. */
export function parseReportFile(value: unknown): ReportFile {
  const multi = typeof value === 'object' && value !== null && 'platforms' in value
  return multi ? checked(MultiPlatformReport, value) : checked(Report, value)
}

/** True when A and B are the same type. */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
type AllTrue<T extends readonly true[]> = T

/** The report persists the stages' own types: a field added to one of them and not here fails the type check. */
export type PinnedToStages = AllTrue<
  [
    Same<z.infer<typeof PathUsage>, usage.PathUsage>,
    Same<NonNullable<ReportLayer['compression']>, archive.LayerCompression>,
    Same<z.infer<typeof GoBinary>, godiff.GoBinary>,
    Same<z.infer<typeof BinaryFact>, binaries.BinaryFact>,
    Same<z.infer<typeof DeletedToolchain>, toolchain.DeletedToolchain>,
    Same<z.infer<typeof Advice>, insight.Advice>,
    Same<z.infer<typeof Waste>, waste.Waste>,
    Same<z.infer<typeof SizeMetric>, size.SizeMetric>,
    Same<z.infer<typeof Budget>, budget.Budget>,
    Same<z.infer<typeof Growth>, budget.Growth>,
    Same<z.infer<typeof Finding>, finding.Finding>,
    Same<z.infer<typeof BinaryDiff>, godiff.BinaryDiff>
  ]
>
