import { beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ElfScanner } from '../../../src/binary/elf.js'
import { BUCKETS } from '../../../src/binary/goattribution.js'
import { diffGoBinaries, type BinaryDiff, type GoBinary } from '../../../src/report/godiff.js'
import { growthLines, moduleGrowthSection } from '../../../src/report/goexplain.js'
import { formatDelta } from '../../../src/size.js'
import { BUILD_TIMEOUT, buildGoFixtures, GOMOD as gomod } from '../../support/go-fixtures.js'

// Engine-free: base/head pairs built offline by the fixture scripts (run once, with the unit tests).
beforeAll(buildGoFixtures, BUILD_TIMEOUT)

function binary(name: string, path = '/app'): GoBinary {
  const data = readFileSync(join(gomod, name))
  const scanner = new ElfScanner(data.length)
  scanner.push(data)
  const info = scanner.finish()
  return { path, size: data.length, module: info?.go?.module ?? null, goAttribution: info?.goAttribution ?? null }
}

function pair(base: string, head: string): BinaryDiff {
  const [diff] = diffGoBinaries([binary(head)], [binary(base)])
  if (!diff) throw new Error(`no diff for ${base} → ${head}`)
  return diff
}

const moduleDeltas = (diff: BinaryDiff) => diff.modules.map((m) => [m.path, m.kind, m.delta])
const bucket = (diff: BinaryDiff, name: string) => diff.buckets.find((b) => b.name === name)?.delta ?? 0

// Code bytes depend only on the sources and the toolchain, not on where the fixtures were built, so they are exact.
describe('module diff of real base/head builds', () => {
  it('head adds golang.org/x/text', () => {
    const diff = pair('app', 'add')
    expect(moduleDeltas(diff)).toEqual([
      ['golang.org/x/text', 'added', 171810],
      ['std', 'unchanged', 4336],
      ['example.com/app', 'unchanged', 225]
    ])
    const lines = growthLines(diff)
    expect(lines.slice(0, 3)).toEqual([
      '+172 kB <code>golang.org/x/text</code> (new, <code>v0.7.0</code>)',
      '+4.34 kB <code>std</code> (<code>go1.19.8</code>)',
      '+225 B <code>example.com/app</code> (<code>(devel)</code>)'
    ])
    expect(lines[3]).toMatch(/^\+20\d kB outside packages \(DWARF \+75\.\d kB, pclntab \+50\.\d kB, symbol tables \+28\.\d kB, …\)$/)
    expect(diff.settings).toEqual([])
  })

  it('head upgrades github.com/google/uuid from Debian v1.3.0 to a local v1.4.0', () => {
    const diff = pair('app', 'upgrade')
    expect(moduleDeltas(diff)).toEqual([
      ['github.com/google/uuid', 'upgraded', 2306],
      ['example.com/app', 'unchanged', 189],
      ['std', 'unchanged', 19]
    ])
    expect(diff.modules[0]?.base).toEqual({ version: 'v1.3.0', replace: '/usr/share/gocode/src/github.com/google/uuid (devel)' })
    expect(diff.modules[0]?.head?.replace).toBe('/var/cache/image-size-gate/gomod-src/uuid-v1.4.0 (devel)')
    expect(growthLines(diff).slice(0, 2)).toEqual([
      '+2.31 kB <code>github.com/google/uuid</code> (<code>v1.3.0</code> → <code>v1.4.0</code>)',
      '+189 B <code>example.com/app</code> (<code>(devel)</code>)'
    ])
  })

  it('head moves from Go 1.19 to Go 1.24', () => {
    const diff = pair('app', 'go124-app')
    expect(diff.goVersion).toEqual({ base: 'go1.19.8', head: 'go1.24.4' })
    expect(moduleDeltas(diff)).toEqual([
      ['std', 'upgraded', 162431],
      ['github.com/google/uuid', 'unchanged', -318],
      ['example.com/app', 'unchanged', -91]
    ])
    expect(growthLines(diff).slice(0, 4)).toEqual([
      '+162 kB <code>std</code> (<code>go1.19.8</code> → <code>go1.24.4</code>)',
      '-318 B <code>github.com/google/uuid</code> (<code>v1.3.0</code>)',
      '-91 B <code>example.com/app</code> (<code>(devel)</code>)',
      '-buildmode: unset → <code>exe</code>'
    ])
  })

  it('head drops -ldflags=-s -w: no module changes, the DWARF and symbol tables come back', () => {
    const diff = pair('app-sw', 'app')
    expect(diff.modules).toEqual([])
    expect(diff.settings).toEqual([{ key: '-ldflags', base: '-s -w', head: null }])
    const cost = bucket(diff, BUCKETS.dwarf) + bucket(diff, BUCKETS.symbols)
    expect(cost).toBeGreaterThan(600_000)
    const [line] = growthLines(diff)
    expect(line).toBe(`ldflags: -s -w removed (+${(cost / 1000).toPrecision(3)} kB)`)
    expect(cost / diff.delta).toBeGreaterThan(0.99)
  })

  it('head turns on cgo: C code appears and the pure-Go os/user code goes', () => {
    for (const prefix of ['', 'go124-']) {
      const diff = pair(`${prefix}app`, `${prefix}app-cgo`)
      expect(diff.settings).toEqual([{ key: 'CGO_ENABLED', base: '0', head: '1' }])
      const cgo = bucket(diff, BUCKETS.cgo)
      expect(cgo).toBeGreaterThan(0)
      expect(diff.modules.map((m) => [m.path, Math.sign(m.delta)])).toEqual([['std', -1]])
      expect(growthLines(diff)).toContain(`CGO_ENABLED: <code>0</code> → <code>1</code> (${formatDelta(cgo)} C code)`)
    }
  })

  it('matches by main module when the binary moved', () => {
    const [diff] = diffGoBinaries([binary('add', '/usr/local/bin/app')], [binary('app', '/app')])
    expect(diff).toMatchObject({ path: '/usr/local/bin/app', basePath: '/app', matchedBy: 'module' })
    expect(moduleGrowthSection(diffGoBinaries([binary('add', '/srv/app')], [binary('app')]))[0]).toMatch(
      /^\*\*Why <code>\/srv\/app<\/code> grew\*\* \(2\.13 MB → 2\.51 MB, \+38\d kB\) \(was <code>\/app<\/code>\)$/
    )
  })
})
