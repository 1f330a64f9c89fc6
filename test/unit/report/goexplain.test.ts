import { describe, expect, it } from '@jest/globals'
import { renderComment } from '../../../src/report/comment.js'
import { compare } from '../../../src/report/delta.js'
import type { GoAttribution } from '../../../src/binary/goattribution.js'
import { diffGoBinaries, type BinaryDiff, type GoBinary } from '../../../src/report/godiff.js'
import { growthLines, moduleGrowthSection, moduleGrowthText } from '../../../src/report/goexplain.js'
import type { BinaryFact } from '../../../src/findings/binaries.js'
import { renderSummary } from '../../../src/report/summary.js'
import { renderText } from '../../../src/report/text.js'
import type { Baseline, Report } from '../../../src/report/report.js'
import { makeReport } from '../../support/report-builder.js'
import { DEFAULT_RULE_PAGES as RULE_PAGES } from '../../../src/report/rule-page.js'

const attribution = (
  modules: GoAttribution['modules'],
  settings: Record<string, string>,
  buckets: GoAttribution['buckets']
): GoAttribution => ({
  goVersion: modules.find((m) => m.path === 'std')?.version ?? 'go1.22.4',
  settings,
  modules,
  packages: [],
  buckets,
  symbolData: false,
  textBytes: 0,
  paddingBytes: 0,
  namedTextBytes: 0
})

const base: GoBinary = {
  path: '/app',
  size: 9_000_000,
  module: 'example.com/app',
  goAttribution: attribution(
    [
      { path: 'std', version: 'go1.22.4', bytes: 3_000_000 },
      { path: 'example.com/app', version: '(devel)', bytes: 100_000 }
    ],
    { '-ldflags': '-s -w' },
    [{ name: 'pclntab', bytes: 5_900_000 }]
  )
}
const headAttribution = attribution(
  [
    { path: 'std', version: 'go1.23.1', bytes: 3_410_000 },
    { path: 'github.com/aws/aws-sdk-go-v2/service/s3', version: 'v1.58.0', bytes: 2_700_000 },
    { path: 'example.com/app', version: '(devel)', bytes: 100_000 }
  ],
  {},
  [
    { name: 'pclntab', bytes: 5_990_000 },
    { name: 'DWARF', bytes: 1_500_000 },
    { name: 'symbol tables', bytes: 500_000 }
  ]
)

function fact(path: string, goAttribution: GoAttribution): BinaryFact {
  return {
    path,
    size: 14_200_000,
    static: true,
    interpreter: null,
    needed: [],
    stripped: false,
    strippableBytes: 2_000_000,
    goVersion: 'go1.23.1',
    module: 'example.com/app',
    cgo: false,
    trimpath: false,
    vcsRevision: null,
    uses: { tls: true, tzdata: false, user: false },
    goAttribution
  }
}

function pullRequest(path: string, maxLength?: number): { report: Report; comment: string } {
  const head = fact(path, headAttribution)
  const baseline: Baseline = {
    source: 'build',
    ref: 'abc',
    size: 9_000_000,
    compressedSize: null,
    compressedExact: false,
    layers: [],
    paths: [],
    binaries: [{ ...base, path }]
  }
  const report = makeReport(
    { size: 14_200_000 },
    {
      binaries: [head],
      baseline,
      delta: { size: 5_200_000, compressedSize: null, binaries: diffGoBinaries([head], baseline.binaries ?? []) }
    }
  )
  return {
    report,
    comment: renderComment(report, compare(report, baseline), { rulePages: RULE_PAGES, ...(maxLength ? { maxLength } : {}) })
  }
}

describe('Why /app grew, in the comment, summary and CLI', () => {
  it('lists the modules by |Δ| with versions, then the build settings with their cost', () => {
    const { comment } = pullRequest('/app')
    const section = comment.slice(comment.indexOf('**Why'), comment.indexOf('<details><summary>Go binaries'))
    expect(section.trim().split('\n')).toEqual([
      '**Why <code>/app</code> grew** (9.00 MB → 14.2 MB, +5.20 MB)',
      '',
      '- +2.70 MB <code>github.com/aws/aws-sdk-go-v2/service/s3</code> (new, <code>v1.58.0</code>)',
      '- +410 kB <code>std</code> (<code>go1.22.4</code> → <code>go1.23.1</code>)',
      '- ldflags: -s -w removed (+2.00 MB)',
      '- +90.0 kB outside packages (pclntab +90.0 kB)'
    ])
  })

  it('folds a Mermaid pie of the head binary by module into the details', () => {
    const { comment } = pullRequest('/app')
    expect(comment).toContain(
      [
        '<details><summary>Go binaries by module</summary>',
        '',
        '**<code>/app</code>** (14.2 MB)',
        '',
        '```mermaid',
        'pie title /app by module',
        '    "std go1.23.1" : 3410000',
        '    "github.com/aws/aws-sdk-go-v2/service/s3" : 2700000',
        '    "example.com/app" : 100000',
        '    "outside packages (pclntab, types, strings, DWARF, headers)" : 7990000',
        '```',
        '',
        '</details>'
      ].join('\n')
    )
  })

  it('drops the pie before the module diff when the comment is too long', () => {
    const { comment } = pullRequest('/app', 1500)
    expect(comment.length).toBeLessThanOrEqual(1500)
    expect(comment).toContain('**Why <code>/app</code> grew**')
    expect(comment).not.toContain('```mermaid')
  })

  it('escapes a hostile binary path everywhere it is shown', () => {
    const { comment } = pullRequest('/</details><img src=x>@octocat\n## b')
    expect(comment).toContain('**Why <code>/&#60;/details&#62;&#60;img src=x&#62;@octocat&#92;n&#35;&#35; b</code> grew**')
    expect(comment).not.toMatch(/\n## b/)
    expect(comment).toContain('pie title /_/details__img src_x_@octocat___ b by module')
  })

  it('shows the same in the job summary and the terminal', () => {
    const { report } = pullRequest('/app')
    expect(renderSummary([report], RULE_PAGES)).toContain(
      '- +2.70 MB <code>github.com/aws/aws-sdk-go-v2/service/s3</code> (new, <code>v1.58.0</code>)'
    )
    expect(renderSummary([report], RULE_PAGES)).toContain('```mermaid\npie title /app by module')
    expect(renderText(report, RULE_PAGES)).toContain(
      [
        'why /app grew (+5.20 MB):',
        '  +2.70 MB github.com/aws/aws-sdk-go-v2/service/s3 (new, v1.58.0)',
        '  +410 kB std (go1.22.4 → go1.23.1)',
        '  ldflags: -s -w removed (+2.00 MB)'
      ].join('\n')
    )
  })
})

describe('what a history record or a saved report brings back into "Why /app grew"', () => {
  const HOSTILE_NAME = '</details><img src=x onerror=alert(1)> @octocat\n```\n<!-- image-size-gate: key="other" -->'
  const hostileBase: GoBinary = {
    ...base,
    goAttribution: attribution([{ path: 'std', version: 'go1.22.4', bytes: 3_000_000 }], { [HOSTILE_NAME]: 'a', '-ldflags': '-s -w' }, [
      { name: HOSTILE_NAME, bytes: 100 }
    ])
  }
  const hostileHead = fact(
    '/app',
    attribution([{ path: 'std', version: 'go1.22.4', bytes: 3_000_000 }], { [HOSTILE_NAME]: 'b' }, [{ name: HOSTILE_NAME, bytes: 900_000 }])
  )

  it('escapes bucket names and setting keys as it escapes every image string', () => {
    const diffs = diffGoBinaries([hostileHead], [hostileBase])
    const lines = moduleGrowthSection(diffs)
    const text = lines.join('\n')
    expect(text).not.toContain('<img')
    expect(text).not.toContain('</details>')
    expect(text).not.toContain('<!--')
    expect(text).not.toContain('```')
    // GitHub links no mention inside <code>.
    expect(text.replace(/<code>.*?<\/code>/g, '')).not.toContain('@octocat')
    expect(lines.filter((line) => line.startsWith('<') || line.startsWith('`'))).toEqual([])
    expect(text).toContain('outside packages (<code>&#60;/details&#62;&#60;img src=x onerror=alert(1)&#62; @octocat&#92;n&#96;&#96;&#96;')
    expect(moduleGrowthText(diffs).join('\n')).toContain('</details><img src=x onerror=alert(1)> @octocat\\n```\\n<!--')
  })
})

describe('ldflags: what -s and -w mean', () => {
  const withLdflags = (before: string, after: string) => {
    const b = { ...base, goAttribution: attribution(base.goAttribution?.modules ?? [], { '-ldflags': before }, []) }
    const h = fact('/app', attribution(base.goAttribution?.modules ?? [], { '-ldflags': after }, [{ name: 'DWARF', bytes: 10 }]))
    return growthLines(diffGoBinaries([h], [b])[0] as BinaryDiff)
  }

  it('does not read -s inside an -X value as stripping', () => {
    const lines = withLdflags('-X main.version=1', `-X "main.msg=built with -s and -w" -X='main.note=a -w b'`)
    expect(lines.some((line) => line.startsWith('ldflags: -s'))).toBe(false)
    expect(lines.some((line) => line.includes(' added'))).toBe(false)
  })

  it('still says -s -w added when they are flags of their own', () => {
    expect(withLdflags('-X main.version=1', "-X 'main.version=1' -s -w")).toContain('ldflags: -s -w added (+10 B)')
  })
})
