/**
 * Where a Go binary's bytes go: code per module and package (from the pclntab's function table), and
 * named buckets for everything else (pclntab, type data, DWARF, symbol tables, headers and padding, cgo's
 * C code). Modules and buckets add up exactly to the file's size. Pure: the ELF scanner gathers the input.
 */
import type { GoCode } from './archive/elf/gocode.js'
import type { GoInfo, GoModule } from './gobuildinfo.js'

export interface ModuleBytes {
  /** Module path; `std` for the standard library, whose version is the Go version. */
  path: string
  version: string
  /** `path version` of the `=>` replacement, when the build info has one. */
  replace?: string
  bytes: number
}

export interface NamedBytes {
  name: string
  bytes: number
}

export interface GoAttribution {
  goVersion: string
  /** Build settings (`build` lines), for the module diff. */
  settings: Record<string, string>
  /** Every module with code in the binary, largest first. */
  modules: ModuleBytes[]
  /** The largest packages by code bytes. */
  packages: NamedBytes[]
  /** Bytes that belong to no package, largest first. */
  buckets: NamedBytes[]
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
  offset: number
  size: number
}

export const BUCKETS = {
  pclntab: 'pclntab',
  types: 'type and itab data',
  rodata: 'read-only data',
  data: 'data',
  dwarf: 'DWARF',
  symbols: 'symbol tables',
  cgo: 'C code (cgo)',
  unnamed: 'Go code without a package',
  padding: 'alignment padding between functions',
  headers: 'ELF headers and padding'
} as const

export const STD = 'std'
export const UNKNOWN_MODULE = '(unknown module)'
const TOP_PACKAGES = 10
const SHT_NOBITS = 8
const SHF_EXECINSTR = 4

/** Attribution of a Go binary; null when the pieces disagree (e.g. code larger than the file's text). */
export function attributeGo(fileSize: number, sections: SectionExtent[], code: GoCode, go: GoInfo): GoAttribution | null {
  const { buckets, textBytes } = sectionBuckets(fileSize, sections)
  const goCode = code.end - code.start
  const cgoBytes = textBytes - goCode
  if (cgoBytes < 0) return null
  add(buckets, go.cgo === true ? BUCKETS.cgo : BUCKETS.headers, cgoBytes)
  // Functions from host objects (no compilation unit) are the C code cgo linked in.
  add(buckets, go.cgo === true ? BUCKETS.cgo : BUCKETS.unnamed, code.foreign)
  add(buckets, BUCKETS.unnamed, code.packages.get('') ?? 0)
  add(buckets, BUCKETS.padding, code.padding)
  const modules = moduleBytes(code.packages, go)
  const packages = [...code.packages].filter(([name]) => name !== '').map(([name, bytes]) => ({ name, bytes }))
  const attributed = sum(modules) + sum([...buckets.values()].map((bytes) => ({ bytes })))
  if (attributed > fileSize) return null
  add(buckets, BUCKETS.headers, fileSize - attributed)
  return {
    goVersion: go.goVersion,
    settings: { ...go.settings },
    modules,
    packages: largestFirst(packages).slice(0, TOP_PACKAGES),
    buckets: largestFirst([...buckets].filter(([, bytes]) => bytes > 0).map(([name, bytes]) => ({ name, bytes }))),
    textBytes,
    paddingBytes: code.padding,
    namedTextBytes: goCode - code.padding - code.foreign - (code.packages.get('') ?? 0)
  }
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

function sum(items: ReadonlyArray<{ bytes: number }>): number {
  return items.reduce((total, item) => total + item.bytes, 0)
}

function largestFirst<T extends { bytes: number; path?: string; name?: string }>(items: T[]): T[] {
  const key = (item: T): string => item.path ?? item.name ?? ''
  return items.sort((a, b) => b.bytes - a.bytes || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
}
