/**
 * The zod schemas of binary/'s facts as they are persisted: a Go binary's attribution (in reports and
 * history records) and a file's whole ELF facts (in the layer index). One schema per shape; the report
 * and the layer index both build on these.
 */
import { z } from 'zod'
import { Count, List } from '../schema.js'
import type * as attribution from '../binary/goattribution.js'
import type * as elf from '../binary/elf.js'

export const NamedBytes = z.object({ name: z.string(), bytes: Count })

export const ModuleBytes = z.object({
  path: z.string(),
  version: z.string(),
  replace: z.string().optional(),
  bytes: Count,
  code: Count.optional()
})

/** Build settings as `go version -m` prints them: names to values. */
export const BuildSettings = z.record(z.string(), z.string(), { error: 'an object of build settings' })

export const GoAttribution = z.object({
  goVersion: z.string(),
  settings: BuildSettings,
  modules: List(ModuleBytes),
  packages: List(z.object({ name: z.string(), bytes: Count, code: Count.default(0) })),
  buckets: List(NamedBytes),
  // Reports saved before the symbol table's data was split out have code-only buckets and modules.
  symbolData: z.boolean().default(false),
  codeOnlyBuckets: List(NamedBytes).optional(),
  textBytes: Count,
  paddingBytes: Count,
  namedTextBytes: Count
})

const GoModule = z.object({
  path: z.string(),
  version: z.string(),
  replace: z.object({ path: z.string(), version: z.string() }).optional()
})

const GoInfo = z.object({
  goVersion: z.string(),
  path: z.string(),
  module: z.string().optional(),
  moduleVersion: z.string().optional(),
  deps: List(GoModule),
  settings: BuildSettings,
  cgo: z.boolean().optional(),
  trimpath: z.boolean().optional(),
  vcsRevision: z.string().optional(),
  uses: z.object({ tls: z.boolean(), tzdata: z.boolean(), embeddedTzdata: z.boolean(), user: z.boolean() })
})

/** What the ELF scanner learnt of one file. */
export const ElfFacts = z.object({
  bits: z.union([z.literal(32), z.literal(64)]),
  machine: z.string(),
  type: z.enum(['exec', 'dyn', 'rel', 'core', 'other']),
  static: z.boolean(),
  interpreter: z.string().optional(),
  needed: List(z.string()),
  rpath: List(z.string()),
  runpath: List(z.string()),
  stripped: z.boolean().nullable(),
  strippableBytes: Count.nullable(),
  go: GoInfo.optional(),
  goAttribution: GoAttribution.optional()
})

/** True when A and B are the same type. */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
type AllTrue<T extends readonly true[]> = T

/** These schemas persist binary/'s own types: a field added there and not here fails the type check. */
export type PinnedToBinary = AllTrue<
  [
    Same<z.infer<typeof NamedBytes>, attribution.NamedBytes>,
    Same<z.infer<typeof ModuleBytes>, attribution.ModuleBytes>,
    Same<z.infer<typeof GoAttribution>, attribution.GoAttribution>,
    Same<z.infer<typeof GoInfo>, elf.GoInfo>,
    Same<z.infer<typeof ElfFacts>, elf.ElfInfo>
  ]
>
