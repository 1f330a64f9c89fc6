/**
 * Small ELF images written byte by byte for the scanner's tests: a Go build-info-only executable (goElf)
 * and general images from a spec of segments, sections and blobs (buildElf), rendered whole or chunk by chunk.
 */
import { BUILDINFO_MAGIC, MODINFO_END, MODINFO_START } from '../../src/binary/gobuildinfo.js'

export interface GoElfSpec {
  /** The main package, e.g. `cmd/go` for the toolchain's go command. */
  goPath: string
  goVersion?: string
  /** PT_INTERP, as a dynamically linked (cgo) build has; absent for a static build. */
  interpreter?: string
}

const EHSIZE = 64
const PHENTSIZE = 56
const PT_LOAD = 1
const PT_INTERP = 3
const PF_R = 4
const PF_W = 2
const INTERP_AT = 0x200
const DATA_AT = 0x1000

function uvarint(bytes: Buffer): Buffer {
  const n = bytes.length
  return Buffer.concat([Buffer.from(n < 128 ? [n] : [(n % 128) | 0x80, Math.floor(n / 128)]), bytes])
}

/** A small ELF64 x86-64 executable whose first writable segment opens with Go's inline build info. */
export function goElf(spec: GoElfSpec): Buffer {
  const modinfo = Buffer.concat([MODINFO_START, Buffer.from(`path\t${spec.goPath}\n`, 'latin1'), MODINFO_END])
  const info = Buffer.concat([
    BUILDINFO_MAGIC,
    Buffer.from([8, 2]),
    Buffer.alloc(16),
    uvarint(Buffer.from(spec.goVersion ?? 'go1.19.8')),
    uvarint(modinfo)
  ])
  const interp = spec.interpreter === undefined ? undefined : Buffer.from(`${spec.interpreter}\0`, 'latin1')
  const segments = [
    ...(interp ? [{ type: PT_INTERP, flags: PF_R, offset: INTERP_AT, size: interp.length }] : []),
    { type: PT_LOAD, flags: PF_R | PF_W, offset: DATA_AT, size: 0x1000 }
  ]
  const out = Buffer.alloc(DATA_AT + 0x1000)
  out.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1])
  out.writeUInt16LE(2, 16) // ET_EXEC
  out.writeUInt16LE(62, 18) // EM_X86_64
  out.writeUInt32LE(1, 20)
  out.writeBigUInt64LE(BigInt(EHSIZE), 32)
  out.writeUInt16LE(EHSIZE, 52)
  out.writeUInt16LE(PHENTSIZE, 54)
  out.writeUInt16LE(segments.length, 56)
  segments.forEach((segment, i) => {
    const at = EHSIZE + i * PHENTSIZE
    out.writeUInt32LE(segment.type, at)
    out.writeUInt32LE(segment.flags, at + 4)
    out.writeBigUInt64LE(BigInt(segment.offset), at + 8)
    out.writeBigUInt64LE(BigInt(0x400000 + segment.offset), at + 16)
    out.writeBigUInt64LE(BigInt(segment.size), at + 32)
    out.writeBigUInt64LE(BigInt(segment.size), at + 40)
  })
  if (interp) out.set(interp, INTERP_AT)
  out.set(info, DATA_AT)
  return out
}

// ---------------------------------------------------------------------------------------------
// Images from a spec

export interface Blob {
  offset: number
  bytes: Uint8Array
}

export interface SegmentSpec {
  type: number
  flags: number
  offset: number
  vaddr: number
  filesz: number
  align?: number
}

export interface SectionSpec {
  name: string
  type: number
  offset: number
  size: number
}

export interface ElfSpec {
  is64: boolean
  little: boolean
  machine: number
  type: number
  size: number
  segments: SegmentSpec[]
  sections?: SectionSpec[]
  /** Where the section header table goes; .shstrtab goes just before it unless `shstrtabAt` says otherwise. */
  sectionTableAt?: number
  shstrtabAt?: number
  blobs: Blob[]
}

interface Writer {
  u16(at: number, v: number): number
  u32(at: number, v: number): number
  word(at: number, v: number): number
}

/** Endian- and class-aware writers for building test images. */
export function writer(buf: Buffer, little: boolean, is64: boolean): Writer {
  const u16 = (at: number, v: number): number => (little ? buf.writeUInt16LE(v, at) : buf.writeUInt16BE(v, at))
  const u32 = (at: number, v: number): number => (little ? buf.writeUInt32LE(v, at) : buf.writeUInt32BE(v, at))
  const u64 = (at: number, v: number): number => (little ? buf.writeBigUInt64LE(BigInt(v), at) : buf.writeBigUInt64BE(BigInt(v), at))
  const word = (at: number, v: number): number => (is64 ? u64(at, v) : u32(at, v))
  return { u16, u32, word }
}

function headerBlob(spec: ElfSpec, shnum: number, shoff: number): Blob {
  const { is64 } = spec
  const ehsize = is64 ? 64 : 52
  const phentsize = is64 ? 56 : 32
  const buf = Buffer.alloc(ehsize + spec.segments.length * phentsize)
  buf.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, spec.little ? 1 : 2, 1])
  const w = writer(buf, spec.little, is64)
  const pick = (a: number, b: number): number => (is64 ? a : b)
  w.u16(16, spec.type)
  w.u16(18, spec.machine)
  w.u32(20, 1)
  w.word(pick(32, 28), ehsize)
  w.word(pick(40, 32), shoff)
  w.u16(pick(52, 40), ehsize)
  w.u16(pick(54, 42), phentsize)
  w.u16(pick(56, 44), spec.segments.length)
  w.u16(pick(58, 46), is64 ? 64 : 40)
  w.u16(pick(60, 48), shnum)
  w.u16(pick(62, 50), Math.max(0, shnum - 1))
  spec.segments.forEach((s, i) => {
    const at = ehsize + i * phentsize
    w.u32(at, s.type)
    w.u32(at + pick(4, 24), s.flags)
    w.word(at + pick(8, 4), s.offset)
    w.word(at + pick(16, 8), s.vaddr)
    w.word(at + pick(32, 16), s.filesz)
    w.word(at + pick(40, 20), s.filesz)
    w.word(at + pick(48, 28), s.align ?? 0x1000)
  })
  return { offset: 0, bytes: buf }
}

/** The section header table plus a .shstrtab right before it, as GNU ld lays them out. */
function sectionBlobs(spec: ElfSpec): { blobs: Blob[]; shnum: number; shoff: number } {
  const sections = spec.sections ?? []
  if (sections.length === 0 || spec.sectionTableAt === undefined) return { blobs: [], shnum: 0, shoff: 0 }
  const names = Buffer.from(`\0${[...sections.map((s) => s.name), '.shstrtab'].join('\0')}\0`, 'latin1')
  const shoff = spec.sectionTableAt
  const shstrtab = { name: '.shstrtab', type: 3, offset: spec.shstrtabAt ?? shoff - names.length, size: names.length }
  const all = [{ name: '', type: 0, offset: 0, size: 0 }, ...sections, shstrtab]
  const entry = spec.is64 ? 64 : 40
  const table = Buffer.alloc(all.length * entry)
  const w = writer(table, spec.little, spec.is64)
  all.forEach((s, i) => {
    const at = i * entry
    w.u32(at, s.name === '' ? 0 : names.indexOf(`\0${s.name}\0`, 0, 'latin1') + 1)
    w.u32(at + 4, s.type)
    w.word(at + (spec.is64 ? 24 : 16), s.offset)
    w.word(at + (spec.is64 ? 32 : 20), s.size)
  })
  return {
    blobs: [
      { offset: shstrtab.offset, bytes: names },
      { offset: shoff, bytes: table }
    ],
    shnum: all.length,
    shoff
  }
}

export function allBlobs(spec: ElfSpec): Blob[] {
  const sections = sectionBlobs(spec)
  return [headerBlob(spec, sections.shnum, sections.shoff), ...sections.blobs, ...spec.blobs]
}

/** Writes the blobs that overlap [offset, offset + out.length) into `out`, zeros elsewhere. */
export function render(blobs: Blob[], offset: number, out: Buffer): void {
  out.fill(0)
  for (const blob of blobs) {
    const from = Math.max(offset, blob.offset)
    const to = Math.min(offset + out.length, blob.offset + blob.bytes.length)
    if (to > from) out.set(blob.bytes.subarray(from - blob.offset, to - blob.offset), from - offset)
  }
}

export function buildElf(spec: ElfSpec): Buffer {
  const out = Buffer.alloc(spec.size)
  render(allBlobs(spec), 0, out)
  return out
}

export function goNote(little: boolean): Buffer {
  const desc = Buffer.from('abcdefgh/ijklmnop', 'latin1')
  const padded = Math.ceil(desc.length / 4) * 4
  const note = Buffer.alloc(16 + padded)
  const w = writer(note, little, false)
  w.u32(0, 4)
  w.u32(4, desc.length)
  w.u32(8, 4)
  note.write('Go\0\0', 12, 'latin1')
  note.set(desc, 16)
  return note
}

export function dynamicTable(entries: Array<[number, number]>, little: boolean, is64: boolean): Buffer {
  const size = is64 ? 16 : 8
  const buf = Buffer.alloc((entries.length + 1) * size)
  const w = writer(buf, little, is64)
  entries.forEach(([tag, value], i) => {
    w.word(i * size, tag)
    w.word(i * size + size / 2, value)
  })
  return buf
}

export const text = (s: string): Buffer => Buffer.from(s, 'latin1')
