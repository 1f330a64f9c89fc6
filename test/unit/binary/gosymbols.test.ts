import { describe, expect, it } from '@jest/globals'
import { symbolData, type DataSymbol } from '../../../src/binary/gosymbols.js'
import { NamePicker, SymbolTableReader } from '../../../src/binary/symtab-reader.js'

const sym = (name: string, value: number, size: number, section = 1): DataSymbol => ({ name, value, size, section })

describe('symbolData', () => {
  const sections = [undefined, { addr: 1000, size: 1000 }, { addr: 5000, size: 100 }]

  it('runs each region marker to the next symbol, counts overlaps once and stays inside the section', () => {
    const data = symbolData(sections, [
      sym('go.string.*', 1100, 0),
      sym('type.*', 1000, 0),
      sym('runtime.types', 1000, 0),
      sym('go.func.*', 1300, 0),
      sym('golang.org/x/text/unicode/norm.decomps', 1500, 200),
      sym('golang.org/x/text/unicode/norm.nfcValues', 1600, 200),
      sym('go.itab.*os.File,io.Writer', 1800, 32),
      sym('$f64.3ff0000000000000', 1840, 8),
      sym('runtime.mheap_', 1950, 500),
      sym('main.table', 5000, 10, 2),
      sym('elsewhere.x', 9000, 10, 3)
    ])
    expect([...data.kinds]).toEqual([
      ['types', 100 + 32],
      ['strings', 200],
      ['funcdata', 200]
    ])
    expect([...data.packages]).toEqual([
      ['golang.org/x/text/unicode/norm', 300],
      ['runtime', 50],
      ['main', 10]
    ])
    expect([...data.bySection]).toEqual([
      [1, 100 + 200 + 200 + 300 + 32 + 50],
      [2, 10]
    ])
  })
})

/** An ELF64 little-endian symbol table entry. */
function entry(name: number, info: number, shndx: number, value: number, size: number): Buffer {
  const bytes = Buffer.alloc(24)
  bytes.writeUInt32LE(name, 0)
  bytes[4] = info
  bytes.writeUInt16LE(shndx, 6)
  bytes.writeBigUInt64LE(BigInt(value), 8)
  bytes.writeBigUInt64LE(BigInt(size), 16)
  return bytes
}

describe('SymbolTableReader', () => {
  // Section 1 is .text (executable), 2 .rodata, 3 .bss (NOBITS).
  const kinds = [
    { type: 0, flags: 0 },
    { type: 1, flags: 6 },
    { type: 1, flags: 2 },
    { type: 8, flags: 3 }
  ]
  const strtab = Buffer.from('\0main.f\0unicode.Upper\0runtime.zero\0go:string.*\0', 'latin1')
  const symtab = Buffer.concat([
    entry(0, 0, 0, 0, 0),
    entry(1, 0x12, 1, 0x401000, 50), // FUNC in .text
    entry(8, 0x11, 2, 0x402000, 150), // OBJECT in .rodata
    entry(22, 0x11, 3, 0x403000, 8), // OBJECT in .bss: no file bytes
    entry(35, 0x00, 2, 0x402100, 0) // NOTYPE marker in .rodata
  ])

  it('keeps data symbols of file-backed sections and picks their names, whatever the seams', () => {
    for (const cut of [1, 23, 24, 50, 119]) {
      const reader = new SymbolTableReader(kinds, true, true, symtab.length)
      reader.feedSymtab(Buffer.from(symtab.subarray(0, cut)))
      reader.feedSymtab(Buffer.from(symtab.subarray(cut)))
      const sink = reader.strtabSink(4000)
      const seam = cut % strtab.length
      sink(Buffer.from(strtab.subarray(0, seam)), 4000)
      sink(Buffer.from(strtab.subarray(seam)), 4000 + seam)
      expect(reader.symbols()).toEqual([
        { name: 'unicode.Upper', value: 0x402000, size: 150, section: 2 },
        { name: 'go:string.*', value: 0x402100, size: 0, section: 2 }
      ])
    }
  })

  it('has no symbols until both tables streamed', () => {
    const reader = new SymbolTableReader(kinds, true, true, symtab.length)
    reader.feedSymtab(symtab.subarray(0, 48))
    reader.strtabSink(0)(strtab, 0)
    expect(reader.symbols()).toBeUndefined()
  })
})

describe('NamePicker', () => {
  it('picks names at ascending offsets, cut by seams, and waits for the last one', () => {
    const table = Buffer.from('\0alpha\0beta\0gamma\0', 'latin1')
    const picker = new NamePicker(100, new Float64Array([1, 7, 12]))
    picker.feed(table.subarray(0, 9), 100)
    expect(picker.result()).toBeUndefined()
    picker.feed(table.subarray(9, 14), 109)
    picker.feed(table.subarray(14), 114)
    expect([...(picker.result() ?? [])]).toEqual([
      [1, 'alpha'],
      [7, 'beta'],
      [12, 'gamma']
    ])
  })
})
