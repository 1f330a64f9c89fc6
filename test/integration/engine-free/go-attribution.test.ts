import { beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ElfScanner } from '../../../src/binary/elf.js'
import { BUCKETS, type GoAttribution } from '../../../src/binary/goattribution.js'
import { packageOf } from '../../../src/binary/gopclntab.js'
import { BIN as bin, BUILD_TIMEOUT, buildGoFixtures, GO124_ROOT as go124Root, GOMOD as gomod } from '../../support/go-fixtures.js'

// Engine-free: real programs built offline by the fixture scripts, checked against go tool nm (run once, with the unit tests).

beforeAll(buildGoFixtures, BUILD_TIMEOUT)

function attribution(path: string, chunk = 1024 * 1024): GoAttribution {
  const data = readFileSync(path)
  const scanner = new ElfScanner(data.length)
  const shared = Buffer.alloc(chunk)
  for (let at = 0; at < data.length; at += chunk) {
    const piece = data.subarray(at, at + chunk)
    shared.set(piece)
    scanner.push(shared.subarray(0, piece.length))
    shared.fill(0xcc)
  }
  const result = scanner.finish()?.goAttribution
  if (!result) throw new Error(`no attribution for ${path}`)
  return result
}

const total = (a: GoAttribution): number => [...a.modules, ...a.buckets].reduce((sum, item) => sum + item.bytes, 0)
/** Code per module: what a stripped build shows too (its data symbols are gone with the symbol table). */
const moduleTotals = (a: GoAttribution): Record<string, number> => Object.fromEntries(a.modules.map((m) => [m.path, m.code ?? m.bytes]))

/** Go versions whose fixtures exist: the host's go1.19 always, go1.24 when the script could fetch it. */
const versions = (): Array<{ prefix: string; go: string }> => [
  { prefix: '', go: 'go' },
  ...(existsSync(join(gomod, 'go124-add')) ? [{ prefix: 'go124-', go: join(go124Root, 'bin/go') }] : [])
]

/** Per-package sums of `go tool nm -size` text symbols, the reference for code bytes. */
function nmPackages(go: string, path: string): Map<string, number> {
  const out = execFileSync(go, ['tool', 'nm', '-size', path], { maxBuffer: 256 * 1024 * 1024 }).toString()
  const sums = new Map<string, number>()
  for (const line of out.split('\n')) {
    const [, size, type, ...name] = line.trim().split(/\s+/)
    if (type !== 'T' && type !== 't') continue
    const pkg = packageOf(name.join(' '))
    sums.set(pkg, (sums.get(pkg) ?? 0) + Number(size))
  }
  return sums
}

describe('Go attribution of real programs (reference checks)', () => {
  it('finds both Go versions', () => {
    expect(versions().map((v) => v.prefix)).toEqual(['', 'go124-'])
  })

  it.each(['add', 'add-sw', 'add.gnu-stripped', 'app', 'app-cgo', 'upgrade'])('%s: buckets add up to the file size exactly', (name) => {
    for (const { prefix } of versions()) {
      const path = join(gomod, `${prefix}${name}`)
      expect(total(attribution(path))).toBe(readFileSync(path).length)
    }
  })

  it('agrees with go tool nm -size within 2% for the top 10 packages of an unstripped binary', () => {
    for (const { prefix, go } of versions()) {
      for (const name of [join(gomod, `${prefix}add`), join(bin, `${prefix}hello-https`)]) {
        const reference = nmPackages(go, name)
        const top = attribution(name).packages
        expect(top).toHaveLength(10)
        for (const pkg of top) expect(Math.abs(pkg.code / (reference.get(pkg.name) ?? 0) - 1)).toBeLessThan(0.02)
      }
    }
  })

  it('gives -s -w and GNU-stripped builds the unstripped build module totals, within 2%', () => {
    for (const { prefix } of versions()) {
      const full = moduleTotals(attribution(join(gomod, `${prefix}add`)))
      for (const stripped of ['add-sw', 'add.gnu-stripped']) {
        const totals = moduleTotals(attribution(join(gomod, `${prefix}${stripped}`)))
        expect(Object.keys(totals).sort()).toEqual(Object.keys(full).sort())
        for (const [path, bytes] of Object.entries(full)) expect(Math.abs((totals[path] ?? 0) / bytes - 1)).toBeLessThan(0.02)
      }
    }
  })

  // Attributed: bytes of Go functions with a named package (by name, else by compilation unit), alignment fill
  // excluded; out of every byte of the executable sections (.text and .plt), the fill, cgo's C and its PLT included.
  it('attributes at least 95% of the executable sections to a named package, the cgo build too', () => {
    for (const { prefix } of versions()) {
      for (const path of [join(gomod, `${prefix}add`), join(gomod, `${prefix}app-cgo`), join(bin, `${prefix}hello-https`)]) {
        const a = attribution(path)
        expect(a.namedTextBytes / a.textBytes).toBeGreaterThanOrEqual(0.95)
        expect(a.namedTextBytes / (a.textBytes - a.paddingBytes)).toBeGreaterThanOrEqual(0.99)
      }
    }
  })

  it('puts the C functions cgo linked in, not only the PLT, into the C bucket', () => {
    for (const { prefix } of versions()) {
      const path = join(gomod, `${prefix}app-cgo`)
      const sections = execFileSync('readelf', ['-SW', path], { encoding: 'utf8' })
      const plt = Number.parseInt(/\.plt\s+PROGBITS\s+\S+\s+\S+\s+(\S+)/.exec(sections)?.[1] ?? '0', 16)
      const c = attribution(path).buckets.find((b) => b.name === BUCKETS.cgo)?.bytes ?? 0
      expect(plt).toBeGreaterThan(0)
      expect(c).toBeGreaterThan(plt + 1000)
      expect(attribution(path).buckets.find((b) => b.name === BUCKETS.unnamed)?.bytes ?? 0).toBeLessThan(1000)
    }
  })

  it('maps packages to the modules of the build info, std to the Go version', () => {
    const a = attribution(join(gomod, 'add'))
    expect(a.modules.map((m) => [m.path, m.version, m.replace])).toEqual([
      ['std', 'go1.19.8', undefined],
      ['golang.org/x/text', 'v0.7.0', '/usr/share/gocode/src/golang.org/x/text (devel)'],
      ['github.com/google/uuid', 'v1.3.0', '/usr/share/gocode/src/github.com/google/uuid (devel)'],
      ['example.com/app', '(devel)', undefined]
    ])
    expect(a.buckets.map((b) => b.name)).toEqual(expect.arrayContaining([BUCKETS.pclntab, BUCKETS.dwarf, BUCKETS.symbols]))
    expect(a.buckets.map((b) => b.name)).not.toContain(BUCKETS.cgo)
  })

  it('names cgo C code and no DWARF for a stripped build', () => {
    const cgo = attribution(join(gomod, 'app-cgo')).buckets.map((b) => b.name)
    expect(cgo).toContain(BUCKETS.cgo)
    expect(attribution(join(gomod, 'add-sw')).buckets.map((b) => b.name)).not.toContain(BUCKETS.dwarf)
  })

  it('reads the same attribution whatever the chunk size', () => {
    const path = join(gomod, 'go124-add')
    const whole = attribution(path)
    expect(attribution(path, 4096)).toEqual(whole)
    expect(attribution(path, 1000)).toEqual(whole)
  })
})
