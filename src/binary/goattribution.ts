/**
 * Where a Go binary's bytes go: code per module and package (from the pclntab's function table), and
 * named buckets for everything else (pclntab, type data, DWARF, symbol tables, headers and padding, cgo's
 * C code). Modules and buckets add up exactly to the file's size. Pure: the ELF scanner gathers the input.
 */
import { SHF_EXECINSTR, SHT_NOBITS } from './elf-constants.js'
import type { GoCode } from './gocode.js'
import type { GoInfo, GoModule } from './gobuildinfo.js'
import { symbolData, type DataSymbol } from './gosymbols.js'

export interface ModuleBytes {
  /** Module path; `std` for the standard library, whose version is the Go version. */
  path: string
  version: string
  /** `path version` of the `=>` replacement, when the build info has one. */
  replace?: string
  /** Code and, when the symbol table has them, data symbols. */
  bytes: number
  /** Code alone: what a stripped build of the same source also shows. */
  code?: number
}

export interface NamedBytes {
  name: string
  bytes: number
}

/** A package's code and data bytes, and of them its code (the text symbols `go tool nm -size` sums). */
export interface PackageBytes extends NamedBytes {
  code: number
}

export interface GoAttribution {
  goVersion: string
  /** Build settings (`build` lines), for the module diff. */
  settings: Record<string, string>
  /** Every module with code in the binary, largest first. */
  modules: ModuleBytes[]
  /** The largest packages by bytes. */
  packages: PackageBytes[]
  /** Bytes that belong to no package, largest first. */
  buckets: NamedBytes[]
  /** True when the symbol table's data symbols were split out of the data sections into packages and regions. */
  symbolData: boolean
  /** Then, the buckets without that split: with the modules' `code` they add up to the file size, like a stripped build's. */
  codeOnlyBuckets?: NamedBytes[]
  /** Bytes of executable sections; of them, alignment fill and functions of a named package. */
  textBytes: number
  paddingBytes: number
  namedTextBytes: number
}

/** One section's file extent, named from .shstrtab. */
export interface SectionExtent {
  name: string
  type: number
  flags: number
  /** Virtual address, where the symbol table's values point. */
  addr: number
  offset: number
  size: number
}

export const BUCKETS = {
  pclntab: 'pclntab',
  types: 'type and itab data',
  rodata: 'read-only data (no symbol table to split it)',
  rodataRest: 'other read-only data',
  data: 'data (no symbol table to split it)',
  dataRest: 'other data',
  strings: 'string data',
  funcdata: 'function metadata (go:func.*)',
  dwarf: 'DWARF',
  symbols: 'symbol tables',
  cgo: 'C code (cgo)',
  unnamed: 'Go code without a package',
  padding: 'alignment padding between functions',
  headers: 'ELF headers and padding'
} as const

/** The buckets that data symbols split, and the name of what is left of each. */
const SPLIT: ReadonlyMap<string, string> = new Map([
  [BUCKETS.rodata, BUCKETS.rodataRest],
  [BUCKETS.data, BUCKETS.dataRest]
])

export const STD = 'std'
export const UNKNOWN_MODULE = '(unknown module)'
const TOP_PACKAGES = 10

/** Attribution of a Go binary; null when the pieces disagree (e.g. code larger than the file's text). */
export function attributeGo(
  fileSize: number,
  sections: SectionExtent[],
  code: GoCode,
  go: GoInfo,
  symbols?: readonly DataSymbol[]
): GoAttribution | null {
  const { buckets, textBytes } = sectionBuckets(fileSize, sections)
  const goCode = code.end - code.start
  const cgoBytes = textBytes - goCode
  if (cgoBytes < 0) return null
  add(buckets, go.cgo === true ? BUCKETS.cgo : BUCKETS.headers, cgoBytes)
  // Functions from host objects (no compilation unit) are the C code cgo linked in.
  add(buckets, go.cgo === true ? BUCKETS.cgo : BUCKETS.unnamed, code.foreign)
  add(buckets, BUCKETS.unnamed, code.packages.get('') ?? 0)
  add(buckets, BUCKETS.padding, code.padding)
  const named = [...code.packages].filter(([name]) => name !== '')
  const attributed = named.reduce((total, [, bytes]) => total + bytes, 0) + [...buckets.values()].reduce((a, b) => a + b, 0)
  if (attributed > fileSize) return null
  add(buckets, BUCKETS.headers, fileSize - attributed)
  const data = symbols ? splitData(buckets, sections, symbols) : null
  const packages = new Map(named)
  for (const [pkg, bytes] of data?.packages ?? []) packages.set(pkg, (packages.get(pkg) ?? 0) + bytes)
  return {
    goVersion: go.goVersion,
    settings: { ...go.settings },
    modules: withCode(moduleBytes(packages, go), moduleBytes(code.packages, go)),
    packages: largestFirst([...packages].map(([name, bytes]) => ({ name, bytes, code: code.packages.get(name) ?? 0 }))).slice(
      0,
      TOP_PACKAGES
    ),
    buckets: bucketList(data?.buckets ?? buckets),
    ...(data ? { codeOnlyBuckets: bucketList(buckets) } : {}),
    symbolData: data !== null,
    textBytes,
    paddingBytes: code.padding,
    namedTextBytes: goCode - code.padding - code.foreign - (code.packages.get('') ?? 0)
  }
}

/** Moves the bytes of data symbols out of their sections' buckets: to packages, or to the linker's regions. */
function splitData(codeOnly: Map<string, number>, sections: SectionExtent[], symbols: readonly DataSymbol[]) {
  const split = (s: SectionExtent): boolean => s.type !== SHT_NOBITS && SPLIT.has(sectionBucket(s.name))
  const spans = sections.map((s) => (split(s) ? { addr: s.addr, size: s.size } : undefined))
  const data = symbolData(spans, symbols)
  const buckets = new Map(codeOnly)
  for (const [index, bytes] of data.bySection) add(buckets, sectionBucket(sections[index]?.name ?? ''), -bytes)
  // Sections that overlap in the file would be split twice; keep the unsplit view then.
  if ([...buckets.values()].some((bytes) => bytes < 0)) return null
  for (const [unsplit, rest] of SPLIT) {
    add(buckets, rest, buckets.get(unsplit) ?? 0)
    buckets.delete(unsplit)
  }
  add(buckets, BUCKETS.types, data.kinds.get('types') ?? 0)
  add(buckets, BUCKETS.strings, data.kinds.get('strings') ?? 0)
  add(buckets, BUCKETS.funcdata, data.kinds.get('funcdata') ?? 0)
  return { buckets, packages: data.packages }
}

/** Each module's total with its code bytes beside it. */
function withCode(total: ModuleBytes[], code: ModuleBytes[]): ModuleBytes[] {
  const codeBytes = new Map(code.map((m) => [m.path, m.bytes]))
  return total.map((m) => ({ ...m, code: codeBytes.get(m.path) ?? 0 }))
}

function bucketList(buckets: Map<string, number>): NamedBytes[] {
  return largestFirst([...buckets].filter(([, bytes]) => bytes > 0).map(([name, bytes]) => ({ name, bytes })))
}

/** Bytes of each section bucket (overlaps counted once) and of executable sections, which hold code. */
function sectionBuckets(fileSize: number, sections: SectionExtent[]): { buckets: Map<string, number>; textBytes: number } {
  const buckets = new Map<string, number>()
  let textBytes = 0
  let cursor = 0
  const inFile = sections.filter((s) => s.type !== SHT_NOBITS && s.size > 0).sort((a, b) => a.offset - b.offset)
  for (const section of inFile) {
    const end = Math.min(section.offset + section.size, fileSize)
    const bytes = Math.max(0, end - Math.max(section.offset, cursor))
    cursor = Math.max(cursor, end)
    if ((section.flags & SHF_EXECINSTR) !== 0) textBytes += bytes
    else add(buckets, sectionBucket(section.name), bytes)
  }
  return { buckets, textBytes }
}

function sectionBucket(name: string): string {
  if (name === '.gopclntab') return BUCKETS.pclntab
  if (name === '.typelink' || name === '.itablink') return BUCKETS.types
  if (name === '.rodata' || name === '.data.rel.ro' || name === '.go.fipsinfo') return BUCKETS.rodata
  if (name === '.data' || name === '.noptrdata' || name === '.go.buildinfo' || name === '.tbss') return BUCKETS.data
  if (name.startsWith('.debug_') || name.startsWith('.zdebug_')) return BUCKETS.dwarf
  if (name === '.symtab' || name === '.strtab' || name === '.gosymtab') return BUCKETS.symbols
  return BUCKETS.headers
}

/** Sums package code into modules by the longest module path that prefixes the package. */
export function moduleBytes(packages: ReadonlyMap<string, number>, go: GoInfo): ModuleBytes[] {
  const main: GoModule = { path: go.module ?? go.path, version: go.moduleVersion ?? '' }
  const candidates = [main, ...go.deps].filter((m) => m.path !== '').sort((a, b) => b.path.length - a.path.length)
  const totals = new Map<string, ModuleBytes>()
  for (const [pkg, bytes] of packages) {
    if (pkg === '') continue
    const module = pkg === 'main' ? main : moduleOfPackage(pkg, candidates)
    const key = module?.path ?? (isStdPackage(pkg) ? STD : UNKNOWN_MODULE)
    const entry = totals.get(key) ?? describe(key, module, go.goVersion)
    entry.bytes += bytes
    totals.set(key, entry)
  }
  return largestFirst([...totals.values()])
}

function moduleOfPackage(pkg: string, candidates: GoModule[]): GoModule | undefined {
  if (pkg.startsWith('vendor/')) return undefined
  return candidates.find((m) => pkg === m.path || pkg.startsWith(`${m.path}/`))
}

/** Standard library import paths have no dot in their first element (`net/http`, `vendor/golang.org/x/net`). */
function isStdPackage(pkg: string): boolean {
  return pkg.startsWith('vendor/') || !(pkg.split('/')[0] ?? '').includes('.')
}

function describe(key: string, module: GoModule | undefined, goVersion: string): ModuleBytes {
  if (!module) return { path: key, version: key === STD ? goVersion : '', bytes: 0 }
  const entry: ModuleBytes = { path: module.path, version: module.version, bytes: 0 }
  if (module.replace) entry.replace = `${module.replace.path} ${module.replace.version}`.trim()
  return entry
}

function add(buckets: Map<string, number>, name: string, bytes: number): void {
  if (bytes !== 0) buckets.set(name, (buckets.get(name) ?? 0) + bytes)
}

function largestFirst<T extends { bytes: number; path?: string; name?: string }>(items: T[]): T[] {
  const key = (item: T): string => item.path ?? item.name ?? ''
  return items.sort((a, b) => b.bytes - a.bytes || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
}
