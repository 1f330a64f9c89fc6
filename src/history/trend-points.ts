import type { SizeMetric } from '../size.js'
import type { Report } from '../report/report.js'
import { trendChart, type TrendOptions, type TrendPoint } from '../report/trend.js'
import type { HistoryRecord } from './record.js'
import { recordValue } from './history-text.js'
import { latestPerCommit } from './history-file.js'

/** Per platform, its recorded builds and this run's head as a chart ('' for none), drawn on the budget's metric. */
export function trendCharts(
  records: readonly HistoryRecord[],
  reports: readonly Report[],
  headCommit: string,
  options: TrendOptions
): string[] {
  return reports.map((report) => trendChart(trendPoints(records, report, headCommit, options.metric), options))
}

/**
 * The recorded builds of the report's platform, oldest first, then this run's head as the last point
 * (on a push, the head is this run's own record); a commit built twice is one point. The chart keeps the last 30.
 */
export function trendPoints(records: readonly HistoryRecord[], report: Report, headCommit: string, metric: SizeMetric): TrendPoint[] {
  const platform = report.image.platform
  const points: TrendPoint[] = []
  for (const record of latestPerCommit(records)) {
    const value = recordValue(record, metric, platform)
    if (value !== null) points.push({ commit: record.commit, label: record.commit.slice(0, 7), value, head: false })
  }
  const head = metric === 'compressed' ? report.image.compressedSize : report.image.size
  if (head !== null) points.push({ commit: headCommit, label: headCommit.slice(0, 7) || 'head', value: head, head: true })
  return points
}
