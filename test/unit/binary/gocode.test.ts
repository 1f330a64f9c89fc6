import { describe, expect, it } from '@jest/globals'
import { goCode, NO_UNIT, type FunctionFields, type FunctionNames } from '../../../src/binary/gocode.js'

/** Names as the reader interns them: package ids by name offset. */
function names(byOffset: Record<number, string>): FunctionNames {
  const packages = [...new Set(Object.values(byOffset))]
  return { packages, packageIdAt: (offset) => (offset in byOffset ? packages.indexOf(byOffset[offset] as string) : -1) }
}

/** Functions of 100 bytes each at entries 0, 100, …, with the given name offsets, pcsp and cuOffset. */
function fields(rows: Array<[nameOff: number, pcsp: number, cu: number]>): FunctionFields {
  return {
    textStart: 0x401000,
    entry: (i) => i * 100,
    nameOff: Uint32Array.from(rows, (r) => r[0]),
    pcsp: Uint32Array.from(rows, (r) => r[1]),
    cuOffset: Uint32Array.from(rows, (r) => r[2])
  }
}

describe('goCode', () => {
  const table = names({ 0: 'runtime', 10: '', 20: 'internal/bytealg', 30: 'slices', 40: 'main' })

  it('sums function extents per package, less the fill before each next entry', () => {
    const code = goCode(
      fields([
        [0, 1, 0],
        [40, 1, 5]
      ]),
      table,
      (vaddr) => (vaddr === 0x401000 + 100 ? 12 : 0)
    )
    expect([...code.packages]).toEqual([
      ['runtime', 88],
      ['main', 100]
    ])
    expect(code).toMatchObject({ start: 0x401000, end: 0x401000 + 200, functions: 2, padding: 12, foreign: 0 })
  })

  it('gives a package-less Go function the package holding most of its compilation unit', () => {
    // cu 7 is internal/bytealg's (two functions) with one generic instantiation from slices; cmpbody has no package.
    const code = goCode(
      fields([
        [20, 1, 7],
        [30, 1, 7],
        [20, 1, 7],
        [10, 1, 7]
      ]),
      table
    )
    expect(code.packages.get('internal/bytealg')).toBe(300)
    expect(code.packages.get('slices')).toBe(100)
    expect(code.packages.has('')).toBe(false)
  })

  it('counts package-less functions without pc tables as C from host objects, whatever their unit', () => {
    const code = goCode(
      fields([
        [10, 0, 7],
        [10, 0, NO_UNIT],
        [0, 1, 7]
      ]),
      table
    )
    expect(code.foreign).toBe(200)
    expect([...code.packages]).toEqual([['runtime', 100]])
  })

  it('keeps a package-less function of a unit without named code (or of no unit) as code without a package', () => {
    const code = goCode(
      fields([
        [10, 1, 9],
        [10, 1, NO_UNIT],
        [99, 1, 9]
      ]),
      table
    )
    expect(code.packages.get('')).toBe(300)
    expect(code.foreign).toBe(0)
  })
})
