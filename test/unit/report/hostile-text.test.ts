import { describe, expect, it } from '@jest/globals'
import { renderComment } from '../../../src/report/comment.js'
import { compare } from '../../../src/report/delta.js'
import { commentMarker } from '../../../src/github/github.js'
import type { Finding } from '../../../src/findings/finding.js'
import { commentBody } from '../../../src/github/pull-request.js'
import { renderSummary } from '../../../src/report/summary.js'
import { renderText } from '../../../src/report/text.js'
import type { Baseline, Report, ReportLayer } from '../../../src/report/report.js'
import { expectInert, RAW_CONTROL } from '../../support/inert-markdown.js'
import { makeReport } from '../../support/report-builder.js'
import { DEFAULT_RULE_PAGES as RULE_PAGES } from '../../../src/report/rule-page.js'

/** Names an image's author controls, each aimed at one way markdown could be made to obey it. */
const HOSTILE = [
  '</details><img src=x onerror=alert(1)>',
  '@octocat',
  'a\n## heading',
  'a\n- [x] approved',
  '<!-- image-size-gate: key="x" -->',
  'a`b``c',
  '`edge` ',
  'a|b\\|c',
  'x\r\t\u0000\u001b[31m\u2028\u202ered'
]

const mb = 1_000_000

function layer(index: number, instruction: string, size: number): ReportLayer {
  return {
    diffId: `sha256:${index}-${size}`,
    size,
    compressedSize: size,
    compressedExact: true,
    files: 1,
    createdBy: instruction,
    instruction,
    dockerfileLine: index + 2
  }
}

const headLayers = HOSTILE.map((name, index) => layer(index, `RUN touch '${name}'`, 2 * mb))
const baseLayers = HOSTILE.map((name, index) => layer(index, `RUN touch '${name}'`, mb))
const paths = HOSTILE.map((name, index) => ({ path: `/hostile/${name}`, size: (index + 1) * mb }))

const findings: Finding[] = HOSTILE.map((name) => ({
  rule: 'missing-library',
  severity: 'error',
  message: `/app/${name} needs shared libraries the image does not have: ${name}.so`
}))

function hostileReport(platform = `linux/${HOSTILE[0]}`): Report {
  const goToolchain = {
    found: true,
    paths: HOSTILE.slice(0, 3).map((name) => `/go/${name}`),
    goVersion: HOSTILE[1] ?? '',
    bytes: mb,
    layer: 0,
    deleted: [],
    hints: []
  }
  return makeReport(
    { platform, size: 18 * mb, compressedSize: 18 * mb, compressedExact: true, layers: headLayers, paths },
    { goToolchain, findings, passed: false }
  )
}

function withBaseline(report: Report): Report {
  const baseline: Baseline = {
    source: 'image',
    ref: `registry.example/${HOSTILE[2]}`,
    size: 9 * mb,
    compressedSize: 9 * mb,
    compressedExact: true,
    layers: baseLayers,
    paths: []
  }
  return { ...report, baseline }
}

const KEY = HOSTILE.join(' ')

/** The raw body as posted: our marker, then the comment. */
function postedComment(reports: Report[]): string {
  return `${commentMarker(KEY)}\n${commentBody(reports, { key: KEY, title: KEY }, RULE_PAGES)}`
}

describe('text from an image stays text', () => {
  it('in the job summary', () => {
    const summary = renderSummary([hostileReport()], RULE_PAGES)
    expectInert(summary)
    expect(summary.split('<!--').length).toBe(1)
    expect(summary).toContain("| <code>RUN touch '&#60;/details&#62;&#60;img src=x onerror=alert(1)&#62;'</code> (line 2) |")
  })

  it('in the summary of several platforms', () => {
    const summary = renderSummary([hostileReport(), hostileReport(`linux/${HOSTILE[2]}`)], RULE_PAGES)
    expectInert(summary)
    expect(summary.split('<!--').length).toBe(1)
  })

  it('in the pull request comment against a baseline', () => {
    const report = withBaseline(hostileReport())
    const posted = postedComment([report])
    expectInert(posted)
    expect(posted.split('<!--').length).toBe(2)
    expect(posted.startsWith('<!-- image-size-gate: key="')).toBe(true)
    // The path table did show the hostile paths, as code.
    expect(compare(report, report.baseline as Baseline).paths.length).toBeGreaterThan(5)
    expect(posted).toContain('| <code>/hostile/@octocat</code> |')
    expect(posted).toContain('| <code>/hostile/a&#92;n&#35;&#35; heading</code> |')
  })

  it('in the pull request comment without a baseline, and for several platforms', () => {
    const noted = { ...hostileReport(), baselineNote: `base did not build: ${HOSTILE.join(' ')}` }
    expectInert(postedComment([noted]))
    const posted = postedComment([withBaseline(hostileReport()), withBaseline(hostileReport(`linux/${HOSTILE[1]}`))])
    expectInert(posted)
    expect(posted.split('<!--').length).toBe(2)
  })

  it('in a comment cut to a small limit', () => {
    const report = withBaseline(hostileReport())
    for (const maxLength of [3000, 6000, 12_000]) {
      expectInert(renderComment(report, compare(report, report.baseline as Baseline), { title: KEY, maxLength, rulePages: RULE_PAGES }))
    }
  })

  it('in the terminal text: one line per name, controls shown', () => {
    const text = renderText(hostileReport(), RULE_PAGES)
    const lines = text.split('\n')
    expect(lines.filter((line) => /^(## heading|- \[x\] approved)/.test(line))).toEqual([])
    expect(lines.filter((line) => RAW_CONTROL.test(line))).toEqual([])
    expect(text).toContain('error: [missing-library] /app/a\\n## heading needs shared libraries')
    expect(text).toContain("RUN touch 'x\\r\\t\\0\\x1B[31m\\u2028\\u202Ered'")
  })
})
