import { describe, expect, it } from '@jest/globals'
import { trendPoints } from '../../../src/history/trend-points.js'
import { HISTORY_SCHEMA, type HistoryRecord } from '../../../src/history/record.js'
import { commentBody } from '../../../src/github/pull-request.js'
import { trendChart } from '../../../src/report/trend.js'
import { makeReport } from '../../support/report-builder.js'
import { DEFAULT_RULE_PAGES as RULE_PAGES } from '../../../src/report/rule-page.js'

const sha = (n: number) => n.toString(16).padStart(40, '0')
const record = (n: number, platform = 'linux/amd64'): HistoryRecord => ({
  schema: HISTORY_SCHEMA,
  key: 'k',
  commit: sha(n),
  parent: null,
  time: '2026-01-01T00:00:00Z',
  runUrl: null,
  passed: true,
  platforms: [
    {
      platform,
      size: 1_000_000 * n,
      compressedSize: n === 3 ? null : 500_000 * n,
      compressedExact: true,
      layers: [],
      goModules: [],
      paths: null,
      passed: true
    }
  ]
})

describe('the trend of a run', () => {
  const records = [1, 2, 3, 4, 5].map((n) => record(n))
  const head = makeReport({ size: 6_000_000, compressedSize: 3_000_000 })

  it('draws the five recorded builds and this pull request head as the sixth point, on the budget metric', () => {
    const points = trendPoints([...records, record(9, 'linux/arm64')], head, sha(6), 'uncompressed')
    expect(points.map((point) => [point.label, point.value, point.head])).toEqual([
      ['0000000', 1e6, false],
      ['0000000', 2e6, false],
      ['0000000', 3e6, false],
      ['0000000', 4e6, false],
      ['0000000', 5e6, false],
      ['0000000', 6e6, true]
    ])
    const chart = trendChart(points, { metric: 'uncompressed', budget: 8_000_000 })
    expect(chart).toContain('line [1, 2, 3, 4, 5, 6]')
    expect(chart).toContain('line [8, 8, 8, 8, 8, 8]')
    // Records without a compressed size are left out on that metric.
    expect(trendPoints(records, head, sha(6), 'compressed').map((point) => point.value)).toEqual([5e5, 1e6, 2e6, 2.5e6, 3e6])
  })

  it('puts the chart in the comment after the checks', () => {
    const chart = trendChart(trendPoints(records, head, sha(6), 'uncompressed'), { metric: 'uncompressed', budget: null })
    const body = commentBody([head], { key: 'k', title: 'Dockerfile' }, RULE_PAGES, [chart])
    expect(body).toContain(`**Size trend**\n\n${chart}`)
    expect(body.indexOf('**Size trend**')).toBeGreaterThan(body.indexOf('Budget'))
    expect(commentBody([head], { key: 'k', title: 'Dockerfile' }, RULE_PAGES)).not.toContain('Size trend')
  })
})

describe('a commit built twice on main (a re-run)', () => {
  // Commits that differ in their first seven digits, as real ones do.
  const at = (n: number, size = 1_000_000 * n): HistoryRecord => ({
    ...record(n),
    commit: String(n).repeat(40),
    platforms: [{ ...record(n).platforms[0]!, size }]
  })

  it('is one point, with its latest record', () => {
    const head = makeReport({ size: 6_000_000 })
    const points = trendPoints([at(1), at(2), at(3), at(2, 2_500_000)], head, '6'.repeat(40), 'uncompressed')
    expect(points.map((point) => [point.label, point.value])).toEqual([
      ['1111111', 1e6],
      ['3333333', 3e6],
      ['2222222', 2.5e6],
      ['6666666', 6e6]
    ])
    expect(trendChart(points, { metric: 'uncompressed', budget: null })).not.toContain('2222222-2')
  })
})
