/**
 * The pull request comment: for one image, its verdict, the size change against the baseline, the
 * checks, the trend, the layer and path diffs and the details, fitted to GitHub's length limit; for
 * several platforms, a headline and a section per platform.
 */
import { fitToLength, fixed, Rank, trimmable, type Block } from './blocks.js'
import { adviceLines, budgetText, findingBullet, growthText, toolchainText, verdictLine } from './checks.js'
import { comparedLines, headOnlyLines, layerChangeBlocks, pathBlock } from './comparison.js'
import { compare, type Comparison } from './delta.js'
import { codeSpan, escapeText, instructionCell, shortImageId, sizeCell, tableRow } from './markdown.js'
import { moduleGrowthSection, modulePies } from './goexplain.js'
import { counted, type Finding } from '../findings/finding.js'
import type { Report } from './report.js'
import type { RulePages } from './rule-page.js'
import { formatBytes } from '../size.js'

export interface CommentOptions {
  /** A human title, e.g. "examples/go-service/Dockerfile (target runtime, linux/amd64)". */
  title?: string
  /** GitHub's limit on a comment body; default 65536. */
  maxLength?: number
  /** The size trend from the history, a Mermaid block; shown after the checks. */
  trend?: string
  /** Charts never give way (a folded section of a combined comment is opened for its picture); default false. */
  keepCharts?: boolean
  /** Where each finding's rule links to. */
  rulePages: RulePages
}

/** The comment of every platform: its title, the room it has, and each platform's trend ('' for none). */
export interface CommentLayout {
  title: string
  maxLength: number
  trends: readonly string[]
  rulePages: RulePages
}

/** GitHub's limit on a comment body, in characters. */
export const COMMENT_BODY_LIMIT = 65_536
/** Room kept for the hidden marker the caller prepends. */
const MARKER_ROOM = 200
/** Real images stop near 127 layers; a diff longer than this is noise in a review, and the rest is in the report. */
const MAX_LAYER_CHANGE_ROWS = 50

/** The whole comment: one image's, or a headline and each platform's in an equal share of the room. */
export function renderCommentBody(reports: readonly Report[], layout: CommentLayout): string {
  const [only] = reports
  if (only && reports.length === 1) return imageComment(only, { ...layout, trend: layout.trends[0] })
  // Each platform gets an equal share of the limit, less room for the separators.
  const share = Math.floor(layout.maxLength / reports.length) - 100
  const failed = reports.filter((report) => !report.passed).length
  const title = escapeText(layout.title)
  const headline =
    failed === 0
      ? `**${title}**: passed on all ${reports.length} platforms`
      : `**${title}**: failed on ${failed} of ${reports.length} platforms`
  const sections = reports.map((report, index) =>
    imageComment(report, { ...layout, title: `${layout.title} · ${report.image.platform}`, maxLength: share, trend: layout.trends[index] })
  )
  return [headline, ...sections].join('\n\n---\n\n')
}

function imageComment(report: Report, options: CommentLayout & { trend: string | undefined }): string {
  const comparison = report.baseline ? compare(report, report.baseline) : null
  const { title, maxLength, trend, rulePages } = options
  return renderComment(report, comparison, { title, maxLength, rulePages, ...(trend ? { trend } : {}) })
}

/** The comment for one image: verdict, size change, checks, layer and path diffs, details. */
export function renderComment(report: Report, comparison: Comparison | null, options: CommentOptions): string {
  return fitToLength(commentBlocks(report, comparison, options), (options.maxLength ?? COMMENT_BODY_LIMIT) - MARKER_ROOM)
}

/** The blocks of one image's comment, not yet fitted to a length. */
export function commentBlocks(report: Report, comparison: Comparison | null, options: Omit<CommentOptions, 'maxLength'>): Block[] {
  const baseline = comparison ? report.baseline : null
  const blocks = [
    fixed(`### ${report.passed ? '✅' : '❌'} ${verdictLine(report)}`, '', subtitle(report, options.title)),
    fixed(...(baseline && comparison ? comparedLines(report, baseline, comparison) : headOnlyLines(report))),
    fixed(...checkLines(report, options.rulePages))
  ]
  if (options.trend) blocks.push(fixed('**Size trend**', '', options.trend))
  if (baseline && comparison) blocks.push(...layerChangeBlocks(comparison, MAX_LAYER_CHANGE_ROWS), pathBlock(comparison, baseline))
  blocks.push(...goBlocks(report, options.keepCharts ?? false), ...detailBlocks(report, options.rulePages))
  return blocks
}

function subtitle(report: Report, title: string | undefined): string {
  const facts = `${codeSpan(shortImageId(report.image.id))} · ${escapeText(report.image.platform)} · ${counted(report.image.layers.length, 'layer')}`
  return title ? `**${escapeText(title)}** · image ${facts}` : `Image ${facts}`
}

/** Rules that have a line of their own above; the rest are listed under the checks. */
const HEADLINE_RULES = new Set<Finding['rule']>(['size-budget', 'size-growth', 'go-toolchain'])

function checkLines(report: Report, pages: RulePages): string[] {
  const [budget, growth] = [budgetText(report), growthText(report)]
  // A check that is not set is not mentioned.
  const lines = [
    ...(budget ? [`**Budget:** ${budget}`, ''] : []),
    ...(growth ? [`**Growth:** ${growth}`, ''] : []),
    `**Go toolchain:** ${toolchainText(report, escapeText)}`
  ]
  // Errors and warnings are what a reviewer must act on; notices stay in the folded findings.
  const urgent = report.findings.filter((finding) => !HEADLINE_RULES.has(finding.rule) && finding.severity !== 'notice')
  if (urgent.length > 0) lines.push('', ...urgent.map((finding) => findingBullet(finding, pages)))
  return [...lines, ...adviceLines(report)]
}

/** "Why `/app` grew" from the module diff, and the head's Go binaries by module, folded. */
function goBlocks(report: Report, keepCharts: boolean): Block[] {
  const growth = moduleGrowthSection(report.delta?.binaries ?? [])
  const pies = modulePies(report.binaries)
  const blocks: Block[] = []
  if (growth.length > 0) {
    blocks.push(
      trimmable(Rank.growth, {
        open: [],
        rows: growth,
        close: [],
        omitted: ['_The Go module diff is left out to fit the comment; see the JSON report._']
      })
    )
  }
  if (pies.length > 0 && keepCharts) blocks.push(fixed('<details><summary>Go binaries by module</summary>', '', ...pies, '', '</details>'))
  else if (pies.length > 0) {
    blocks.push(
      trimmable(Rank.pies, {
        open: ['<details><summary>Go binaries by module</summary>', ''],
        rows: pies,
        close: ['', '</details>'],
        omitted: []
      })
    )
  }
  return blocks
}

function detailBlocks(report: Report, pages: RulePages): Block[] {
  const layers = report.image.layers
  const blocks = [
    trimmable(Rank.detailLayers, {
      open: [
        `<details><summary>${layers.length === 1 ? 'The layer' : `All ${layers.length} layers`} of the head image</summary>`,
        '',
        '| Layer | Size | Compressed | Instruction |',
        '| ---: | ---: | ---: | --- |'
      ],
      rows: layers.map((layer, index) =>
        tableRow([`${index + 1}`, formatBytes(layer.size), sizeCell(layer.compressedSize, layer.compressedExact), instructionCell(layer)])
      ),
      close: ['', '</details>'],
      hidden: (count) => `… ${count} more layer${count === 1 ? '' : 's'} not shown; see the job summary`,
      omitted: ["_The head image's layer table is left out to fit the comment; see the job summary._"]
    })
  ]
  if (report.findings.length === 0) return blocks
  const findings = trimmable(Rank.detailFindings, {
    open: [`<details><summary>Findings (${report.findings.length})</summary>`, ''],
    // A bullet is one line, so the trimming never splits a finding.
    rows: report.findings.map((finding) => findingBullet(finding, pages)),
    close: ['', '</details>'],
    hidden: (count) => `… ${count} more finding${count === 1 ? '' : 's'} not shown; see the job summary`,
    omitted: ['_The findings are left out to fit the comment; see the job summary._']
  })
  return [...blocks, findings]
}
