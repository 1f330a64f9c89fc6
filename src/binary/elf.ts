/**
 * Streaming ELF facts: an ElfScanner sees a file's bytes once, in order, in chunks of any size, and
 * keeps only the byte ranges it needs (headers, dynamic table, section table, Go build info), so a
 * 100 MB binary costs a few MB of memory at most.
 */
import { attributeGo, type GoAttribution, type SectionExtent } from './goattribution.js'
import { GoBuildInfoReader, type GoInfo } from './gobuildinfo.js'
import { asBuffer, type Needle } from './byte-source.js'
import {
  INT3,
  PF_W,
  PF_X,
  PT_DYNAMIC,
  PT_INTERP,
  PT_LOAD,
  PT_NOTE,
  SHF_EXECINSTR,
  SHF_WRITE,
  SHT_NOBITS,
  SHT_PROGBITS,
  SHT_SYMTAB,
  X86_MACHINES
} from './elf-constants.js'
import {
  MACHINES,
  TYPES,
  cString,
  hasGoNote,
  isStrippable,
  parseDynamic,
  parseElfHeader,
  parseSections,
  parseSegments,
  sectionEntriesFit,
  tablesFrom,
  type DynamicTable,
  type ElfHeader,
  type ElfType,
  type Section,
  type Segment
} from './elf-structures.js'
import { PclntabReader, TextPadding } from './gopclntab.js'
import { NeedleSearch } from './needle-search.js'
import { RangeRecorder } from './range-recorder.js'
import { SymbolTableReader } from './symtab-reader.js'

export type { GoInfo, GoUses } from './gobuildinfo.js'
export { ELF_SNIFF_BYTES, looksLikeElf } from './elf-structures.js'

export interface ElfInfo {
  bits: 32 | 64
  machine: string
  type: ElfType
  /** No PT_INTERP: the kernel runs it without a dynamic loader. */
  static: boolean
  interpreter?: string
  needed: string[]
  rpath: string[]
  runpath: string[]
  /** No .symtab and no .debug_* / .zdebug_* section; null when the section headers could not be read. */
  stripped: boolean | null
  /** Bytes of .symtab, .strtab, .debug_* and .zdebug_* sections; null when unknown. */
  strippableBytes: number | null
  go?: GoInfo
  /** Where a Go binary's bytes go, by module, package and named bucket. */
  goAttribution?: GoAttribution
}

/** Headers, program headers, notes and .interp sit in the first pages; 64 KiB covers them generously. */
const HEAD_BYTES = 64 * 1024
/** GNU ld puts .dynstr in the first read-only segment; keep that much of it for dynamic binaries. */
const DYNSTR_PREFIX_BYTES = 4 * 1024 * 1024
/** GNU ld writes .shstrtab just before the section header table; keep this much before it. */
const SECTION_TAIL_BYTES = 1024 * 1024
const NOTE_BYTES = 4096
const MAX_NOTES = 8
const INTERP_BYTES = 4096
const DYNAMIC_BYTES = 64 * 1024
const MAX_DYNAMIC_STRING = 4096
/** Needle hits keep a window this wide on each side; string tables found this way are small (< 1 KiB). */
const WINDOW_RADIUS = 8 * 1024
/** Library names in a big C++ .dynstr can be spread out; a few dozen windows still cost under 1 MiB. */
const MAX_WINDOWS = 32
const HISTORY_BYTES = 2 * WINDOW_RADIUS
/** Upper bound on bytes one scanner holds, whatever the input claims. */
const CAPTURE_BUDGET = 16 * 1024 * 1024

/**
 * Learns ElfInfo from a file streamed once. Call push() with consecutive chunks, then finish().
 * Never throws on garbage: unreadable parts become null/empty facts, a non-ELF becomes null.
 */
export class ElfScanner {
  private readonly recorder: RangeRecorder
  private search: NeedleSearch | undefined
  private position = 0
  private invalid = false
  private header: ElfHeader | undefined
  private segments: Segment[] | undefined
  private dynamic: DynamicTable | undefined
  private dynstrOffset: number | undefined
  private go: GoBuildInfoReader | undefined
  private pclntab: PclntabReader | undefined
  private padding: TextPadding | undefined
  private symbols: SymbolTableReader | undefined
  private pclnCandidates: number[] | undefined
  private readonly dynstrNeedles: Needle[] = []

  /** `goAttribution: false` skips the pclntab and symbol table reads (the bench measures what they cost). */
  constructor(
    fileSize: number,
    private readonly options: { goAttribution: boolean } = { goAttribution: true }
  ) {
    const size = Number.isFinite(fileSize) && fileSize > 0 ? Math.floor(fileSize) : 0
    this.recorder = new RangeRecorder(size, CAPTURE_BUDGET)
    this.recorder.keep(0, HEAD_BYTES)
    this.recorder.keep(0, 64, () => this.onHeader())
  }

  push(chunk: Uint8Array): void {
    const start = this.position
    this.position += chunk.length
    if (this.invalid || chunk.length === 0 || (!this.recorder.waiting && !this.search)) return
    this.recorder.begin(chunk, start)
    this.search?.feed(asBuffer(chunk), start)
    this.recorder.end()
  }

  finish(): ElfInfo | null {
    const h = this.header
    if (this.invalid || !h || !this.segments) return null
    const interp = this.segments.find((s) => s.type === PT_INTERP)
    const info: ElfInfo = {
      bits: h.is64 ? 64 : 32,
      machine: MACHINES[h.machine] ?? `0x${h.machine.toString(16)}`,
      type: TYPES[h.type] ?? 'other',
      static: !interp,
      ...this.dynamicFacts(),
      ...this.sectionFacts(h)
    }
    const interpreter = interp ? this.recorder.read(interp.offset, Math.min(interp.filesz, INTERP_BYTES)) : undefined
    if (interpreter) info.interpreter = cString(interpreter, 0)
    const go = this.go?.result()
    if (go) info.go = go
    const attribution = go ? this.attribution(h, go) : null
    if (attribution) info.goAttribution = attribution
    return info
  }

  private attribution(h: ElfHeader, go: GoInfo): GoAttribution | null {
    const code = this.pclntab?.result(this.padding)
    const sections = this.namedSections(h)
    return code && sections ? attributeGo(this.recorder.size, sections, code, go, this.symbols?.symbols()) : null
  }

  private onHeader(): void {
    const bytes = this.recorder.read(0, Math.min(64, this.recorder.size))
    const h = bytes ? parseElfHeader(bytes) : null
    if (!h) {
      this.invalid = true
      return
    }
    this.header = h
    if (h.phnum === 0) this.onSegments([])
    else this.recorder.keep(h.phoff, h.phoff + h.phnum * h.phentsize, () => this.onProgramHeaders())
    if (h.shoff > 0 && h.shnum > 0 && sectionEntriesFit(h)) {
      this.recorder.keep(h.shoff - SECTION_TAIL_BYTES, h.shoff + h.shnum * h.shentsize, () => this.onSectionTable(h))
    }
  }

  /** Go's linker writes the section table first: .symtab and .strtab, far later, can then be read as they stream. */
  private onSectionTable(h: ElfHeader): void {
    if (!this.options.goAttribution) return
    const table = this.recorder.read(h.shoff, h.shnum * h.shentsize)
    const sections = table ? parseSections(table, h) : []
    // The pclntab starts one of the read-only sections still to come: trying those spares searching every byte for its magic.
    const ahead = (s: Section): boolean => s.offset >= this.recorder.streamed + HEAD_BYTES
    const readOnly = sections
      .filter((s) => s.type === SHT_PROGBITS && (s.flags & (SHF_WRITE | SHF_EXECINSTR)) === 0)
      .filter((s) => s.size > 0 && ahead(s))
    if (readOnly.length > 0) {
      this.pclnCandidates = readOnly.map((s) => s.offset)
      this.pclntab?.candidates(this.pclnCandidates)
    }
    this.watchSymbols(h, sections)
  }

  /** Taps .symtab and then .strtab, when both are still to come. */
  private watchSymbols(h: ElfHeader, sections: Section[]): void {
    const symtab = sections.find((s) => s.type === SHT_SYMTAB && s.size > 0)
    const strtab = symtab ? sections[symtab.link] : undefined
    if (!symtab || !strtab || strtab.offset < symtab.offset + symtab.size) return
    const reader = new SymbolTableReader(sections, h.is64, h.little, symtab.size)
    const end = symtab.offset + symtab.size
    if (!this.recorder.tap(symtab.offset, end, (piece) => reader.feedSymtab(piece))) return
    // The name sink is made once the last symbol is in, so it knows which names to pick.
    let sink: ((piece: Uint8Array, offset: number) => void) | undefined
    const strtabSink = (piece: Uint8Array, offset: number): void => {
      sink ??= reader.strtabSink(strtab.offset)
      sink(piece, offset)
    }
    if (this.recorder.tap(strtab.offset, strtab.offset + strtab.size, strtabSink)) this.symbols = reader
  }

  private onProgramHeaders(): void {
    const h = this.header
    const table = h ? this.recorder.read(h.phoff, h.phnum * h.phentsize) : undefined
    if (h && table) this.onSegments(parseSegments(table, h))
  }

  private onSegments(segments: Segment[]): void {
    this.segments = segments
    const keepSegment = (s: Segment, max: number, onDone?: () => void): boolean =>
      this.recorder.keep(s.offset, s.offset + Math.min(s.filesz, max), onDone)
    const interp = segments.find((s) => s.type === PT_INTERP)
    if (interp) keepSegment(interp, INTERP_BYTES)
    for (const note of segments.filter((s) => s.type === PT_NOTE).slice(0, MAX_NOTES)) {
      keepSegment(note, NOTE_BYTES, () => this.onNote(note))
    }
    this.go = new GoBuildInfoReader(this.recorder, (vaddr, length) => this.fileOffsetOf(vaddr, length))
    const data = segments.find((s) => s.type === PT_LOAD && (s.flags & (PF_X | PF_W)) === PF_W)
    if (data) keepSegment(data, this.go.dataWindowBytes, () => this.onDataWindow(data))
    const dynamic = segments.find((s) => s.type === PT_DYNAMIC)
    if (dynamic) this.watchDynamic(dynamic, segments)
  }

  /** Go's build info sits at the start of the first writable segment. */
  private onDataWindow(data: Segment): void {
    const length = Math.min(data.filesz, this.go?.dataWindowBytes ?? 0)
    const window = this.recorder.read(data.offset, length)
    if (window) this.go?.onDataWindow(data.offset, window)
  }

  private onNote(note: Segment): void {
    const h = this.header
    const bytes = this.recorder.read(note.offset, Math.min(note.filesz, NOTE_BYTES))
    if (!h || !bytes || !this.go || !hasGoNote(bytes, h, note.align === 8 ? 8 : 4)) return
    this.startSearch()
    const from = tablesFrom(this.segments ?? [])
    this.search?.add(this.go.needles(from))
    this.search?.add([this.windowNeedle('.shstrtab\0', from)])
    if (!this.options.goAttribution) return
    this.pclntab = new PclntabReader(this.recorder)
    this.search?.add(this.pclntab.needles(from, h.little))
    if (this.pclnCandidates) this.pclntab.candidates(this.pclnCandidates)
    this.watchPadding(h)
  }

  /** Go's text is the first executable PT_LOAD; it has not streamed yet when the note is read. */
  private watchPadding(h: ElfHeader): void {
    const text = this.segments?.find((s) => s.type === PT_LOAD && (s.flags & PF_X) !== 0)
    if (!text) return
    const padding = new TextPadding(text.offset, text.vaddr, text.filesz, X86_MACHINES.includes(h.machine) ? INT3 : 0)
    // The segment begins with the ELF headers, which may have streamed already; the code starts later.
    const from = Math.max(text.offset, this.recorder.streamed)
    if (this.recorder.tap(from, text.offset + text.filesz, (piece, at) => padding.feed(piece, at))) this.padding = padding
  }

  /** Keeps the dynamic table and makes sure .dynstr, which usually precedes it, is held when it is parsed. */
  private watchDynamic(dynamic: Segment, segments: Segment[]): void {
    this.recorder.keep(dynamic.offset, dynamic.offset + Math.min(dynamic.filesz, DYNAMIC_BYTES), () => this.onDynamic(dynamic))
    const first = segments.find((s) => s.type === PT_LOAD)
    if (first && (first.flags & PF_X) === 0) {
      this.recorder.keep(HEAD_BYTES, Math.min(first.offset + first.filesz, DYNSTR_PREFIX_BYTES))
    }
    // Go's internal linker puts .dynstr after .rodata, megabytes in: find it by its library names.
    this.dynstrNeedles.push(this.windowNeedle('.so\0', 0), this.windowNeedle('.so.', 0))
    this.startSearch()
    this.search?.add(this.dynstrNeedles)
  }

  private onDynamic(dynamic: Segment): void {
    const h = this.header
    const bytes = this.recorder.read(dynamic.offset, Math.min(dynamic.filesz, DYNAMIC_BYTES))
    for (const needle of this.dynstrNeedles) needle.active = false
    if (!h || !bytes) return
    this.dynamic = parseDynamic(bytes, h)
    const offset = this.dynamic.strtab === undefined ? null : this.fileOffsetOf(this.dynamic.strtab, 1)
    if (offset === null) return
    this.dynstrOffset = offset
    // .dynstr normally precedes .dynamic and is held by now; when it follows, keep its start as it streams by.
    const size = Math.min(this.dynamic.strsz ?? DYNAMIC_BYTES, DYNAMIC_BYTES)
    if (!this.recorder.read(offset, 1)) this.recorder.keep(offset, offset + size)
  }

  private startSearch(): void {
    if (this.search) return
    this.search = new NeedleSearch()
    this.recorder.keepHistory(HISTORY_BYTES)
  }

  /** A needle whose hits keep the bytes around them, for small tables we can only locate later. */
  private windowNeedle(text: string, from: number): Needle {
    let windows = 0
    const needle: Needle = {
      bytes: Buffer.from(text, 'latin1'),
      from,
      active: true,
      onHit: (offset) => {
        const [start, end] = [offset - WINDOW_RADIUS, offset + WINDOW_RADIUS]
        if (this.recorder.plans(start, end) || !this.recorder.keep(start, end)) return
        needle.active = ++windows < MAX_WINDOWS
      }
    }
    return needle
  }

  /** Maps a virtual address range to its file offset through the PT_LOAD segments. */
  private fileOffsetOf(vaddr: number, length: number): number | null {
    for (const s of this.segments ?? []) {
      if (s.type === PT_LOAD && vaddr >= s.vaddr && vaddr + length <= s.vaddr + s.filesz) {
        return s.offset + (vaddr - s.vaddr)
      }
    }
    return null
  }

  /** Reads each name on its own: big C++ binaries have megabytes of .dynstr, of which only windows are held. */
  private dynamicFacts(): Pick<ElfInfo, 'needed' | 'rpath' | 'runpath'> {
    const table = this.dynamic
    const base = this.dynstrOffset
    if (!table || base === undefined) return { needed: [], rpath: [], runpath: [] }
    const names = (offsets: number[]): string[] =>
      offsets.map((at) => this.recorder.cStringAt(base + at, MAX_DYNAMIC_STRING) ?? '').filter((s) => s !== '')
    const paths = (offsets: number[]): string[] =>
      names(offsets)
        .flatMap((p) => p.split(':'))
        .filter((s) => s !== '')
    return { needed: names(table.needed), rpath: paths(table.rpath), runpath: paths(table.runpath) }
  }

  /** A file without section headers (e.g. sstrip'ed) is stripped with nothing left to strip. */
  private sectionFacts(h: ElfHeader): Pick<ElfInfo, 'stripped' | 'strippableBytes'> {
    const unknown = { stripped: null, strippableBytes: null }
    if (h.shoff === 0 || h.shnum === 0) return { stripped: true, strippableBytes: 0 }
    const sections = this.namedSections(h)
    if (!sections) return unknown
    let symbols = false
    let bytes = 0
    for (const section of sections.filter((s) => isStrippable(s.name))) {
      if (section.name !== '.strtab') symbols = true
      if (section.type !== SHT_NOBITS) bytes += section.size
    }
    return { stripped: !symbols, strippableBytes: bytes }
  }

  /** The section table with names; null when it or .shstrtab was not held, [] when there is none. */
  private namedSections(h: ElfHeader): SectionExtent[] | null {
    if (h.shoff === 0 || h.shnum === 0) return []
    const table = sectionEntriesFit(h) ? this.recorder.read(h.shoff, h.shnum * h.shentsize) : undefined
    const sections = table ? parseSections(table, h) : []
    const shstrtab = sections[h.shstrndx]
    const names = shstrtab ? this.recorder.read(shstrtab.offset, shstrtab.size) : undefined
    if (!names) return null
    return sections.map((s) => ({
      name: cString(names, s.name),
      type: s.type,
      flags: s.flags,
      addr: s.addr,
      offset: s.offset,
      size: s.size
    }))
  }
}
