import { describe, expect, it } from '@jest/globals'
import { ELF_SNIFF_BYTES, ElfScanner, looksLikeElf } from '../../../src/binary/elf.js'
import { MODINFO_END, MODINFO_START } from '../../../src/binary/gobuildinfo.js'
import { expectNoThrowOnCorruption, random, scan, scanAll } from '../../support/elf-stream.js'
import { buildElf, dynamicTable, goNote, text, type SectionSpec } from '../../support/elf-writer.js'

// Pure: synthetic images only. The same scanner on real Go and C binaries is test/integration/elf-binaries.test.ts.

describe('looksLikeElf', () => {
  it('needs exactly the four magic bytes', () => {
    expect(ELF_SNIFF_BYTES).toBe(4)
    expect(looksLikeElf(text('\x7fELF'))).toBe(true)
    expect(looksLikeElf(text('\x7fEL'))).toBe(false)
    expect(looksLikeElf(text('#!/bin/sh\n'))).toBe(false)
    expect(looksLikeElf(text('\x7fELG'))).toBe(false)
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

  it.each([
    ['a synthetic ELF32 big-endian Go binary', (): Buffer => legacyGoElf(true)],
    ['a synthetic binary with long inline build info', (): Buffer => bigModinfoElf()]
  ])('never throws on corrupted copies of %s', (_name, load) => {
    expectNoThrowOnCorruption(load())
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
      {
        offset: 0x28800,
        bytes: dynamicTable(
          [
            [1, 1],
            [29, 11],
            [5, 0x10400],
            [10, dynstr.length]
          ],
          false,
          false
        )
      }
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
    sections: [{ name: '.text', type: 1, offset: 0x1000, size: 0x1000 }, { name: '.bss', type: 8, offset: 0, size: 0x9000 }, ...STRIPPABLE],
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
