import { describe, expect, it } from '@jest/globals'
import { verdictLine } from '../../../src/report/checks.js'
import { commentBody } from '../../../src/github/pull-request.js'
import { deltaOf } from '../../../src/report/delta.js'
import type { Baseline, Report, ReportLayer } from '../../../src/report/report.js'
import { renderSummary } from '../../../src/report/summary.js'
import { makeReport } from '../../support/report-builder.js'
import { DEFAULT_RULE_PAGES as RULE_PAGES } from '../../../src/report/rule-page.js'

const layer = (diffId: string, size: number, instruction: string | null, line: number | null): ReportLayer => ({
  diffId,
  size,
  compressedSize: size / 2,
  compressedExact: false,
  files: 1,
  createdBy: instruction,
  instruction,
  dockerfileLine: line
})

const alpine = layer('sha256:alpine', 7_300_000, 'ADD file:5b3ae5cd in /', null)
const app = layer('sha256:app', 2_000_000, 'COPY app /app', 2)
const oldApp = layer('sha256:old-app', 1_000_000, 'COPY app /app', 2)

/** A head of alpine and the app, against a baseline whose app layer was half as large. */
function pullRequestReport(platform = 'linux/amd64'): Report {
  const baseline: Baseline = {
    source: 'build',
    ref: 'abcdef0123456789',
    size: 8_300_000,
    compressedSize: 4_150_000,
    compressedExact: false,
    layers: [alpine, oldApp],
    paths: []
  }
  const image = { platform, size: 9_300_000, compressedSize: 4_650_000, layers: [alpine, app] }
  return makeReport(image, { baseline, delta: deltaOf(image, baseline) })
}

const CHART = '```mermaid\nxychart-beta\n    line [8.3, 9.3]\n```'
const count = (text: string, part: string) => text.split(part).length - 1

describe('renderSummary', () => {
  it('says everything once with a baseline: the verdict, the layer table and the trend are not repeated', () => {
    const report = pullRequestReport()
    const summary = renderSummary([report], RULE_PAGES, [CHART])
    expect(count(summary, verdictLine(report))).toBe(1)
    expect(count(summary, '| Layer | Size | Compressed | Instruction |')).toBe(1)
    expect(count(summary, CHART)).toBe(1)
    expect(count(summary, '**Budget:**')).toBe(report.budget ? 1 : 0)
    expect(count(summary, '**Go toolchain:**')).toBe(1)
    // What only the comparison shows is there, under its own heading, after the trend.
    expect(summary.indexOf('#### Size trend')).toBeLessThan(summary.indexOf('#### Against the baseline'))
    expect(summary).toContain('| Uncompressed | 8.30 MB → 9.30 MB | +1.00 MB | +12.0% |')
    expect(summary).not.toContain('**Growth:**')
    expect(summary).toContain('| 🔺 grown | Dockerfile | 2 | 2.00 MB | +1.00 MB | <code>COPY app /app</code> (line 2) |')
    // The comment still has its own verdict and trend: the summary does not embed it.
    const comment = commentBody([report], { key: 'k', title: 'Dockerfile' }, RULE_PAGES, [CHART])
    expect(count(comment, verdictLine(report))).toBe(1)
    expect(summary).not.toContain(comment)
  })

  it('says each platform once too, its trend and comparison under it', () => {
    const reports = [pullRequestReport('linux/amd64'), pullRequestReport('linux/arm64')]
    const summary = renderSummary(reports, RULE_PAGES, [CHART, ''])
    expect(count(summary, `##### ✅ ${verdictLine(reports[0] as Report)}`)).toBe(2)
    expect(count(summary, CHART)).toBe(1)
    expect(count(summary, '##### Against the baseline')).toBe(2)
    expect(summary.indexOf('##### Size trend')).toBeLessThan(summary.indexOf('#### linux/arm64'))
  })

  it('renders an overview row per platform, then each platform', () => {
    const failing = makeReport(
      { platform: 'linux/arm64', size: 8_000_000, compressedSize: 3_500_000 },
      {
        budget: { metric: 'uncompressed', limit: 1, actual: 8_000_000, passed: false },
        findings: [{ rule: 'size-budget', severity: 'error', message: 'over' }],
        passed: false
      }
    )
    const markdown = renderSummary(
      [makeReport({ platform: 'linux/amd64', size: 9_000_000, compressedSize: 3_000_000 }), failing],
      RULE_PAGES
    )
    expect(markdown.split('\n').slice(0, 6)).toEqual([
      '### ❌ image-size-gate failed on 1 of 2 platforms',
      '',
      '| Platform | Size | Compressed | Verdict |',
      '| --- | ---: | ---: | --- |',
      '| linux/amd64 | 9.00 MB | ~3.00 MB | ✅ passed |',
      '| linux/arm64 | 8.00 MB | ~3.50 MB | ❌ the image is over the size budget (8.00 MB uncompressed, 3.50 MB compressed (est.)) |'
    ])
    expect(markdown).toContain('#### linux/arm64')
  })
})
