/**
 * One comment for many images (the `reports` input): a headline, the top table, the reports that could
 * not be read, then one folded section per image with what its own comment shows. Fitted to GitHub's
 * limit: the folded sections shrink first, the largest first, then whole sections go from the end; the
 * top table always stays, and what was left out is said. A section keeps its charts: they are what it is opened for.
 */
import { fitToLength, fixed, minimumLength, renderBlocks, type Block } from './blocks.js'
import { commentBlocks } from './comment.js'
import { compare } from './delta.js'
import { changeOf, entryName, imageTable, sortEntries, verdictCell, type ReportEntry } from './image-table.js'
import { escapeText } from './markdown.js'
import type { RulePages } from './rule-page.js'
import { counted, listOf } from '../findings/finding.js'
import { formatDelta } from '../size.js'

/** The room the comment has, and the sentences saying which reports could not be used. */
export interface CombinedLayout {
  maxLength: number
  problems: readonly string[]
  /** Where each finding's rule links to. */
  rulePages: RulePages
}

/** One image's folded section: its wrapper, and its comment's blocks made afresh for each try at a length. */
interface Section {
  name: string
  open: string
  close: string
  blocks: () => Block[]
  natural: number
  minimum: number
}

const CLOSE = '\n\n</details>'
/** Images named in the note about left-out sections; the rest are counted. */
const NAMED_OMISSIONS = 10

export function renderCombinedComment(entries: readonly ReportEntry[], layout: CombinedLayout): string {
  const sorted = sortEntries(entries)
  const head = combinedHead(sorted, layout.problems).join('\n')
  const sections = sorted.map((entry) => sectionOf(entry, layout.rulePages))
  const room = layout.maxLength - head.length - 2
  if (room <= 0) return fitToLength([fixed(head)], layout.maxLength)
  return [head, ...fitSections(sections, room)].join('\n\n')
}

/** The headline, the table, and what could not be read: the part that always stays. */
export function combinedHead(sorted: readonly ReportEntry[], problems: readonly string[]): string[] {
  const failed = sorted.filter((entry) => !entry.report.passed).length
  const images = counted(sorted.length, 'image')
  const headline =
    failed === 0 && problems.length === 0
      ? `### ✅ image-size-gate: ${sorted.length === 1 ? 'the image' : `all ${images}`} passed`
      : `### ❌ image-size-gate: ${failed} of ${images} failed${problems.length > 0 ? `, ${counted(problems.length, 'report')} not usable` : ''}`
  const unusable =
    problems.length === 0 ? [] : ['', '**Not usable (this fails the step):**', '', ...problems.map((problem) => `- ${escapeText(problem)}`)]
  return [headline, '', ...imageTable(sorted), ...unusable]
}

function sectionOf(entry: ReportEntry, rulePages: RulePages): Section {
  const { report } = entry
  const change = changeOf(report)
  const title = [escapeText(entryName(entry)), escapeText(report.image.platform), ...(change === null ? [] : [formatDelta(change)])].join(
    ' · '
  )
  const blocks = () => commentBlocks(report, report.baseline ? compare(report, report.baseline) : null, { keepCharts: true, rulePages })
  const first = blocks()
  const open = `<details><summary>${verdictCell(report).split(' ')[0] ?? ''} ${title}</summary>\n\n`
  return {
    name: `${entryName(entry)} (${report.image.platform})`,
    open,
    close: CLOSE,
    blocks,
    natural: renderBlocks(first).length,
    minimum: minimumLength(first)
  }
}

/** As many sections as fit (from the first), each given an equal cap on its length beyond its minimum, largest cut first. */
function fitSections(sections: readonly Section[], room: number): string[] {
  for (let kept = sections.length; kept >= 0; kept--) {
    const chosen = sections.slice(0, kept)
    const note = omittedNote(sections.slice(kept))
    const wrappers = chosen.reduce((sum, section) => sum + section.open.length + section.close.length + 2, 0)
    const available = room - wrappers - (note ? note.length + 2 : 0)
    if (chosen.reduce((sum, section) => sum + section.minimum, 0) > available) continue
    const cap = largestCap(chosen, available)
    const rendered = chosen.map(
      (section) => `${section.open}${fitToLength(section.blocks(), lengthAt(section, cap), true)}${section.close}`
    )
    return note ? [...rendered, note] : rendered
  }
  return []
}

/** A section's length under the cap: never below what it cannot lose, never above what it needs. */
function lengthAt(section: Section, cap: number): number {
  return Math.max(section.minimum, Math.min(section.natural, cap))
}

/** The largest cap at which the sections together fit `available`: water-filling, so the longest give way first. */
function largestCap(sections: readonly Section[], available: number): number {
  let [low, high] = [0, Math.max(0, ...sections.map((section) => section.natural))]
  const total = (cap: number) => sections.reduce((sum, section) => sum + lengthAt(section, cap), 0)
  while (low < high) {
    const middle = Math.ceil((low + high) / 2)
    if (total(middle) <= available) low = middle
    else high = middle - 1
  }
  return low
}

function omittedNote(left: readonly Section[]): string {
  if (left.length === 0) return ''
  const named = left.slice(0, NAMED_OMISSIONS).map((section) => escapeText(section.name))
  const more = left.length > NAMED_OMISSIONS ? [`${left.length - NAMED_OMISSIONS} more`] : []
  return `_The details of ${counted(left.length, 'image')} are left out to fit the comment (${listOf([...named, ...more])}); see the job summary._`
}
