/**
 * The job summary of many images (the `reports` input): the comment's headline and table, then each
 * image's own summary, folded. It is where the comment points for what did not fit, so it keeps every
 * section it can within GitHub's limit on a step's summary.
 */
import { combinedHead } from './combined-comment.js'
import { entryName, sortEntries, verdictCell, type ReportEntry } from './image-table.js'
import { escapeText } from './markdown.js'
import { renderSummary } from './summary.js'
import type { RulePages } from './rule-page.js'
import { counted } from '../findings/finding.js'

/** GitHub refuses a step summary over 1 MiB; this leaves room for the note. */
export const SUMMARY_LIMIT = 1_000_000

export function renderCombinedSummary(
  entries: readonly ReportEntry[],
  problems: readonly string[],
  rulePages: RulePages,
  limit = SUMMARY_LIMIT
): string {
  const sorted = sortEntries(entries)
  const parts = [combinedHead(sorted, problems).join('\n')]
  let length = parts[0]?.length ?? 0
  for (const [index, entry] of sorted.entries()) {
    const summary = `<details><summary>${verdictCell(entry.report).split(' ')[0] ?? ''} ${escapeText(entryName(entry))} · ${escapeText(entry.report.image.platform)}</summary>\n\n${renderSummary([entry.report], rulePages)}\n\n</details>`
    if (length + summary.length + 200 > limit) {
      parts.push(
        `_${counted(sorted.length - index, 'more image')} not shown: the summary is at GitHub's limit; the combined report file has every one._`
      )
      break
    }
    parts.push(summary)
    length += summary.length + 2
  }
  return parts.join('\n\n')
}
