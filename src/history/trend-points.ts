import type { SizeMetric } from '../size.js'
import type { Report } from '../report/report.js'
import type { TrendPoint } from '../report/trend.js'
import type { HistoryRecord } from './record.js'
import { recordValue } from './history-text.js'

/** The chart's metric for the budget's: the trend is drawn on the size the budget judges. */
export function trendMetric(metric: SizeMetric): 'size' | 'compressed-size' {
  return metric === 'compressed' ? 'compressed-size' : 'size'
}

/**
 * The recorded builds of the report's platform, oldest first, then this run's head as the last point
 * (on a push, the head is this run's own record). The chart keeps the last 30.
 */
export function trendPoints(records: readonly HistoryRecord[], report: Report, headCommit: string, metric: SizeMetric): TrendPoint[] {
  const platform = report.image.platform
  const points: TrendPoint[] = []
  for (const record of records) {
    const value = recordValue(record, metric, platform)
    if (value !== null) points.push({ commit: record.commit, label: record.commit.slice(0, 7), value, head: false })
  }
  const head = metric === 'compressed' ? report.image.compressedSize : report.image.size
  if (head !== null) points.push({ commit: headCommit, label: headCommit.slice(0, 7) || 'head', value: head, head: true })
  return points
}
