/**
 * The job summary: each image's verdict, its largest layers, checks and findings, then its size trend
 * and what changed against the baseline. Everything is said once: the comment's own copies of the
 * verdict, the layer table and the trend are not repeated here.
 */
import { fixed, renderBlocks } from './blocks.js'
import { adviceLines, budgetText, findingBullet, growthText, reuseNotes, toolchainText, verdictLine } from './checks.js'
import { comparedLines, layerChangeBlocks, pathBlock } from './comparison.js'
import { compare } from './delta.js'
import { moduleGrowthSection, modulePies } from './goexplain.js'
import { codeSpan, escapeText, instructionCell, shortImageId, sizeCell, tableRow } from './markdown.js'
import type { Baseline, Report, ReportLayer } from './report.js'
import type { RulePages } from './rule-page.js'
import { counted, type Finding } from '../findings/finding.js'
import { formatBytes } from '../size.js'

/** At most this many layers get a row; the rest, and any below SMALL_SHARE of the image, fold into one. */
const MAX_LAYER_ROWS = 10
const SMALL_SHARE = 0.005

/** Heading levels: of an image's verdict, and of its trend and comparison. */
interface Headings {
  image: string
  section: string
}

const ONE_PLATFORM: Headings = { image: '###', section: '####' }
const UNDER_PLATFORM: Headings = { image: '#####', section: '#####' }

/** The job summary of one platform or several; `trends` holds each platform's size trend chart ('' for none). */
export function renderSummary(reports: readonly Report[], rulePages: RulePages, trends: readonly string[] = []): string {
  const [only] = reports
  if (only && reports.length === 1) return platformSummary(only, trends[0] ?? '', ONE_PLATFORM, rulePages)
  const failed = reports.filter((report) => !report.passed)
  const headline =
    failed.length === 0
      ? `### ✅ image-size-gate passed on all ${reports.length} platforms`
      : `### ❌ image-size-gate failed on ${failed.length} of ${reports.length} platforms`
  const rows = reports.map((report) => {
    const compressed = sizeCell(report.image.compressedSize, report.image.compressedExact)
    const verdict = report.passed ? '✅ passed' : `❌ ${verdictLine(report).replace(/^image-size-gate failed: /, '')}`
    return tableRow([escapeText(report.image.platform), formatBytes(report.image.size), compressed, verdict])
  })
  const sections = reports.map(
    (report, index) => `#### ${escapeText(report.image.platform)}

${platformSummary(report, trends[index] ?? '', UNDER_PLATFORM, rulePages)}`
  )
  const overview = [headline, '', '| Platform | Size | Compressed | Verdict |', '| --- | ---: | ---: | --- |', ...rows].join('\n')
  return [overview, ...sections].join('\n\n')
}

function platformSummary(report: Report, trend: string, headings: Headings, rulePages: RulePages): string {
  const sections = [imageSummary(report, headings.image, rulePages)]
  if (trend) sections.push(`${headings.section} Size trend\n\n${trend}`)
  if (report.baseline) sections.push(`${headings.section} Against the baseline\n\n${comparisonMarkdown(report, report.baseline)}`)
  return sections.join('\n\n')
}

/** The head image: verdict, layers largest first, budget and toolchain lines, its Go binaries, findings. */
function imageSummary(report: Report, heading: string, rulePages: RulePages): string {
  const pies = modulePies(report.binaries)
  return [
    `${heading} ${report.passed ? '✅' : '❌'} ${verdictLine(report)}`,
    '',
    `Image ${codeSpan(shortImageId(report.image.id))} · ${escapeText(report.image.platform)} · ${counted(report.image.layers.length, 'layer')}`,
    '',
    ...layerTable(report.image.layers),
    ...reuseNotes(report.image.layers).map((note) => `\n_${escapeText(note)}_`),
    ...optionalLine('Budget', budgetText(report)),
    '',
    `**Go toolchain:** ${toolchainText(report, escapeText)}`,
    ...adviceLines(report),
    // GitHub draws Mermaid in job summaries as in comments.
    ...(pies.length > 0 ? ['', '**Go binaries by module**', '', pies.join('\n\n')] : []),
    ...findingList(report.findings, rulePages)
  ].join('\n')
}

/** Against the baseline: the size change and the growth check, the layers and paths that changed, why Go binaries grew. */
function comparisonMarkdown(report: Report, baseline: Baseline): string {
  const comparison = compare(report, baseline)
  const growth = moduleGrowthSection(report.delta?.binaries ?? [])
  return renderBlocks([
    fixed(...comparedLines(report, baseline, comparison)),
    fixed(...optionalLine('Growth', growthText(report)).slice(1)),
    // The summary has room for every changed layer; a real image stops near 127.
    ...layerChangeBlocks(comparison, Number.POSITIVE_INFINITY),
    pathBlock(comparison, baseline),
    ...(growth.length > 0 ? [fixed(...growth)] : [])
  ])
}

function layerTable(layers: ReportLayer[]): string[] {
  const total = layers.reduce((sum, layer) => sum + layer.size, 0)
  const ranked = layers.map((layer, index) => ({ layer, index })).sort((a, b) => b.layer.size - a.layer.size)
  const shown = ranked.filter((row, rank) => rank < MAX_LAYER_ROWS && (rank === 0 || row.layer.size >= total * SMALL_SHARE))
  const folded = ranked.slice(shown.length)
  const rows = shown.map(({ layer, index }) =>
    tableRow([`${index + 1}`, formatBytes(layer.size), sizeCell(layer.compressedSize, layer.compressedExact), instructionCell(layer, 100)])
  )
  if (folded.length > 0) {
    const size = folded.reduce((sum, row) => sum + row.layer.size, 0)
    const compressed = folded.reduce((sum, row) => sum + (row.layer.compressedSize ?? 0), 0)
    const estimated = folded.some((row) => !row.layer.compressedExact) ? '~' : ''
    const label = `${folded.length} smaller layer${folded.length === 1 ? '' : 's'}`
    rows.push(`| … | ${formatBytes(size)} | ${estimated}${formatBytes(compressed)} | ${label} |`)
  }
  return ['| Layer | Size | Compressed | Instruction |', '| ---: | ---: | ---: | --- |', ...rows]
}

/** A check's line after a blank one, or nothing when the check is not set. */
function optionalLine(label: string, text: string | null): string[] {
  return text === null ? [] : ['', `**${label}:** ${text}`]
}

function findingList(findings: Finding[], rulePages: RulePages): string[] {
  if (findings.length === 0) return []
  return ['', '**Findings**', '', ...findings.map((finding) => findingBullet(finding, rulePages))]
}
