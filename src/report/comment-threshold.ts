/**
 * comment-threshold: a pull request where no image moved is left without a new comment. An image counts
 * as moved when its change on its metric reaches the threshold, or when it has no baseline to say so.
 */
import { changeOf, changePercentOf } from './image-table.js'
import type { Report } from './report.js'
import { formatLimit, type Limit } from '../size.js'

/** Why no new comment is needed, when every image changed by less than `threshold`; undefined otherwise. */
export function quietReason(reports: readonly Report[], threshold: Limit | undefined): string | undefined {
  if (!threshold || reports.length === 0) return undefined
  const moved = (report: Report) => {
    const change = threshold.kind === 'bytes' ? changeOf(report) : changePercentOf(report)
    return change === null || Math.abs(change) >= threshold.value
  }
  if (reports.some(moved)) return undefined
  const every = reports.length === 1 ? 'the image' : `each of the ${reports.length} images`
  return `${every} changed by less than the comment-threshold of ${formatLimit(threshold)}`
}
