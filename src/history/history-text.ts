import type { SizeMetric } from '../size.js'
import { formatBytes } from '../size.js'
import type { HistoryRecord } from './record.js'
import { sparkline } from './sparkline.js'

/** How many records the CLI lists. */
export const LISTED_RECORDS = 10

/** The record's figure on `metric` for `platform` ('' takes the first); null when it has none. */
export function recordValue(record: HistoryRecord, metric: SizeMetric, platform: string): number | null {
  const entry = record.platforms.find((each) => !platform || each.platform === platform)
  if (!entry) return null
  return metric === 'compressed' ? entry.compressedSize : entry.size
}

/** The last records as terminal lines: a sparkline of the metric, then one line per record, newest last. */
export function historyLines(records: readonly HistoryRecord[], metric: SizeMetric, platform: string, count = LISTED_RECORDS): string[] {
  const shown = records.filter((record) => recordValue(record, metric, platform) !== null).slice(-count)
  const values = shown.map((record) => recordValue(record, metric, platform) ?? 0)
  const [first, last] = [values[0], values[values.length - 1]]
  if (first === undefined || last === undefined) return [`history: no records with a ${metric} size yet`]
  const span = shown.length === 1 ? formatBytes(last) : `${formatBytes(first)} → ${formatBytes(last)}`
  const total = `${records.length} record${records.length === 1 ? '' : 's'}`
  const lines = [`history: last ${shown.length} of ${total}, ${metric}`, `  ${sparkline(values)}  ${span}`]
  shown.forEach((record, index) => {
    const day = new Date(record.time).toISOString().slice(0, 16).replace('T', ' ')
    const size = formatBytes(values[index] ?? 0).padStart(9)
    lines.push(`  ${record.commit.slice(0, 7)}  ${day}  ${size}  ${record.passed ? 'passed' : 'failed'}`)
  })
  return lines
}
