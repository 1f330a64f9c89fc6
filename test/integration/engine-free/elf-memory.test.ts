import { describe, expect, it, jest } from '@jest/globals'
import { ElfScanner } from '../../../src/binary/elf.js'
import { MODINFO_END, MODINFO_START } from '../../../src/binary/gobuildinfo.js'
import { allBlobs, dynamicTable, goNote, render, text, type ElfSpec } from '../../support/elf-writer.js'

// 60 s for a test or hook: streaming large binaries while sampling memory: 3.5 s at most on a loaded 2-core machine.
jest.setTimeout(60_000)

// Engine-free but seconds long (200 MB streamed), so it runs once with the unit tests rather than in them.

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
        {
          offset: dataAt + 0x1000,
          bytes: dynamicTable(
            [
              [1, 1],
              [5, 0x400],
              [10, dynstr.length]
            ],
            true,
            true
          )
        }
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
