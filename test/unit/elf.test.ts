import { beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ELF_SNIFF_BYTES, ElfScanner, looksLikeElf, type ElfInfo } from '../../src/archive/elf/elf.js'
import { MODINFO_END, MODINFO_START } from '../../src/archive/elf/gobuildinfo.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const bin = join(root, 'test/.fixtures/bin')
const fixture = (name: string): string => join(bin, name)

// ---------------------------------------------------------------------------------------------
// Streaming helpers

/** A small deterministic PRNG (mulberry32) so "random" chunkings are reproducible. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32
  }
}

type Chunking = number | 'random'

/**
 * Streams `data` like the tar reader does: every chunk is a view into one reused buffer, so a scanner
 * that keeps a reference instead of a copy reads overwritten bytes and fails these tests.
 */
function scan(data: Uint8Array, chunking: Chunking, fileSize = data.length): ElfInfo | null {
  const next = random(data.length)
  const size = (): number => (chunking === 'random' ? 1 + Math.floor(next() * 200_000) : chunking)
  const shared = Buffer.alloc(chunking === 'random' ? 200_000 : chunking)
  const scanner = new ElfScanner(fileSize)
  for (let offset = 0; offset < data.length; ) {
    const length = Math.min(size(), data.length - offset)
    shared.set(data.subarray(offset, offset + length))
    scanner.push(shared.subarray(0, length))
    shared.fill(0xcc, 0, length)
    offset += length
  }
  return scanner.finish()
}

/** Scans with several chunkings and insists they all agree. */
function scanAll(data: Uint8Array, chunkings: Chunking[] = [1024 * 1024, 4096, 'random']): ElfInfo | null {
  const [first, ...rest] = chunkings.map((chunking) => scan(data, chunking))
  for (const other of rest) expect(other).toEqual(first)
  return first ?? null
}

// ---------------------------------------------------------------------------------------------
// Synthetic ELF images

interface Blob {
  offset: number
  bytes: Uint8Array
}

interface SegmentSpec {
  type: number
  flags: number
  offset: number
  vaddr: number
  filesz: number
  align?: number
}

interface SectionSpec {
  name: string
  type: number
  offset: number
  size: number
}

interface ElfSpec {
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

/** Endian- and class-aware writers for building test images. */
function writer(buf: Buffer, little: boolean, is64: boolean) {
  const u16 = (at: number, v: number): number => (little ? buf.writeUInt16LE(v, at) : buf.writeUInt16BE(v, at))
  const u32 = (at: number, v: number): number => (little ? buf.writeUInt32LE(v, at) : buf.writeUInt32BE(v, at))
  const u64 = (at: number, v: number): number =>
    little ? buf.writeBigUInt64LE(BigInt(v), at) : buf.writeBigUInt64BE(BigInt(v), at)
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
  return { blobs: [{ offset: shstrtab.offset, bytes: names }, { offset: shoff, bytes: table }], shnum: all.length, shoff }
}

function allBlobs(spec: ElfSpec): Blob[] {
  const sections = sectionBlobs(spec)
  return [headerBlob(spec, sections.shnum, sections.shoff), ...sections.blobs, ...spec.blobs]
}

/** Writes the blobs that overlap [offset, offset + out.length) into `out`, zeros elsewhere. */
function render(blobs: Blob[], offset: number, out: Buffer): void {
  out.fill(0)
  for (const blob of blobs) {
    const from = Math.max(offset, blob.offset)
    const to = Math.min(offset + out.length, blob.offset + blob.bytes.length)
    if (to > from) out.set(blob.bytes.subarray(from - blob.offset, to - blob.offset), from - offset)
  }
}

function buildElf(spec: ElfSpec): Buffer {
  const out = Buffer.alloc(spec.size)
  render(allBlobs(spec), 0, out)
  return out
}

function goNote(little: boolean): Buffer {
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

function dynamicTable(entries: Array<[number, number]>, little: boolean, is64: boolean): Buffer {
  const size = is64 ? 16 : 8
  const buf = Buffer.alloc((entries.length + 1) * size)
  const w = writer(buf, little, is64)
  entries.forEach(([tag, value], i) => {
    w.word(i * size, tag)
    w.word(i * size + size / 2, value)
  })
  return buf
}

const text = (s: string): Buffer => Buffer.from(s, 'latin1')

// ---------------------------------------------------------------------------------------------
// Reference facts from the Go toolchain

interface GoVersionM {
  goVersion: string
  path: string
  module?: string
  settings: Record<string, string>
}

/** Parses `go version -m FILE`, the reference the scanner must agree with. */
function goVersionM(file: string): GoVersionM {
  const out = execFileSync('go', ['version', '-m', file], { encoding: 'utf8', env: goEnv() })
  const [first = '', ...lines] = out.trimEnd().split('\n')
  const result: GoVersionM = { goVersion: first.slice(first.lastIndexOf(' ') + 1), path: '', settings: {} }
  for (const line of lines) {
    const [, kind, ...fields] = line.split('\t')
    if (kind === 'path') result.path = fields[0] ?? ''
    if (kind === 'mod') result.module = fields[0]
    if (kind !== 'build') continue
    const setting = fields.join('\t')
    const eq = setting.indexOf('=')
    const value = setting.slice(eq + 1)
    result.settings[setting.slice(0, eq)] = value.startsWith('"') ? (JSON.parse(value) as string) : value
  }
  return result
}

function goEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', GOPROXY: 'off' }
}

const INTERPRETER = '/lib64/ld-linux-x86-64.so.2'

// ---------------------------------------------------------------------------------------------

beforeAll(() => {
  execFileSync('bash', [join(root, 'scripts/make-test-binaries.sh'), bin], { stdio: ['ignore', 'ignore', 'inherit'] })
}, 900_000)

describe('looksLikeElf', () => {
  it('needs exactly the four magic bytes', () => {
    expect(ELF_SNIFF_BYTES).toBe(4)
    expect(looksLikeElf(text('\x7fELF'))).toBe(true)
    expect(looksLikeElf(text('\x7fEL'))).toBe(false)
    expect(looksLikeElf(text('#!/bin/sh\n'))).toBe(false)
    expect(looksLikeElf(text('\x7fELG'))).toBe(false)
  })
})

/** Go fixtures are built by every Go the script found: the system Go and, when fetched, Go 1.24. */
const goPrefixes = (): string[] => ['', ...(existsSync(fixture('go124-hello-static')) ? ['go124-'] : [])]

describe('ElfScanner on real Go binaries', () => {
  it('builds fixtures with two Go versions (or says why not)', () => {
    if (!existsSync(fixture('go124-hello-static'))) console.warn('golang-1.24 unavailable: only the system Go is covered')
    expect(existsSync(fixture('hello-static'))).toBe(true)
  })

  it.each(['', 'go124-'])('%shello-static: build info matches `go version -m`', (prefix) => {
    if (!goPrefixes().includes(prefix)) return
    const file = fixture(`${prefix}hello-static`)
    const info = scanAll(readFileSync(file))
    const reference = goVersionM(file)
    expect(info?.go).toMatchObject(reference)
    expect(Object.keys(info?.go?.settings ?? {}).sort()).toEqual(Object.keys(reference.settings).sort())
    expect(info?.go?.goVersion).toMatch(/^go1\.\d+/)
    expect(info?.go?.path).toBe('example.com/fixtures/hello')
    expect(info?.go?.module).toBe('example.com/fixtures')
    expect(info?.go?.cgo).toBe(false)
    expect(info?.go?.trimpath).toBe(false)
  })

  it.each(['', 'go124-'])('%shello-static: static, unstripped x86-64 executable', (prefix) => {
    if (!goPrefixes().includes(prefix)) return
    const info = scanAll(readFileSync(fixture(`${prefix}hello-static`)))
    expect(info).toMatchObject({ bits: 64, machine: 'x86-64', type: 'exec', static: true, needed: [], stripped: false })
    expect(info?.interpreter).toBeUndefined()
    expect(info?.strippableBytes).toBeGreaterThan(100_000)
  })

  it.each([
    ['hello-static', { tls: false, tzdata: false, embeddedTzdata: false, user: false }],
    ['hello-https', { tls: true, tzdata: true, embeddedTzdata: false, user: false }],
    ['hello-tz', { tls: false, tzdata: true, embeddedTzdata: false, user: false }],
    ['hello-tzdata', { tls: false, tzdata: true, embeddedTzdata: true, user: false }],
    ['hello-user', { tls: false, tzdata: false, embeddedTzdata: false, user: true }]
  ])('%s uses what its source imports', (name, uses) => {
    for (const prefix of goPrefixes()) {
      expect(scanAll(readFileSync(fixture(`${prefix}${name}`)))?.go?.uses).toEqual(uses)
    }
  })

  it('hello-user is a dynamic cgo binary that needs libc', () => {
    for (const prefix of goPrefixes()) {
      const info = scanAll(readFileSync(fixture(`${prefix}hello-user`)))
      expect(info).toMatchObject({ static: false, interpreter: INTERPRETER })
      expect(info?.needed).toContain('libc.so.6')
      expect(info?.go?.cgo).toBe(true)
      expect(info?.go?.settings.CGO_ENABLED).toBe('1')
    }
  })

  it('hello-stripped (-ldflags=-s -w) is stripped but keeps build info and uses', () => {
    for (const prefix of goPrefixes()) {
      const info = scanAll(readFileSync(fixture(`${prefix}hello-stripped`)))
      expect(info).toMatchObject({ stripped: true, strippableBytes: 0 })
      expect(info?.go?.path).toBe('example.com/fixtures/hello')
      expect(info?.go?.settings['-ldflags']).toBe('-s -w')
    }
  })

  it('hello-trimpath records -trimpath', () => {
    for (const prefix of goPrefixes()) {
      const info = scanAll(readFileSync(fixture(`${prefix}hello-trimpath`)))
      expect(info?.go?.trimpath).toBe(true)
      expect(info?.go?.settings['-trimpath']).toBe('true')
    }
  })

  it('an app merely named "go" is not a toolchain', () => {
    const info = scanAll(readFileSync(fixture('bin/go')))
    expect(info?.go?.path).toBe('example.com/fixtures/hello')
    expect(info?.go?.path.startsWith('cmd/')).toBe(false)
  })

  it.each(['', 'go124-'])('%stoolchain binaries report cmd/go and cmd/compile', (prefix) => {
    if (!goPrefixes().includes(prefix)) return
    for (const [name, path] of [['toolchain-go', 'cmd/go'], ['toolchain-compile', 'cmd/compile']] as const) {
      const file = fixture(`${prefix}${name}`)
      if (!existsSync(file)) continue
      const info = scanAll(readFileSync(file), [1024 * 1024, 65536, 'random'])
      expect(info?.go?.path).toBe(path)
      expect(info?.go?.goVersion).toBe(goVersionM(file).goVersion)
      expect(info?.go?.module).toBeUndefined()
    }
  })
})

describe('ElfScanner on C binaries', () => {
  it('c-hello is a dynamic PIE that needs libc, with symbols and debug info', () => {
    const data = readFileSync(fixture('c-hello'))
    const info = scanAll(data, [1024 * 1024, 4096, 7, 'random'])
    expect(info).toMatchObject({ bits: 64, machine: 'x86-64', type: 'dyn', static: false, interpreter: INTERPRETER })
    expect(info?.needed).toContain('libc.so.6')
    expect(info?.stripped).toBe(false)
    expect(info?.go).toBeUndefined()
  })

  it('c-hello-stripped keeps its dynamic facts but has nothing left to strip', () => {
    const info = scanAll(readFileSync(fixture('c-hello-stripped')), [1024 * 1024, 7, 'random'])
    expect(info).toMatchObject({ static: false, interpreter: INTERPRETER, stripped: true, strippableBytes: 0 })
    expect(info?.needed).toContain('libc.so.6')
  })
})

describe('strippableBytes', () => {
  // GNU strip also drops the removed sections' headers (64 B each) and some alignment padding, so the
  // size it saves differs from the sections' own bytes by at most a few KiB.
  const band = 8 * 1024
  const pairs = (): Array<[string, string]> => [
    ['c-hello', 'c-hello-stripped'],
    ...goPrefixes().map((p): [string, string] => [`${p}hello-static`, `${p}hello-static.gnu-stripped`])
  ]

  it('is what GNU strip would save, within a few KiB', () => {
    for (const [full, stripped] of pairs()) {
      const saved = statSync(fixture(full)).size - statSync(fixture(stripped)).size
      const info = scanAll(readFileSync(fixture(full)))
      expect(info?.strippableBytes).toBeGreaterThan(0)
      expect(Math.abs((info?.strippableBytes ?? 0) - saved)).toBeLessThanOrEqual(band)
      expect(scanAll(readFileSync(fixture(stripped)))?.stripped).toBe(true)
    }
  })
})

describe('ElfScanner on garbage', () => {
  it.each([
    ['a text file', text('#!/bin/sh\necho hello\n'.repeat(100))],
    ['random bytes', Buffer.from(Array.from({ length: 100_000 }, random(7)).map((x) => Math.floor(x * 256)))],
    ['an empty file', Buffer.alloc(0)],
    ['a bad ELF class', text('\x7fELF\x09\x01\x01'.padEnd(64, '\0'))]
  ])('returns null for %s', (_name, data) => {
    expect(scan(data, 4096)).toBeNull()
    expect(scan(data, 7)).toBeNull()
  })

  it('returns null for a truncated ELF header', () => {
    const head = readFileSync(fixture('c-hello')).subarray(0, 40)
    expect(scan(head, 7)).toBeNull()
    // The file claims to be complete but the stream stops after 40 bytes.
    expect(scan(head, 7, 17_000)).toBeNull()
  })

  it('returns partial facts when the section headers never arrive', () => {
    const data = readFileSync(fixture('c-hello'))
    const info = scan(data.subarray(0, 8192), 4096, data.length)
    expect(info).toMatchObject({ bits: 64, static: false, interpreter: INTERPRETER, stripped: null, strippableBytes: null })
  })

  it.each([
    ['hello-user', (): Buffer => readFileSync(fixture('hello-user'))],
    ['a synthetic ELF32 big-endian Go binary', (): Buffer => legacyGoElf(true)],
    ['a synthetic binary with long inline build info', (): Buffer => bigModinfoElf()]
  ])('never throws on corrupted copies of %s', (_name, load) => {
    const original = load()
    const next = random(42)
    for (let round = 0; round < 60; round++) {
      const data = Buffer.from(original)
      // Corrupt the headers and tables the scanner trusts most, plus a few random bytes anywhere.
      for (let i = 0; i < 32; i++) data[Math.floor(next() * (round % 2 ? 256 : 4096))] = Math.floor(next() * 256)
      for (let i = 0; i < 16; i++) data[Math.floor(next() * data.length)] = Math.floor(next() * 256)
      expect(() => scan(data, round % 3 ? 65536 : 4093)).not.toThrow()
    }
  })
})

/** An ELF32 big-endian (MIPS) image with pointer-format (Go 1.13–1.17) build info, rodata past 64 KiB. */
function legacyGoElf(resolvable: boolean): Buffer {
  const lines = 'path\texample.com/legacy\nmod\texample.com/legacy\tv1.2.3\th1:x=\n'
  const modinfo = Buffer.concat([MODINFO_START, text(lines), MODINFO_END])
  // A digit after the real version would fool a guess; a decoy "go1.99.1" comes first in rodata.
  const versionTail = resolvable ? '7abc' : 'gopher'
  const decoy = resolvable ? 'go1.99.1 decoy' : 'nothing here'
  const header = Buffer.alloc(32)
  header.set(text('\xff Go buildinf:'))
  header[14] = 4
  header[15] = 1 // big-endian pointers, pointer format
  header.writeUInt32BE(resolvable ? 0x58100 : 0x99999000, 16)
  header.writeUInt32BE(resolvable ? 0x58108 : 0x99999000, 20)
  const strings = Buffer.alloc(16)
  strings.writeUInt32BE(0x40100, 0)
  strings.writeUInt32BE(9, 4)
  strings.writeUInt32BE(0x40400, 8)
  strings.writeUInt32BE(modinfo.length, 12)
  const dynstr = text('\0libc.so.6\0$ORIGIN/lib:/opt/lib\0')
  return buildElf({
    is64: false,
    little: false,
    machine: 8,
    type: 2,
    size: 0x2a000,
    segments: [
      { type: 4, flags: 4, offset: 0x200, vaddr: 0x10200, filesz: goNote(false).length, align: 4 },
      { type: 3, flags: 4, offset: 0x300, vaddr: 0x10300, filesz: 13 },
      { type: 1, flags: 5, offset: 0, vaddr: 0x10000, filesz: 0x20000 },
      { type: 1, flags: 4, offset: 0x20000, vaddr: 0x40000, filesz: 0x8000 },
      { type: 1, flags: 6, offset: 0x28000, vaddr: 0x58000, filesz: 0x1000 },
      { type: 2, flags: 6, offset: 0x28800, vaddr: 0x58800, filesz: 48 }
    ],
    sections: [
      { name: '.text', type: 1, offset: 0x1000, size: 0x100 },
      { name: '.symtab', type: 2, offset: 0x29000, size: 0x40 },
      { name: '.strtab', type: 3, offset: 0x29040, size: 0x20 },
      { name: '.debug_info', type: 1, offset: 0x29060, size: 0x30 }
    ],
    sectionTableAt: 0x29200,
    blobs: [
      { offset: 0x200, bytes: goNote(false) },
      { offset: 0x300, bytes: text('/lib/ld.so.1\0') },
      { offset: 0x400, bytes: dynstr },
      { offset: 0x20080, bytes: text(decoy) },
      { offset: 0x20100, bytes: text(`go1.16.15${versionTail}`) },
      { offset: 0x20400, bytes: modinfo },
      { offset: 0x21000, bytes: text('\0crypto/tls.(*Conn).Read\0os/user.Current\0') },
      { offset: 0x28000, bytes: header },
      { offset: 0x28100, bytes: strings },
      { offset: 0x28800, bytes: dynamicTable([[1, 1], [29, 11], [5, 0x10400], [10, dynstr.length]], false, false) }
    ]
  })
}

describe('ElfScanner on synthetic images', () => {
  it('reads ELF32 big-endian headers, dynamic table and sections', () => {
    const info = scanAll(legacyGoElf(true), [1024 * 1024, 4096, 7, 'random'])
    expect(info).toMatchObject({
      bits: 32,
      machine: 'mips',
      type: 'exec',
      static: false,
      interpreter: '/lib/ld.so.1',
      needed: ['libc.so.6'],
      rpath: [],
      runpath: ['$ORIGIN/lib', '/opt/lib'],
      stripped: false,
      strippableBytes: 0x40 + 0x20 + 0x30
    })
  })

  it('follows pointer-format (Go 1.13–1.17) build info to the exact strings in rodata', () => {
    const go = scanAll(legacyGoElf(true), [1024 * 1024, 4096, 7, 'random'])?.go
    expect(go).toEqual({
      goVersion: 'go1.16.15',
      path: 'example.com/legacy',
      module: 'example.com/legacy',
      moduleVersion: 'v1.2.3',
      deps: [],
      settings: {},
      uses: { tls: true, tzdata: false, embeddedTzdata: false, user: true }
    })
  })

  it('falls back to the first version-like string and the sentinel-wrapped modinfo', () => {
    const go = scanAll(legacyGoElf(false), [4096, 'random'])?.go
    expect(go?.goVersion).toBe('go1.16.15')
    expect(go?.path).toBe('example.com/legacy')
  })

  it('finds a needle straddling two chunks at every split point', () => {
    const data = legacyGoElf(true)
    const at = data.indexOf('os/user.Current')
    for (let split = at - 1; split <= at + 9; split++) {
      const scanner = new ElfScanner(data.length)
      scanner.push(Buffer.from(data.subarray(0, split)))
      scanner.push(Buffer.from(data.subarray(split)))
      expect(scanner.finish()?.go?.uses.user).toBe(true)
    }
  })
})

/** A little-endian ELF64 whose .dynstr sits at `dynstrAt`, with PT_DYNAMIC at `dynamicAt`. */
function dynstrElf(options: { dynstrAt: number; dynamicAt: number; firstLoad: number; names: string[] }): Buffer {
  const { dynstrAt, dynamicAt, firstLoad, names } = options
  const dynstr = text(`\0${names.join('\0')}\0`)
  const needed = names.map((name): [number, number] => [1, dynstr.indexOf(`\0${name}\0`) + 1])
  const size = Math.max(dynstrAt, dynamicAt) + 0x10000
  return buildElf({
    is64: true,
    little: true,
    machine: 62,
    type: 3,
    size,
    segments: [
      { type: 1, flags: 4, offset: 0, vaddr: 0, filesz: firstLoad },
      { type: 1, flags: 5, offset: firstLoad, vaddr: firstLoad, filesz: size - firstLoad },
      { type: 2, flags: 6, offset: dynamicAt, vaddr: dynamicAt, filesz: 0x100 }
    ],
    blobs: [
      { offset: dynstrAt, bytes: dynstr },
      { offset: dynamicAt, bytes: dynamicTable([...needed, [5, dynstrAt], [10, dynstr.length]], true, true) }
    ]
  })
}

describe('ElfScanner finds .dynstr wherever the linker put it', () => {
  it('deep inside the first read-only segment (GNU ld), even without ".so" names', () => {
    const data = dynstrElf({ dynstrAt: 0x200000, dynamicAt: 0x400000, firstLoad: 0x300000, names: ['plugin', 'ld-musl'] })
    expect(scanAll(data)?.needed).toEqual(['plugin', 'ld-musl'])
  })

  it('megabytes into an executable segment (Go internal linking), found by its library names', () => {
    const data = dynstrElf({ dynstrAt: 0x900000, dynamicAt: 0xa00000, firstLoad: 0x1000, names: ['libc.so.6', 'libm.so'] })
    expect(scanAll(data)?.needed).toEqual(['libc.so.6', 'libm.so'])
  })

  it('after the dynamic table', () => {
    const data = dynstrElf({ dynstrAt: 0x500000, dynamicAt: 0x400000, firstLoad: 0x1000, names: ['libplugin'] })
    expect(scanAll(data)?.needed).toEqual(['libplugin'])
  })
})

const MiB = 1024 * 1024
const STRIPPABLE: SectionSpec[] = [
  { name: '.symtab', type: 2, offset: 5 * MiB, size: 0x3000 },
  { name: '.strtab', type: 3, offset: 5 * MiB + 0x3000, size: 0x2000 },
  { name: '.debug_line', type: 1, offset: 5 * MiB + 0x5000, size: 0x1000 },
  { name: '.zdebug_info', type: 1, offset: 5 * MiB + 0x6000, size: 0x800 }
]

/** An 8 MiB ELF64 with text, rodata and data segments, sections as given, optionally a Go binary. */
function sectionsElf(options: { go: boolean; tableAt: number; shstrtabAt?: number }): Buffer {
  return buildElf({
    is64: true,
    little: true,
    machine: 62,
    type: 2,
    size: 8 * MiB,
    segments: [
      { type: 4, flags: 4, offset: 0x200, vaddr: 0x200, filesz: goNote(true).length, align: 4 },
      { type: 1, flags: 5, offset: 0, vaddr: 0, filesz: MiB },
      { type: 1, flags: 4, offset: MiB, vaddr: MiB, filesz: 3 * MiB },
      { type: 1, flags: 6, offset: 4 * MiB, vaddr: 4 * MiB, filesz: 0x10000 }
    ],
    sections: [
      { name: '.text', type: 1, offset: 0x1000, size: 0x1000 },
      { name: '.bss', type: 8, offset: 0, size: 0x9000 },
      ...STRIPPABLE
    ],
    sectionTableAt: options.tableAt,
    ...(options.shstrtabAt === undefined ? {} : { shstrtabAt: options.shstrtabAt }),
    blobs: options.go ? [{ offset: 0x200, bytes: goNote(true) }] : []
  })
}

describe('ElfScanner finds .shstrtab wherever the linker put it', () => {
  const strippable = STRIPPABLE.reduce((sum, s) => sum + s.size, 0)

  it('just before the section headers at the end (GNU ld)', () => {
    const info = scanAll(sectionsElf({ go: false, tableAt: 8 * MiB - 0x1000 }))
    expect(info).toMatchObject({ stripped: false, strippableBytes: strippable })
  })

  it('inside the rodata segment, far from the section headers (Go 1.19)', () => {
    const info = scanAll(sectionsElf({ go: true, tableAt: 8 * MiB - 0x1000, shstrtabAt: 2 * MiB }))
    expect(info).toMatchObject({ stripped: false, strippableBytes: strippable })
  })

  it('at the end, long after section headers that follow the program headers (Go 1.24)', () => {
    const info = scanAll(sectionsElf({ go: true, tableAt: 0x400, shstrtabAt: 6 * MiB }))
    expect(info).toMatchObject({ stripped: false, strippableBytes: strippable })
  })

  it('and says null when .shstrtab streamed by unrecognised', () => {
    const info = scanAll(sectionsElf({ go: false, tableAt: 8 * MiB - 0x1000, shstrtabAt: 2 * MiB }))
    expect(info).toMatchObject({ bits: 64, stripped: null, strippableBytes: null })
  })
})

/** Go's uvarint encoding (LEB128), as the linker writes inline build info lengths. */
function uvarint(value: number): Buffer {
  const bytes: number[] = []
  for (let rest = value; ; rest = Math.floor(rest / 128)) {
    if (rest < 128) return Buffer.from([...bytes, rest])
    bytes.push((rest % 128) | 0x80)
  }
}

/** Inline build info (Go ≥ 1.18) whose modinfo is longer than the 64 KiB Go itself searches. */
function bigModinfoElf(): Buffer {
  const dep = (i: number): string => `dep\texample.com/dependency/number${i}\tv1.0.${i}\th1:${'x'.repeat(44)}=\n`
  const deps = Array.from({ length: 2000 }, (_, i) => dep(i))
  const body = `path\texample.com/big\nmod\texample.com/big\t(devel)\t\n${deps.join('')}build\tvcs.revision=0123abcd\n`
  const modinfo = Buffer.concat([MODINFO_START, text(body), MODINFO_END])
  const version = text('go1.21.0')
  const header = Buffer.concat([text('\xff Go buildinf:'), Buffer.from([8, 2]), Buffer.alloc(16)])
  const inline = Buffer.concat([header, Buffer.from([version.length]), version, uvarint(modinfo.length), modinfo])
  return buildElf({
    is64: true,
    little: true,
    machine: 62,
    type: 2,
    size: 2 * MiB,
    segments: [
      { type: 1, flags: 5, offset: 0, vaddr: 0, filesz: MiB },
      { type: 1, flags: 6, offset: MiB, vaddr: MiB, filesz: MiB }
    ],
    blobs: [{ offset: MiB, bytes: inline }]
  })
}

describe('ElfScanner reads long inline build info', () => {
  it('keeps modinfo that runs past the first 64 KiB of the data segment', () => {
    const go = scanAll(bigModinfoElf())?.go
    expect(go).toMatchObject({ goVersion: 'go1.21.0', path: 'example.com/big', vcsRevision: '0123abcd' })
  })
})

describe('ElfScanner memory', () => {
  /** A Go-noted dynamic ELF64 of `size` bytes: megabytes of zeros between headers and data segment. */
  function hugeSpec(size: number): ElfSpec {
    const dataAt = size - 0x10000
    const modinfo = Buffer.concat([MODINFO_START, text('path\texample.com/huge\n'), MODINFO_END])
    const version = text('go1.22.1')
    const header = Buffer.concat([text('\xff Go buildinf:'), Buffer.from([8, 2]), Buffer.alloc(16)])
    const inline = Buffer.concat([header, Buffer.from([version.length]), version, Buffer.from([modinfo.length]), modinfo])
    const dynstr = text('\0libz.so.1\0')
    return {
      is64: true,
      little: true,
      machine: 183,
      type: 3,
      size,
      segments: [
        { type: 4, flags: 4, offset: 0x200, vaddr: 0x200, filesz: goNote(true).length, align: 4 },
        { type: 1, flags: 4, offset: 0, vaddr: 0, filesz: 0x1000 },
        { type: 1, flags: 5, offset: 0x1000, vaddr: 0x1000, filesz: size / 2 },
        { type: 1, flags: 4, offset: 0x1000 + size / 2, vaddr: 0x1000 + size / 2, filesz: dataAt - 0x1000 - size / 2 },
        { type: 1, flags: 6, offset: dataAt, vaddr: dataAt, filesz: 0x8000 },
        { type: 2, flags: 6, offset: dataAt + 0x1000, vaddr: dataAt + 0x1000, filesz: 48 }
      ],
      sections: [{ name: '.symtab', type: 2, offset: dataAt + 0x8000, size: 0x100 }],
      sectionTableAt: size - 0x1000,
      blobs: [
        { offset: 0x200, bytes: goNote(true) },
        { offset: 0x400, bytes: dynstr },
        { offset: dataAt, bytes: inline },
        { offset: dataAt + 0x1000, bytes: dynamicTable([[1, 1], [5, 0x400], [10, dynstr.length]], true, true) }
      ]
    }
  }

  it('scans a 200 MB binary without holding it', () => {
    const size = 200 * 1024 * 1024
    const spec = hugeSpec(size)
    const blobs = allBlobs(spec)
    const chunk = Buffer.alloc(1024 * 1024)
    const before = process.memoryUsage()
    let peak = 0
    const scanner = new ElfScanner(size)
    for (let offset = 0; offset < size; offset += chunk.length) {
      render(blobs, offset, chunk)
      scanner.push(chunk)
      const now = process.memoryUsage()
      peak = Math.max(peak, now.heapUsed - before.heapUsed + now.arrayBuffers - before.arrayBuffers)
    }
    const info = scanner.finish()
    expect(peak).toBeLessThan(32 * 1024 * 1024)
    expect(info).toMatchObject({ machine: 'aarch64', type: 'dyn', needed: ['libz.so.1'] })
    expect(info).toMatchObject({ stripped: false, strippableBytes: 0x100 })
    expect(info?.go).toMatchObject({ goVersion: 'go1.22.1', path: 'example.com/huge' })
  })
})
