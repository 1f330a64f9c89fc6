import { beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ElfScanner } from '../../src/archive/elf/elf.js'
import { BUCKETS, type GoAttribution } from '../../src/archive/elf/goattribution.js'
import { compareVersions, diffGoBinaries, type BinaryDiff, type GoBinary } from '../../src/report/godiff.js'
import { growthLines, growthSection, imageText, modulePie } from '../../src/report/goexplain.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const gomod = join(root, 'test/.fixtures/gomod')

beforeAll(() => {
  const bin = join(root, 'test/.fixtures/bin')
  execFileSync('bash', [join(root, 'scripts/make-test-binaries.sh'), bin], { stdio: ['ignore', 'ignore', 'inherit'] })
  execFileSync('bash', [join(root, 'scripts/make-go-module-fixtures.sh'), gomod, join(bin, 'go1.24/usr/lib/go-1.24')], { stdio: ['ignore', 'ignore', 'inherit'] })
}, 900_000)

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
    expect(moduleDeltas(diff)).toEqual([['golang.org/x/text', 'added', 89482], ['std', 'unchanged', 3672], ['example.com/app', 'unchanged', 201]])
    const lines = growthLines(diff)
    expect(lines.slice(0, 3)).toEqual([
      '+89.5 kB <code>golang.org/x/text</code> (new, <code>v0.7.0</code>)',
      '+3.67 kB <code>std</code> (<code>go1.19.8</code>)',
      '+201 B <code>example.com/app</code> (<code>(devel)</code>)'
    ])
    expect(lines[3]).toMatch(/^\+2\d\d kB not code \(data \+88\.\d kB, DWARF \+7\d\.\d kB, pclntab \+5\d\.\d kB, …\)$/)
    expect(diff.settings).toEqual([])
  })

  it('head upgrades github.com/google/uuid from Debian v1.3.0 to a local v1.4.0', () => {
    const diff = pair('app', 'upgrade')
    expect(moduleDeltas(diff)).toEqual([['github.com/google/uuid', 'upgraded', 2306], ['example.com/app', 'unchanged', 181]])
    expect(diff.modules[0]?.base).toEqual({ version: 'v1.3.0', replace: '/usr/share/gocode/src/github.com/google/uuid (devel)' })
    expect(diff.modules[0]?.head?.replace).toBe(`${gomod}/src/uuid-v1.4.0 (devel)`)
    expect(growthLines(diff).slice(0, 2)).toEqual(['+2.31 kB <code>github.com/google/uuid</code> (<code>v1.3.0</code> → <code>v1.4.0</code>)', '+181 B <code>example.com/app</code> (<code>(devel)</code>)'])
  })

  it('head moves from Go 1.19 to Go 1.24', () => {
    const diff = pair('app', 'go124-app')
    expect(diff.goVersion).toEqual({ base: 'go1.19.8', head: 'go1.24.4' })
    expect(moduleDeltas(diff)).toEqual([['std', 'upgraded', 154923], ['github.com/google/uuid', 'unchanged', -166], ['example.com/app', 'unchanged', -43]])
    expect(growthLines(diff).slice(0, 4)).toEqual([
      '+155 kB <code>std</code> (<code>go1.19.8</code> → <code>go1.24.4</code>)',
      '-166 B <code>github.com/google/uuid</code> (<code>v1.3.0</code>)',
      '-43 B <code>example.com/app</code> (<code>(devel)</code>)',
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
      expect(growthLines(diff)).toContain(`CGO_ENABLED: <code>0</code> → <code>1</code> (+${cgo} B C code)`)
    }
  })

  it('matches by main module when the binary moved', () => {
    const [diff] = diffGoBinaries([binary('add', '/usr/local/bin/app')], [binary('app', '/app')])
    expect(diff).toMatchObject({ path: '/usr/local/bin/app', basePath: '/app', matchedBy: 'module' })
    expect(growthSection(diffGoBinaries([binary('add', '/srv/app')], [binary('app')]))[0]).toMatch(
      /^\*\*Why <code>\/srv\/app<\/code> grew\*\* \(2\.13 MB → 2\.51 MB, \+38\d kB\) \(was <code>\/app<\/code>\)$/
    )
  })
})

const attribution = (modules: GoAttribution['modules'], settings: Record<string, string> = {}): GoAttribution => ({
  goVersion: 'go1.22.4', settings, modules, packages: [], buckets: [], textBytes: 0, paddingBytes: 0, namedTextBytes: 0
})

describe('diffGoBinaries', () => {
  it('lists added, removed, downgraded and replaced modules, largest |Δ| first, and skips unmatched binaries', () => {
    const base: GoBinary = { path: '/app', size: 100, module: 'x', goAttribution: attribution([
      { path: 'a', version: 'v1.2.0', bytes: 10 }, { path: 'b', version: 'v0.9.0', bytes: 50 }, { path: 'c', version: 'v1.0.0', bytes: 5 }
    ], { '-ldflags': '-s -w', GOAMD64: 'v1' }) }
    const head: GoBinary = { path: '/app', size: 3000, module: 'x', goAttribution: attribution([
      { path: 'a', version: 'v1.10.0', bytes: 10 }, { path: 'c', version: 'v1.0.0', replace: '../c', bytes: 7 }, { path: 'd', version: 'v2.0.0', bytes: 2700 }
    ], { GOAMD64: 'v3' }) }
    const other: GoBinary = { path: '/other', size: 1, module: 'y', goAttribution: null }
    const [diff, ...rest] = diffGoBinaries([head, other], [base])
    expect(rest).toEqual([])
    expect(diff?.modules.map((m) => [m.path, m.kind, m.delta])).toEqual([['d', 'added', 2700], ['b', 'removed', -50], ['c', 'replaced', 2], ['a', 'upgraded', 0]])
    expect(diff && growthLines(diff)).toEqual([
      '+2.70 kB <code>d</code> (new, <code>v2.0.0</code>)',
      '-50 B <code>b</code> (removed, was <code>v0.9.0</code>)',
      '+2 B <code>c</code> (<code>v1.0.0</code>, replaced: none → <code>../c</code>)',
      '±0 B <code>a</code> (<code>v1.2.0</code> → <code>v1.10.0</code>)',
      'ldflags: -s -w removed (±0 B)',
      'GOAMD64: <code>v1</code> → <code>v3</code>'
    ])
  })

  it('orders versions semantically', () => {
    expect(compareVersions('v1.10.0', 'v1.9.0')).toBe(1)
    expect(compareVersions('go1.23.1', 'go1.22.4')).toBe(1)
    expect(compareVersions('v1.0.0-rc.1', 'v1.0.0')).toBe(-1)
    expect(compareVersions('v0.0.0-20220722155257-8c9f86f7a55f', 'v0.0.0-20210101000000-aaaaaaaaaaaa')).toBe(1)
  })

  it('ignores a malformed attribution from a saved report', () => {
    const broken = { path: '/app', size: 1, module: 'x', goAttribution: { modules: 'no' } } as unknown as GoBinary
    expect(diffGoBinaries([broken], [broken])).toEqual([])
  })
})

describe('image text in the growth section and the pie', () => {
  const hostile = ['</details><img src=x>', '@octocat', 'a\n## b', 'x`y``z', '"quoted" : 1\n```']

  it('puts every image string in markdown.ts code, encoded, newlines as \\n', () => {
    expect(imageText('</details><img src=x>')).toBe('<code>&#60;/details&#62;&#60;img src=x&#62;</code>')
    expect(imageText('a\n## b')).toBe('<code>a&#92;n&#35;&#35; b</code>')
    expect(imageText('x`y``z')).toBe('<code>x&#96;y&#96;&#96;z</code>')
    for (const text of hostile) {
      const diff: BinaryDiff = {
        path: text, basePath: text, matchedBy: 'module', baseSize: 1, headSize: 2, delta: 1, goVersion: null,
        modules: [{ path: text, kind: 'added', base: null, head: { version: text }, baseBytes: 0, headBytes: 1, delta: 1 }],
        settings: [{ key: '-tags', base: null, head: text }], buckets: []
      }
      const markdown = growthSection([diff]).join('\n')
      expect(markdown).not.toMatch(/\n#|\n```\n/)
      expect(markdown.replace(/<code>[^<]*<\/code>/g, '')).not.toMatch(/[<@`]/)
    }
  })

  it('keeps pie labels inside their quotes and the block closed', () => {
    const pie = modulePie('/app"\n```', attribution(hostile.map((path, i) => ({ path, version: 'v1', bytes: 10 - i }))))
    expect(pie[0]).toBe('```mermaid')
    expect(pie[pie.length - 1]).toBe('```')
    expect(pie.slice(1, -1).join('\n')).not.toMatch(/```|"[^"\n]*"[^:\n]*"/)
    for (const line of pie.slice(2, -1)) expect(line).toMatch(/^ {4}"[^"\n]*" : \d+$/)
  })
})
