import { codeSpan, escapeText, instructionCell, shortImageId, showControls, sizeCell, tableRow } from './markdown.js'
import { growthSection, growthText, modulePies } from './goexplain.js'
import type { Finding } from '../findings/finding.js'
import { truncate } from '../findings/finding.js'
import type { Report, ReportLayer } from './report.js'
import { formatBytes } from '../size.js'

/** At most this many layers get a row; the rest, and any below SMALL_SHARE of the image, fold into one. */
const MAX_LAYER_ROWS = 10
const SMALL_SHARE = 0.005

const FAILURE_REASON: Record<Finding['rule'], string> = {
  'go-toolchain': 'ships a Go toolchain',
  'size-budget': 'is over the size budget',
  'size-growth': 'grew more than max-growth allows',
  'missing-entrypoint': 'cannot start: its entrypoint is missing',
  'missing-interpreter': "cannot start: its entrypoint's ELF interpreter is missing",
  'missing-library': 'cannot start: its entrypoint needs a missing shared library',
  'missing-ca-certificates': 'has no CA certificates for TLS',
  'missing-tzdata': 'has no time zone data',
  'unstripped-binary': 'ships unstripped binaries',
  'build-cache': 'ships build caches',
  'wasted-bytes': 'wastes more bytes than max-wasted allows',
  'root-user': 'runs as root'
}

const SEVERITY_ICON: Record<Finding['severity'], string> = { error: '❌', warning: '⚠️', notice: 'ℹ️' }

/** One line that says whether the image passed and, if not, why. */
export function verdictLine(report: Report): string {
  const errors = report.findings.filter((finding) => finding.severity === 'error')
  if (errors.length === 0) return `image-size-gate passed: ${imageFigures(report)}`
  const reasons = errors.map((finding) => FAILURE_REASON[finding.rule])
  return `image-size-gate failed: the image ${[...new Set(reasons)].join(' and ')} (${imageFigures(report)})`
}

function imageFigures(report: Report): string {
  const { size, compressedSize, compressedExact } = report.image
  const compressed = compressedSize === null ? '' : `, ${formatBytes(compressedSize)} compressed${compressedExact ? '' : ' (est.)'}`
  return `${formatBytes(size)} uncompressed${compressed}`
}

/** The job summary: verdict, layers largest first, budget and toolchain lines, findings. */
export function renderMarkdown(report: Report): string {
  const icon = report.passed ? '✅' : '❌'
  return [
    `### ${icon} ${verdictLine(report)}`,
    '',
    `Image ${codeSpan(shortImageId(report.image.id))} · ${escapeText(report.image.platform)} · ${report.image.layers.length} layers`,
    '',
    ...layerTable(report.image.layers),
    ...knownCompressedNote(report.image.layers).map((note) => `\n_${escapeText(note)}_`),
    '',
    `**Budget:** ${budgetText(report)}`,
    '',
    `**Go toolchain:** ${toolchainText(report, escapeText)}`,
    ...adviceLines(report),
    ...goLines(report),
    ...findingList(report.findings)
  ].join('\n')
}

/** The module diff and the Go binaries' pies (GitHub draws Mermaid in job summaries as in comments). */
function goLines(report: Report): string[] {
  const growth = growthSection(report.delta?.binaries ?? [])
  const pies = modulePies(report.binaries)
  return [
    ...(growth.length > 0 ? ['', ...growth] : []),
    ...(pies.length > 0 ? ['', '**Go binaries by module**', '', pies.join('\n\n')] : [])
  ]
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

/** Which layers' compressed sizes came from the baseline rather than this analysis, and from where. */
export function knownCompressedNote(layers: readonly ReportLayer[]): string[] {
  const sources = new Map<string, number[]>()
  layers.forEach((layer, index) => {
    if (layer.compressedFrom !== undefined) sources.set(layer.compressedFrom, [...(sources.get(layer.compressedFrom) ?? []), index + 1])
  })
  return [...sources].map(([from, numbers]) => {
    const which = numbers.length === 1 ? `layer ${numbers[0]}` : `layers ${numbers.join(', ')}`
    return `Compressed size of ${which} taken from the baseline (${from}), whose layer has the same digest: not measured again.`
  })
}

export function budgetText(report: Report): string {
  const budget = report.budget
  if (!budget) return 'none set (max-size is empty)'
  const verdict = budget.passed
    ? `within budget, ${formatBytes(budget.limit - budget.actual)} to spare`
    : `over by ${formatBytes(budget.actual - budget.limit)}`
  return `${formatBytes(budget.actual)} of ${formatBytes(budget.limit)} ${budget.metric} — ${verdict} ${budget.passed ? '✅' : '❌'}`
}

/** The toolchain line; `show` renders the image's own strings (version, paths, hints) for the target format. */
export function toolchainText(report: Report, show: (data: string) => string): string {
  const toolchain = report.goToolchain
  if (toolchain.found) {
    const version = toolchain.goVersion === null ? 'unknown version' : show(toolchain.goVersion)
    const more = toolchain.paths.length > 3 ? ` and ${toolchain.paths.length - 3} more` : ''
    return `${version} found at ${toolchain.paths.slice(0, 3).map(show).join(', ')}${more} (${formatBytes(toolchain.bytes)}, layer ${(toolchain.layer ?? 0) + 1})`
  }
  const hints =
    toolchain.hints.length > 0 ? `; environment mentions ${toolchain.hints.map(show).join(', ')}, but no toolchain binary is present` : ''
  const deleted = toolchain.deleted.length > 0 ? '; one was deleted by a later layer, but its bytes still ship' : ''
  return `none in the final image ✅${deleted}${hints}`
}

/** The seeds' advice, e.g. "this image could be about 6.40 MB on scratch (now 813 MB)". */
export function adviceLines(report: Report): string[] {
  return report.advice ? ['', `**Advice:** 💡 ${escapeText(report.advice.text)}`] : []
}

/** One finding as a markdown list item on one line, the same in the summary and the comment; messages quote the image. */
export function findingBullet(finding: Finding): string {
  return `- ${SEVERITY_ICON[finding.severity]} \`${finding.rule}\`: ${escapeText(finding.message)}`
}

function findingList(findings: Finding[]): string[] {
  if (findings.length === 0) return []
  return ['', '**Findings**', '', ...findings.map(findingBullet)]
}

/** Plain text for a terminal: the same content as the summary without markdown. */
export function renderText(report: Report): string {
  const lines = [
    verdictLine(report),
    `image ${shortImageId(report.image.id)} ${showControls(report.image.platform)}, ${report.image.layers.length} layers`,
    ''
  ]
  report.image.layers.forEach((layer, index) => {
    const compressed = layer.compressedSize === null ? '' : ` (${layer.compressedExact ? '' : '~'}${formatBytes(layer.compressedSize)} gz)`
    const line = layer.dockerfileLine === null ? '' : ` [Dockerfile:${layer.dockerfileLine}]`
    lines.push(
      `  ${String(index + 1).padStart(2)}  ${formatBytes(layer.size).padStart(9)}${compressed}  ${showControls(truncate(layer.instruction ?? 'base image', 80))}${line}`
    )
  })
  lines.push(...knownCompressedNote(report.image.layers).map(showControls))
  lines.push('', `budget: ${budgetText(report)}`, `go toolchain: ${toolchainText(report, showControls)}`)
  if (report.advice) lines.push(`advice: ${showControls(report.advice.text)}`)
  lines.push(...growthText(report.delta?.binaries ?? []))
  for (const finding of report.findings) lines.push(`${finding.severity}: [${finding.rule}] ${showControls(finding.message)}`)
  return lines.join('\n')
}

/** Several platforms: an overview table, then each platform's own summary. */
export function renderPlatformsMarkdown(reports: Report[]): string {
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
    (report) => `#### ${escapeText(report.image.platform)}\n\n${renderMarkdown(report).replace(/^### /, '##### ')}`
  )
  return [headline, '', '| Platform | Size | Compressed | Verdict |', '| --- | ---: | ---: | --- |', ...rows, '', ...sections].join('\n')
}
