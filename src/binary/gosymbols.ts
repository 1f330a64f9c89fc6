/**
 * Data and read-only data bytes of a Go binary from its symbol table: each sized symbol goes to its package,
 * and the zero-size markers the linker puts at the start of its regions (`type:*`, `go:string.*`,
 * `go:func.*`) give those regions' extents up to the next symbol. Pure: the scanner gathers the symbols.
 */
import { packageOf } from './gopclntab.js'

/** A data or read-only data symbol from .symtab: name, address, size and section index. */
export interface DataSymbol {
  name: string
  value: number
  size: number
  section: number
}

/** The address extent of a section that holds file bytes. */
export interface SectionSpan {
  addr: number
  size: number
}

/** The linker's regions, which belong to no package. */
export type DataKind = 'types' | 'strings' | 'funcdata'

export interface SymbolData {
  /** Bytes per package, from sized symbols. */
  packages: Map<string, number>
  /** Bytes of the linker's regions. */
  kinds: Map<DataKind, number>
  /** Bytes taken out of each section (by section index): what its own bucket no longer holds. */
  bySection: Map<number, number>
}

/** Region markers, Go 1.20+ (`:`) and 1.18/1.19 (`.`) spellings. */
const MARKERS: ReadonlyMap<string, DataKind> = new Map([
  ['type:*', 'types'],
  ['type.*', 'types'],
  ['go:string.*', 'strings'],
  ['go.string.*', 'strings'],
  ['go:func.*', 'funcdata'],
  ['go.func.*', 'funcdata']
])

/** Sized symbols that are the linker's, not a package's. */
function kindOf(name: string): DataKind | null {
  if (name.startsWith('go:itab.') || name.startsWith('go.itab.') || name.startsWith('type:') || name.startsWith('type.')) return 'types'
  if (name.startsWith('go:string.') || name.startsWith('go.string.')) return 'strings'
  return null
}

/** Attributes each section's symbols in address order; a byte is counted once, and only inside its section. */
export function symbolData(sections: readonly (SectionSpan | undefined)[], symbols: readonly DataSymbol[]): SymbolData {
  const result: SymbolData = { packages: new Map(), kinds: new Map(), bySection: new Map() }
  const bySection = new Map<number, DataSymbol[]>()
  for (const symbol of symbols) {
    if (!sections[symbol.section]) continue
    const list = bySection.get(symbol.section)
    if (list) list.push(symbol)
    else bySection.set(symbol.section, [symbol])
  }
  for (const [index, list] of bySection) attributeSection(sections[index] as SectionSpan, index, list, result)
  return result
}

function attributeSection(section: SectionSpan, index: number, symbols: DataSymbol[], out: SymbolData): void {
  const sorted = [...symbols].sort((a, b) => a.value - b.value || b.size - a.size)
  const sectionEnd = section.addr + section.size
  let cursor = section.addr
  sorted.forEach((symbol, i) => {
    const marker = symbol.size === 0 ? MARKERS.get(symbol.name) : undefined
    if (symbol.size === 0 && !marker) return
    const end = marker ? nextStart(sorted, i, sectionEnd) : symbol.value + symbol.size
    const bytes = Math.max(0, Math.min(end, sectionEnd) - Math.max(symbol.value, cursor))
    cursor = Math.max(cursor, Math.min(end, sectionEnd))
    const kind = marker ?? kindOf(symbol.name)
    // `$f64.3ff0…` and the like are the compiler's shared constants: no package's.
    const pkg = kind || symbol.name.startsWith('$') ? '' : packageOf(symbol.name)
    if (bytes === 0 || (!kind && pkg === '')) return
    if (kind) out.kinds.set(kind, (out.kinds.get(kind) ?? 0) + bytes)
    else out.packages.set(pkg, (out.packages.get(pkg) ?? 0) + bytes)
    out.bySection.set(index, (out.bySection.get(index) ?? 0) + bytes)
  })
}

/** A marker's region runs to the next symbol that starts after it, or to the end of its section. */
function nextStart(sorted: readonly DataSymbol[], i: number, sectionEnd: number): number {
  const start = sorted[i]?.value ?? sectionEnd
  for (let j = i + 1; j < sorted.length; j++) {
    const value = sorted[j]?.value ?? sectionEnd
    if (value > start) return value
  }
  return sectionEnd
}
