/**
 * Streaming ELF facts: an ElfScanner sees a file's bytes once, in order, in chunks of any size, and
 * keeps only the byte ranges it needs (headers, dynamic table, section table, Go build info), so a
 * 100 MB binary costs a few MB of memory at most.
 */
import { attributeGo, type GoAttribution, type SectionExtent } from './goattribution.js'
import { GoBuildInfoReader, type GoInfo } from './gobuildinfo.js'
import { asBuffer, type ByteSource, type Needle } from './byte-source.js'
import { PclntabReader, TextPadding } from './gopclntab.js'
import { SymbolTableReader } from './symtab-reader.js'

export type { GoInfo, GoUses } from './gobuildinfo.js'

export interface ElfInfo {
  bits: 32 | 64
  machine: string
  type: 'exec' | 'dyn' | 'rel' | 'core' | 'other'
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

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46] as const
export const ELF_SNIFF_BYTES = ELF_MAGIC.length

/** True when `head` starts with the ELF magic `\x7fELF`. */
export function looksLikeElf(head: Uint8Array): boolean {
  return head.length >= ELF_SNIFF_BYTES && ELF_MAGIC.every((byte, i) => head[i] === byte)
}

// ---------------------------------------------------------------------------------------------
// Capturing byte ranges from a stream

/** The bytes one stream position onward that the scanner wants to keep, plus who to tell when complete. */
interface Capture {
  readonly start: number
  readonly end: number
  readonly bytes: Buffer
  filled: number
  readonly onDone: (() => void) | undefined
}

/** A range whose bytes are passed on as they stream rather than kept. */
interface Tap {
  readonly end: number
  next: number
  readonly sink: (piece: Uint8Array, offset: number) => void
}

/** The last few KiB of the stream, so a needle hit can also keep bytes just before it. */
class ByteHistory {
  private readonly ring: Buffer
  private end: number

  constructor(
    size: number,
    private readonly begin: number
  ) {
    // Bytes are only read back after being written (see pieceAt), so the ring needs no zeroing.
    this.ring = Buffer.allocUnsafe(size)
    this.end = begin
  }

  append(chunk: Uint8Array): void {
    const size = this.ring.length
    const tail = chunk.length > size ? chunk.subarray(chunk.length - size) : chunk
    const at = (this.end + chunk.length - tail.length) % size
    const first = Math.min(tail.length, size - at)
    this.ring.set(tail.subarray(0, first), at)
    this.ring.set(tail.subarray(first), 0)
    this.end += chunk.length
  }

  /** The held bytes from `offset` up to the ring's wrap point or the end of the stream so far. */
  pieceAt(offset: number): Uint8Array | undefined {
    const size = this.ring.length
    if (offset < Math.max(this.begin, this.end - size) || offset >= this.end) return undefined
    const at = offset % size
    return this.ring.subarray(at, Math.min(size, at + this.end - offset))
  }
}

/**
 * Keeps chosen byte ranges of a stream. A range is filled from bytes already held (earlier captures or
 * the history ring), from the chunk being pushed, then from later chunks; its callback runs when complete.
 */
class RangeRecorder implements ByteSource {
  private active: Capture[] = []
  private taps: Tap[] = []
  private readonly done: Capture[] = []
  private readonly pending: Array<() => void> = []
  private history: ByteHistory | undefined
  private chunk: Uint8Array = new Uint8Array(0)
  private chunkStart = 0
  private readonly limit: number

  constructor(
    readonly size: number,
    private budget: number
  ) {
    this.limit = budget
  }

  /** Starts holding the last `bytes` of the stream (needed for windows around needle hits). */
  keepHistory(bytes: number): void {
    if (this.history || bytes > this.budget) return
    this.budget -= bytes
    this.history = new ByteHistory(bytes, this.chunkStart)
  }

  keep(start: number, end: number, onDone?: () => void): boolean {
    const from = Math.max(0, start)
    const to = Math.min(end, this.size)
    if (!(to > from) || to - from > this.budget) return false
    const capture: Capture = { start: from, end: to, bytes: Buffer.allocUnsafe(to - from), filled: 0, onDone }
    if (!this.backfill(capture)) return false
    this.budget -= to - from
    this.active.push(capture)
    this.fill(capture)
    return true
  }

  /** Feeds one chunk to every open capture; callbacks run before returning. */
  begin(chunk: Uint8Array, chunkStart: number): void {
    this.chunk = chunk
    this.chunkStart = chunkStart
    for (const capture of this.active) this.fill(capture)
    for (const tap of this.taps) this.feedTap(tap)
    this.settle()
  }

  tap(start: number, end: number, sink: Tap['sink']): boolean {
    const from = Math.max(0, start)
    const to = Math.min(end, this.size)
    if (from < this.chunkStart) return false
    const tap: Tap = { end: to, next: from, sink }
    this.taps.push(tap)
    this.feedTap(tap)
    return true
  }

  private feedTap(tap: Tap): void {
    const chunkEnd = this.chunkStart + this.chunk.length
    const to = Math.min(tap.end, chunkEnd)
    if (to > tap.next && tap.next >= this.chunkStart) {
      tap.sink(this.chunk.subarray(tap.next - this.chunkStart, to - this.chunkStart), tap.next)
      tap.next = to
    }
    if (tap.next >= tap.end) this.taps = this.taps.filter((t) => t !== tap)
  }

  /** Ends the current chunk: later keep() calls can only backfill from held bytes. */
  end(): void {
    this.settle()
    this.history?.append(this.chunk)
    this.chunkStart += this.chunk.length
    this.chunk = new Uint8Array(0)
  }

  /** File offset of the chunk being pushed: taps can start there or later. */
  get streamed(): number {
    return this.chunkStart
  }

  /** True while some capture still waits for bytes (otherwise pushing can skip the recorder). */
  get waiting(): boolean {
    return this.active.length > 0 || this.taps.length > 0 || this.history !== undefined
  }

  read(offset: number, length: number): Uint8Array | undefined {
    // Nothing longer than the budget can be held, so a corrupt length never allocates gigabytes.
    if (offset < 0 || length > this.limit || offset + length > this.size) return undefined
    const first = this.pieceAt(offset)
    if (!first || length <= 0) return length === 0 ? new Uint8Array(0) : undefined
    if (first.length >= length) return first.subarray(0, length)
    const out = Buffer.allocUnsafe(length)
    return this.copyHeld(out, offset, length) ? out : undefined
  }

  /** The NUL-terminated string held at `offset` (at most `max` bytes), or undefined when not held. */
  cStringAt(offset: number, max: number): string | undefined {
    const parts: Uint8Array[] = []
    for (let at = offset, piece = this.pieceAt(at); piece && at - offset < max; piece = this.pieceAt(at)) {
      const end = asBuffer(piece).indexOf(0)
      parts.push(end === -1 ? piece : piece.subarray(0, end))
      if (end !== -1) return Buffer.concat(parts).toString('utf8')
      at += piece.length
    }
    return undefined
  }

  /** True when a capture (complete or still filling) already spans [start, end) clipped to the file. */
  plans(start: number, end: number): boolean {
    const from = Math.max(0, start)
    const to = Math.min(end, this.size)
    return [this.done, this.active].some((list) => list.some((c) => c.start <= from && to <= c.end))
  }

  /** Copies held bytes [offset, offset + length) into `out`, stitching across captures. */
  private copyHeld(out: Uint8Array, offset: number, length: number): boolean {
    let copied = 0
    while (copied < length) {
      const piece = this.pieceAt(offset + copied)
      if (!piece) return false
      const take = Math.min(piece.length, length - copied)
      out.set(piece.subarray(0, take), copied)
      copied += take
    }
    return true
  }

  private pieceAt(offset: number): Uint8Array | undefined {
    for (const list of [this.done, this.active]) {
      for (const c of list) {
        if (offset >= c.start && offset < c.start + c.filled) return c.bytes.subarray(offset - c.start, c.filled)
      }
    }
    return this.history?.pieceAt(offset)
  }

  /** Copies the part of a new capture that streamed before the current chunk; false when it was not held. */
  private backfill(capture: Capture): boolean {
    const pastEnd = Math.min(capture.end, this.chunkStart)
    if (capture.start >= pastEnd) return true
    if (!this.copyHeld(capture.bytes, capture.start, pastEnd - capture.start)) return false
    capture.filled = pastEnd - capture.start
    return true
  }

  private fill(capture: Capture): void {
    const from = capture.start + capture.filled
    const to = Math.min(capture.end, this.chunkStart + this.chunk.length)
    if (to > from && from >= this.chunkStart) {
      capture.bytes.set(this.chunk.subarray(from - this.chunkStart, to - this.chunkStart), capture.filled)
      capture.filled += to - from
    }
    if (capture.start + capture.filled < capture.end) return
    this.active = this.active.filter((c) => c !== capture)
    this.done.push(capture)
    if (capture.onDone) this.pending.push(capture.onDone)
  }

  private settle(): void {
    for (let next = this.pending.shift(); next; next = this.pending.shift()) next()
  }
}

/**
 * Finds needles in consecutive chunks with native Buffer.indexOf; a match straddling two chunks is found in
 * a small seam made of the last (longest needle - 1) bytes seen and the start of the new chunk.
 */
class NeedleSearch {
  private readonly needles: Needle[] = []
  private tail: Buffer = Buffer.alloc(0)
  private overlap = 0

  add(needles: readonly Needle[]): void {
    this.needles.push(...needles)
    this.overlap = Math.max(this.overlap, ...needles.map((n) => n.bytes.length - 1))
  }

  feed(chunk: Buffer, chunkStart: number): void {
    if (!this.needles.some((needle) => needle.active)) {
      this.tail = lastBytes(this.tail, chunk, this.overlap)
      return
    }
    const seam = Buffer.concat([this.tail, chunk.subarray(0, this.overlap)])
    const chunkEnd = chunkStart + chunk.length
    for (const needle of this.needles) {
      if (!needle.active || chunkEnd <= needle.from) continue
      this.searchSeam(needle, seam, chunkStart)
      const first = Math.max(0, needle.from - chunkStart)
      for (let at = chunk.indexOf(needle.bytes, first); at !== -1 && needle.active; at = chunk.indexOf(needle.bytes, at + 1)) {
        needle.onHit(chunkStart + at)
      }
    }
    this.tail = lastBytes(this.tail, chunk, this.overlap)
  }

  /** Only matches that begin in the tail and end in the chunk: the others are found on one side. */
  private searchSeam(needle: Needle, seam: Buffer, chunkStart: number): void {
    const tailLength = this.tail.length
    const seamStart = chunkStart - tailLength
    let at = seam.indexOf(needle.bytes, Math.max(0, tailLength - needle.bytes.length + 1, needle.from - seamStart))
    for (; at !== -1 && at < tailLength && needle.active; at = seam.indexOf(needle.bytes, at + 1)) {
      needle.onHit(seamStart + at)
    }
  }
}

/** A copy of the last `count` bytes of `before` followed by `chunk`. */
function lastBytes(before: Buffer, chunk: Buffer, count: number): Buffer {
  if (chunk.length >= count) return Buffer.from(chunk.subarray(chunk.length - count))
  const joined = Buffer.concat([before, chunk])
  return Buffer.from(joined.subarray(Math.max(0, joined.length - count)))
}

// ---------------------------------------------------------------------------------------------
// ELF structures

interface ElfHeader {
  is64: boolean
  little: boolean
  type: number
  machine: number
  phoff: number
  phentsize: number
  phnum: number
  shoff: number
  shentsize: number
  shnum: number
  shstrndx: number
}

interface Segment {
  type: number
  flags: number
  offset: number
  vaddr: number
  filesz: number
  align: number
}

interface Section {
  name: number
  type: number
  flags: number
  addr: number
  offset: number
  size: number
  link: number
}

interface DynamicTable {
  needed: number[]
  rpath: number[]
  runpath: number[]
  strtab?: number
  strsz?: number
}

const PT_LOAD = 1
const PT_DYNAMIC = 2
const PT_INTERP = 3
const PT_NOTE = 4
const PF_X = 1
const PF_W = 2
const SHT_NOBITS = 8
const SHT_SYMTAB = 2
const SHT_PROGBITS = 1
const SHF_WRITE = 1
const SHF_EXECINSTR = 4
const DT_NEEDED = 1
const DT_STRTAB = 5
const DT_STRSZ = 10
const DT_RPATH = 15
const DT_RUNPATH = 29
const GO_NOTE_TYPE = 4
/** Go's linker pads x86 text with int3 and other architectures' with zeros. */
const X86_MACHINES: readonly number[] = [3, 62]
const INT3 = 0xcc

const TYPES: Readonly<Record<number, ElfInfo['type']>> = { 1: 'rel', 2: 'exec', 3: 'dyn', 4: 'core' }
const MACHINES: Readonly<Record<number, string>> = {
  2: 'sparc',
  3: 'x86',
  8: 'mips',
  20: 'ppc',
  21: 'ppc64',
  22: 's390x',
  40: 'arm',
  43: 'sparcv9',
  62: 'x86-64',
  183: 'aarch64',
  243: 'riscv',
  258: 'loongarch'
}

/** Endian- and class-aware field reads; 64-bit fields above 2^53 lose precision, which only garbage has. */
class Fields {
  private readonly view: DataView

  constructor(
    bytes: Uint8Array,
    private readonly little: boolean,
    readonly is64: boolean
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }

  u16(at: number): number {
    return this.view.getUint16(at, this.little)
  }

  u32(at: number): number {
    return this.view.getUint32(at, this.little)
  }

  /** A class-sized word: 8 bytes in ELF64, 4 in ELF32. */
  word(at: number): number {
    if (!this.is64) return this.u32(at)
    const low = this.u32(this.little ? at : at + 4)
    const high = this.u32(this.little ? at + 4 : at)
    return high * 2 ** 32 + low
  }

  /** Field offsets differ between ELF64 and ELF32; picks the one for this file's class. */
  at(offset64: number, offset32: number): number {
    return this.is64 ? offset64 : offset32
  }
}

function parseElfHeader(bytes: Uint8Array): ElfHeader | null {
  const cls = bytes[4]
  const data = bytes[5]
  if (!looksLikeElf(bytes) || (cls !== 1 && cls !== 2) || (data !== 1 && data !== 2)) return null
  const is64 = cls === 2
  if (bytes.length < (is64 ? 64 : 52)) return null
  const f = new Fields(bytes, data === 1, is64)
  const header: ElfHeader = {
    is64,
    little: data === 1,
    type: f.u16(16),
    machine: f.u16(18),
    phoff: f.word(f.at(32, 28)),
    shoff: f.word(f.at(40, 32)),
    phentsize: f.u16(f.at(54, 42)),
    phnum: f.u16(f.at(56, 44)),
    shentsize: f.u16(f.at(58, 46)),
    shnum: f.u16(f.at(60, 48)),
    shstrndx: f.u16(f.at(62, 50))
  }
  // Entries smaller than the spec's would make every later field read garbage.
  if (header.phnum > 0 && header.phentsize < (is64 ? 56 : 32)) return null
  return header
}

function parseSegments(table: Uint8Array, h: ElfHeader): Segment[] {
  const f = new Fields(table, h.little, h.is64)
  const segments: Segment[] = []
  for (let i = 0; i < h.phnum; i++) {
    const at = i * h.phentsize
    segments.push({
      type: f.u32(at),
      flags: f.u32(at + f.at(4, 24)),
      offset: f.word(at + f.at(8, 4)),
      vaddr: f.word(at + f.at(16, 8)),
      filesz: f.word(at + f.at(32, 16)),
      align: f.word(at + f.at(48, 28))
    })
  }
  return segments
}

/** Section entries smaller than the spec's would be read past the table's end. */
function sectionEntriesFit(h: ElfHeader): boolean {
  return h.shentsize >= (h.is64 ? 64 : 40)
}

function parseSections(table: Uint8Array, h: ElfHeader): Section[] {
  const f = new Fields(table, h.little, h.is64)
  const sections: Section[] = []
  for (let i = 0; i < h.shnum; i++) {
    const at = i * h.shentsize
    sections.push({
      name: f.u32(at),
      type: f.u32(at + 4),
      flags: f.word(at + 8),
      addr: f.word(at + f.at(16, 12)),
      offset: f.word(at + f.at(24, 16)),
      size: f.word(at + f.at(32, 20)),
      link: f.u32(at + f.at(40, 24))
    })
  }
  return sections
}

function parseDynamic(bytes: Uint8Array, h: ElfHeader): DynamicTable {
  const f = new Fields(bytes, h.little, h.is64)
  const entry = h.is64 ? 16 : 8
  const table: DynamicTable = { needed: [], rpath: [], runpath: [] }
  for (let at = 0; at + entry <= bytes.length; at += entry) {
    const tag = f.word(at)
    const value = f.word(at + entry / 2)
    if (tag === 0) break
    if (tag === DT_NEEDED) table.needed.push(value)
    else if (tag === DT_RPATH) table.rpath.push(value)
    else if (tag === DT_RUNPATH) table.runpath.push(value)
    else if (tag === DT_STRTAB) table.strtab = value
    else if (tag === DT_STRSZ) table.strsz = value
  }
  return table
}

/** True when a PT_NOTE holds Go's build ID note (name "Go", type 4), which every `go build` writes. */
function hasGoNote(bytes: Uint8Array, h: ElfHeader, align: number): boolean {
  const f = new Fields(bytes, h.little, h.is64)
  const pad = (n: number): number => Math.ceil(n / align) * align
  for (let at = 0; at + 12 <= bytes.length;) {
    const nameSize = f.u32(at)
    const descSize = f.u32(at + 4)
    const isGo = nameSize === 3 || nameSize === 4 ? asBuffer(bytes).toString('latin1', at + 12, at + 14) === 'Go' : false
    if (isGo && bytes[at + 14] === 0 && f.u32(at + 8) === GO_NOTE_TYPE) return true
    at += 12 + pad(nameSize) + pad(descSize)
  }
  return false
}

/** The NUL-terminated string at `at`, or '' when `at` is outside the table. */
function cString(table: Uint8Array, at: number): string {
  if (at >= table.length) return ''
  const bytes = asBuffer(table)
  const end = bytes.indexOf(0, at)
  return bytes.toString('utf8', at, end === -1 ? bytes.length : end)
}

/**
 * Where Go's tables (pclntab, rodata strings, Go 1.19's .shstrtab) can start: they are never executable, so
 * when a read-only segment follows the last executable one, the text before it is skipped (half a Go binary).
 */
function tablesFrom(segments: Segment[]): number {
  const loads = segments.filter((s) => s.type === PT_LOAD)
  const lastExec = loads.filter((s) => (s.flags & PF_X) !== 0).pop()
  if (!lastExec) return 0
  const end = lastExec.offset + lastExec.filesz
  const readOnlyAfter = loads.some((s) => (s.flags & (PF_X | PF_W)) === 0 && s.offset >= end && s.filesz > 0)
  return readOnlyAfter ? end : 0
}

function isStrippable(name: string): boolean {
  return name === '.symtab' || name === '.strtab' || name.startsWith('.debug_') || name.startsWith('.zdebug_')
}

// ---------------------------------------------------------------------------------------------
// The scanner

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
