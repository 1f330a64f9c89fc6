/** ELF headers, segments, sections, the dynamic table and notes, parsed from bytes the scanner holds. */
import { asBuffer } from './byte-source.js'
import { DT_NEEDED, DT_RPATH, DT_RUNPATH, DT_STRSZ, DT_STRTAB, ELF_MAGIC, GO_NOTE_TYPE, PF_W, PF_X, PT_LOAD } from './elf-constants.js'

export const ELF_SNIFF_BYTES = ELF_MAGIC.length

/** True when `head` starts with the ELF magic `\x7fELF`. */
export function looksLikeElf(head: Uint8Array): boolean {
  return head.length >= ELF_SNIFF_BYTES && ELF_MAGIC.every((byte, i) => head[i] === byte)
}

export type ElfType = 'exec' | 'dyn' | 'rel' | 'core' | 'other'

export interface ElfHeader {
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

export interface Segment {
  type: number
  flags: number
  offset: number
  vaddr: number
  filesz: number
  align: number
}

export interface Section {
  name: number
  type: number
  flags: number
  addr: number
  offset: number
  size: number
  link: number
}

export interface DynamicTable {
  needed: number[]
  rpath: number[]
  runpath: number[]
  strtab?: number
  strsz?: number
}

export const TYPES: Readonly<Record<number, ElfType>> = { 1: 'rel', 2: 'exec', 3: 'dyn', 4: 'core' }
export const MACHINES: Readonly<Record<number, string>> = {
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

export function parseElfHeader(bytes: Uint8Array): ElfHeader | null {
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

export function parseSegments(table: Uint8Array, h: ElfHeader): Segment[] {
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
export function sectionEntriesFit(h: ElfHeader): boolean {
  return h.shentsize >= (h.is64 ? 64 : 40)
}

export function parseSections(table: Uint8Array, h: ElfHeader): Section[] {
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

export function parseDynamic(bytes: Uint8Array, h: ElfHeader): DynamicTable {
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
export function hasGoNote(bytes: Uint8Array, h: ElfHeader, align: number): boolean {
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
export function cString(table: Uint8Array, at: number): string {
  if (at >= table.length) return ''
  const bytes = asBuffer(table)
  const end = bytes.indexOf(0, at)
  return bytes.toString('utf8', at, end === -1 ? bytes.length : end)
}

/**
 * Where Go's tables (pclntab, rodata strings, Go 1.19's .shstrtab) can start: they are never executable, so
 * when a read-only segment follows the last executable one, the text before it is skipped (half a Go binary).
 */
export function tablesFrom(segments: Segment[]): number {
  const loads = segments.filter((s) => s.type === PT_LOAD)
  const lastExec = loads.filter((s) => (s.flags & PF_X) !== 0).pop()
  if (!lastExec) return 0
  const end = lastExec.offset + lastExec.filesz
  const readOnlyAfter = loads.some((s) => (s.flags & (PF_X | PF_W)) === 0 && s.offset >= end && s.filesz > 0)
  return readOnlyAfter ? end : 0
}

export function isStrippable(name: string): boolean {
  return name === '.symtab' || name === '.strtab' || name.startsWith('.debug_') || name.startsWith('.zdebug_')
}
