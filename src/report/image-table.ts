/**
 * Many images in one table: one row per image and platform, read from reports other jobs wrote, with
 * its size on the budget's metric, the change against its baseline, the budget used and the verdict.
 * Failures come first, then warnings, then the largest changes. Every name is image text.
 */
import { failureReasons } from './checks.js'
import { escapeText, sizeCell, tableRow } from './markdown.js'
import type { Report } from './report.js'
import { formatBytes, formatDelta, formatPercent, formatShare, type SizeMetric } from '../size.js'

/** One image on one platform, and the report file it was read from (relative to the workspace). */
export interface ReportEntry {
  file: string
  report: Report
}

/** What people call the image: its comment key or Dockerfile and target, else the file it came from. */
export function entryName(entry: ReportEntry): string {
  return entry.report.origin?.title || entry.file
}

/** The metric the image's budgets were set on; uncompressed when none was. */
export function metricOf(report: Report): SizeMetric {
  return report.budget?.metric ?? report.softBudget?.metric ?? report.growth?.metric ?? 'uncompressed'
}

/** Head minus baseline on the image's metric; null without a baseline that knows it. */
export function changeOf(report: Report): number | null {
  const delta = report.delta
  if (!delta) return null
  return metricOf(report) === 'compressed' ? delta.compressedSize : delta.size
}

/** The change as a share of the baseline, on the image's metric; null when it has none. */
export function changePercentOf(report: Report): number | null {
  const change = changeOf(report)
  const base = metricOf(report) === 'compressed' ? report.baseline?.compressedSize : report.baseline?.size
  return change === null || !base ? null : (change / base) * 100
}

const warned = (report: Report) => report.findings.some((finding) => finding.severity === 'warning' && finding.rule === 'size-warning')

/** Failures first, then warnings, then the largest changes either way, then by name: what a reviewer reads first. */
export function sortEntries(entries: readonly ReportEntry[]): ReportEntry[] {
  const rank = (report: Report) => (!report.passed ? 0 : warned(report) ? 1 : 2)
  return [...entries].sort(
    (a, b) =>
      rank(a.report) - rank(b.report) ||
      Math.abs(changeOf(b.report) ?? 0) - Math.abs(changeOf(a.report) ?? 0) ||
      entryName(a).localeCompare(entryName(b)) ||
      a.report.image.platform.localeCompare(b.report.image.platform)
  )
}

/** The icon and words of an image's verdict, for a row and a folded section's title. */
export function verdictCell(report: Report): string {
  if (!report.passed) return `❌ ${escapeText(failureReasons(report).join(' and ')) || 'failed'}`
  return warned(report) ? '⚠️ over warn-size' : '✅ passed'
}

/** The top table: a row per entry, in the order given, and a total row. */
export function imageTable(entries: readonly ReportEntry[]): string[] {
  const rows = entries.map(({ file, report }) =>
    tableRow([
      escapeText(entryName({ file, report })),
      escapeText(report.image.platform),
      sizeText(report),
      changeText(report),
      budgetCell(report),
      verdictCell(report)
    ])
  )
  return ['| Image | Platform | Size | Change | Budget | Verdict |', '| --- | --- | ---: | ---: | ---: | --- |', ...rows, totalRow(entries)]
}

/** The size on the image's metric; compressed ones say so. */
function sizeText(report: Report): string {
  const { size, compressedSize, compressedExact } = report.image
  return metricOf(report) === 'compressed' ? `${sizeCell(compressedSize, compressedExact)} compressed` : formatBytes(size)
}

function changeText(report: Report): string {
  const change = changeOf(report)
  if (change === null) return report.baseline ? '–' : 'no baseline'
  const percent = changePercentOf(report)
  return percent === null ? formatDelta(change) : `${formatDelta(change)} (${formatPercent(percent, 100)})`
}

/** How much of max-size the image uses; warn-size when only that is set. */
function budgetCell(report: Report): string {
  const budget = report.budget ?? report.softBudget
  if (!budget) return '–'
  const share = budget.limit > 0 ? ` (${formatShare((budget.actual / budget.limit) * 100)})` : ''
  return `${formatBytes(budget.limit)}${report.budget ? '' : ' warn'}${share}`
}

/** Sizes summed per metric; the change summed where every image knows its own. */
function totalRow(entries: readonly ReportEntry[]): string {
  const sum = (metric: SizeMetric) =>
    entries
      .filter(({ report }) => metricOf(report) === metric)
      .reduce((total, { report }) => total + (metric === 'compressed' ? (report.image.compressedSize ?? 0) : report.image.size), 0)
  const sizes = (['uncompressed', 'compressed'] as const)
    .filter((metric) => entries.some(({ report }) => metricOf(report) === metric))
    .map((metric) => `${formatBytes(sum(metric))}${metric === 'compressed' ? ' compressed' : ''}`)
  const changes = entries.map(({ report }) => changeOf(report))
  const known = changes.filter((change): change is number => change !== null)
  const change =
    known.length === 0
      ? '–'
      : `${formatDelta(known.reduce((a, b) => a + b, 0))}${known.length < changes.length ? ` (${known.length} of ${changes.length})` : ''}`
  const failed = entries.filter(({ report }) => !report.passed).length
  const verdict = failed === 0 ? `✅ all ${entries.length} passed` : `❌ ${failed} of ${entries.length} failed`
  return tableRow(['**Total**', '', sizes.join(' + ') || '–', change, '', verdict])
}
