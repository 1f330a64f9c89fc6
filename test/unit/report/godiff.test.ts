import { describe, expect, it } from '@jest/globals'
import type { GoAttribution } from '../../../src/binary/goattribution.js'
import { compareVersions, diffGoBinaries, type BinaryDiff, type GoBinary } from '../../../src/report/godiff.js'
import { growthLines, moduleGrowthSection, imageText, modulePie } from '../../../src/report/goexplain.js'

// Pure. The diffs of real base/head builds are test/integration/go-module-diff.test.ts.

const attribution = (modules: GoAttribution['modules'], settings: Record<string, string> = {}): GoAttribution => ({
  goVersion: 'go1.22.4',
  settings,
  modules,
  packages: [],
  buckets: [],
  symbolData: false,
  textBytes: 0,
  paddingBytes: 0,
  namedTextBytes: 0
})

describe('diffGoBinaries', () => {
  it('lists added, removed, downgraded and replaced modules, largest |Δ| first, and skips unmatched binaries', () => {
    const base: GoBinary = {
      path: '/app',
      size: 100,
      module: 'x',
      goAttribution: attribution(
        [
          { path: 'a', version: 'v1.2.0', bytes: 10 },
          { path: 'b', version: 'v0.9.0', bytes: 50 },
          { path: 'c', version: 'v1.0.0', bytes: 5 }
        ],
        { '-ldflags': '-s -w', GOAMD64: 'v1' }
      )
    }
    const head: GoBinary = {
      path: '/app',
      size: 3000,
      module: 'x',
      goAttribution: attribution(
        [
          { path: 'a', version: 'v1.10.0', bytes: 10 },
          { path: 'c', version: 'v1.0.0', replace: '../c', bytes: 7 },
          { path: 'd', version: 'v2.0.0', bytes: 2700 }
        ],
        { GOAMD64: 'v3' }
      )
    }
    const other: GoBinary = { path: '/other', size: 1, module: 'y', goAttribution: null }
    const [diff, ...rest] = diffGoBinaries([head, other], [base])
    expect(rest).toEqual([])
    expect(diff?.modules.map((m) => [m.path, m.kind, m.delta])).toEqual([
      ['d', 'added', 2700],
      ['b', 'removed', -50],
      ['c', 'replaced', 2],
      ['a', 'upgraded', 0]
    ])
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
        path: text,
        basePath: text,
        matchedBy: 'module',
        baseSize: 1,
        headSize: 2,
        delta: 1,
        goVersion: null,
        modules: [{ path: text, kind: 'added', base: null, head: { version: text }, baseBytes: 0, headBytes: 1, delta: 1 }],
        settings: [{ key: '-tags', base: null, head: text }],
        buckets: []
      }
      const markdown = moduleGrowthSection([diff]).join('\n')
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
