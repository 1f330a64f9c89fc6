import { describe, expect, it } from '@jest/globals'
import { commentMarker } from '../../../src/github/github.js'
import { combinedCommentBody } from '../../../src/github/pull-request.js'
import { COMMENT_BODY_LIMIT } from '../../../src/report/comment.js'
import { renderCombinedSummary } from '../../../src/report/combined-summary.js'
import { DEFAULT_RULE_PAGES as RULE_PAGES } from '../../../src/report/rule-page.js'
import type { ReportEntry } from '../../../src/report/image-table.js'
import { parseReportFile } from '../../../src/report/report-schema.js'
import { expectInert } from '../../support/inert-markdown.js'
import { imageReport, imageReports } from '../../support/report-set.js'

const mb = 1_000_000
const KEY = 'image-size-gate'
const entries = (count: number, failEvery = 0): ReportEntry[] =>
  imageReports(count, failEvery).map((report, index) => ({ file: `reports/${index}.json`, report }))
const posted = (body: string) => `${commentMarker(KEY)}\n${body}`
/** The top table's rows, after its header. */
function tableRows(body: string): string[] {
  const lines = body.split('\n')
  const start = lines.indexOf('| Image | Platform | Size | Change | Budget | Verdict |') + 2
  const end = lines.findIndex((line, index) => index >= start && !line.startsWith('|'))
  return lines.slice(start, end === -1 ? undefined : end)
}
/** Charts are checked where they are drawn (a browser); their labels keep only safe characters. */
const withoutCharts = (text: string) => text.replace(/```mermaid\n[\s\S]*?\n```/g, '')

describe('one comment for many images', () => {
  it('is built from reports that pass the one schema', () => {
    for (const { report } of entries(3)) expect(parseReportFile(JSON.parse(JSON.stringify(report)))).toEqual(report)
  })

  it('has a row per image and platform, failures first, then the largest changes, and a total', () => {
    const four = [
      imageReport({ title: 'api', size: 10 * mb, base: 9.9 * mb }),
      imageReport({ title: 'worker', platform: 'linux/amd64', size: 30 * mb, base: 25 * mb }),
      imageReport({ title: 'worker', platform: 'linux/arm64', size: 31 * mb, base: 30 * mb, maxSize: 30.5 * mb }),
      imageReport({ title: 'cli', size: 5 * mb, base: 7 * mb })
    ].map((report, index) => ({ file: `r${index}.json`, report }))
    const body = combinedCommentBody(four, [], KEY, RULE_PAGES)
    const rows = tableRows(body)
    expect(rows.map((row) => row.split(' | ').slice(0, 2).join(' | '))).toEqual([
      '| worker | linux/arm64',
      '| worker | linux/amd64',
      '| cli | linux/amd64',
      '| api | linux/amd64',
      '| **Total** | '
    ])
    expect(rows[0]).toContain('| 31.0 MB | +1.00 MB (+3.3%) | 30.5 MB (101.6%) | ❌ is over the size budget |')
    expect(rows[4]).toBe('| **Total** |  | 76.0 MB | +4.10 MB |  | ❌ 1 of 4 failed |')
    expect(body.startsWith('### ❌ image-size-gate: 1 of 4 images failed\n')).toBe(true)
    expect(body.split('<details><summary>').length - 1).toBeGreaterThanOrEqual(4)
    expectInert(withoutCharts(posted(body)))
  })

  it('names each report that could not be used, and still shows the others', () => {
    const body = combinedCommentBody(entries(2), ["reports: 'r/bad.json' is not valid JSON"], KEY, RULE_PAGES)
    expect(body).toContain("- reports: 'r/bad.json' is not valid JSON")
    expect(body.startsWith('### ❌ image-size-gate: 0 of 2 images failed, 1 report not usable')).toBe(true)
    expect(tableRows(body)).toHaveLength(3)
  })

  it.each([1, 4, 20, 100])('fits GitHub’s limit with %i images, keeping every row of the table', (count) => {
    const body = combinedCommentBody(entries(count, 7), [], KEY, RULE_PAGES)
    expect(posted(body).length).toBeLessThanOrEqual(COMMENT_BODY_LIMIT)
    expect(tableRows(body)).toHaveLength(count + 1)
    expectInert(withoutCharts(posted(body)))
  })

  it('shrinks the largest sections first, then leaves whole ones out, and says so', () => {
    const twenty = combinedCommentBody(entries(20), [], KEY, RULE_PAGES)
    const hundred = combinedCommentBody(entries(100), [], KEY, RULE_PAGES)
    expect(twenty).not.toContain('are left out to fit the comment (')
    expect(hundred).toMatch(
      /_The details of \d+ images are left out to fit the comment \(services\/service-\d{3}\/Dockerfile \(linux\/amd64\), .*; see the job summary\._/
    )
    // Every section kept is whole HTML: each <details> closed.
    expect(hundred.split('<details>').length).toBe(hundred.split('</details>').length)
  })

  it('keeps every image in the job summary', () => {
    const summary = renderCombinedSummary(entries(100), [], RULE_PAGES)
    expect(summary.split('<details><summary>').length - 1).toBe(100)
    expect(summary.length).toBeLessThan(1_000_000)
    expectInert(withoutCharts(summary))
  })
})
