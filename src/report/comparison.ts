/**
 * The head against its baseline, in markdown: where the baseline came from and the size change, or
 * why there is none; the layers that changed; the paths that grew most. The comment and the job
 * summary show the same sections.
 */
import type { Comparison, LayerChange, PathChange } from './delta.js'
import { fixed, Rank, trimmable, type Block } from './blocks.js'
import { codeSpan, escapeText, instructionCell, sizeCell, tableRow } from './markdown.js'
import { listOf, truncate } from '../findings/finding.js'
import type { Baseline, Report, ReportLayer } from './report.js'
import { formatBytes, formatDelta, formatPercent, type SizeMetric } from '../size.js'

const NOTE_LENGTH = 300

const CHANGE_LABEL: Record<LayerChange['kind'], string> = {
  added: '➕ added',
  removed: '➖ removed',
  grown: '🔺 grown',
  shrunk: '🔻 shrunk',
  unchanged: 'unchanged'
}

/** Where the baseline came from, and both images' sizes with the change. */
export function comparedLines(report: Report, baseline: Baseline, comparison: Comparison): string[] {
  const { image } = report
  return [
    `Compared with ${describeBaseline(baseline)}.`,
    '',
    '| | Base → Head | Δ | % |',
    '| --- | ---: | ---: | ---: |',
    sizeRow('Uncompressed', { value: baseline.size, exact: true }, { value: image.size, exact: true }, comparison.delta.size),
    sizeRow(
      'Compressed',
      { value: baseline.compressedSize, exact: baseline.compressedExact },
      { value: image.compressedSize, exact: image.compressedExact },
      comparison.delta.compressedSize
    ),
    '',
    `<sub>~ estimated · – not known · The baseline ${baselineKnowledge(baseline)}.</sub>`
  ]
}

interface Figure {
  value: number | null
  exact: boolean
}

function sizeRow(label: string, baseline: Figure, head: Figure, delta: number | null): string {
  const approx = baseline.exact && head.exact ? '' : '~'
  const change = delta === null ? '–' : `${approx}${formatDelta(delta)}`
  const percent = delta === null || baseline.value === null ? '–' : `${approx}${formatPercent(delta, baseline.value)}`
  return `| ${label} | ${sizeCell(baseline.value, baseline.exact)} → ${sizeCell(head.value, head.exact)} | ${change} | ${percent} |`
}

function describeBaseline(baseline: Baseline): string {
  const note = baseline.note ? ` (${escapeText(baseline.note)})` : ''
  return `${baselineOrigin(baseline)}${note}`
}

function baselineOrigin(baseline: Baseline): string {
  const commit = codeSpan(baseline.ref.slice(0, 7))
  if (baseline.source === 'build') return `the base commit ${commit} (built)`
  if (baseline.source === 'history') return `the recorded size of ${commit} from the size history, without rebuilding it`
  return baseline.source === 'image' ? `the image ${codeSpan(baseline.ref)}` : `the saved report ${codeSpan(baseline.ref)}`
}

/** Which metrics the baseline could measure: a registry manifest knows compressed sizes only. */
function baselineKnowledge(baseline: Baseline): string {
  const known: string[] = []
  const unknown: string[] = []
  if (baseline.size === null) unknown.push('uncompressed sizes')
  else known.push('uncompressed sizes')
  if (baseline.compressedSize === null) unknown.push('compressed sizes')
  else known.push(baseline.compressedExact ? 'compressed sizes exactly' : 'compressed sizes as estimates')
  if (baseline.paths === null) unknown.push('its files, so paths are not compared')
  else known.push('its files')
  return `knows ${listOf(known, 'and') || 'nothing'}${unknown.length > 0 ? `, but not ${listOf(unknown, 'or')}` : ''}`
}

/** Why there is no baseline, and the head's sizes alone. */
export function headOnlyLines(report: Report): string[] {
  const { image } = report
  const note = truncate((report.baselineNote ?? 'no baseline to compare with').replace(/\s+/g, ' ').trim(), NOTE_LENGTH).replace(/\.$/, '')
  return [
    `${noteIcon(note)}${escapeText(note)}. The figures are the head image's alone.`,
    '',
    '| | Head |',
    '| --- | ---: |',
    `| Uncompressed | ${formatBytes(image.size)} |`,
    `| Compressed | ${sizeCell(image.compressedSize, image.compressedExact)} |`,
    '',
    '<sub>~ estimated · – not known</sub>'
  ]
}

/** Notes come as plain text ("new image: …"); one that already starts with an emoji keeps its own. */
function noteIcon(note: string): string {
  if (/^\p{Extended_Pictographic}/u.test(note)) return ''
  if (note.startsWith('new image')) return '🆕 '
  return note.startsWith('base did not build') ? '⚠️ ' : 'ℹ️ '
}

/** The layers that changed, at most `maxRows` of them; registry baselines know only compressed layer sizes, so their diff is compressed. */
export function layerChangeBlocks(comparison: Comparison, maxRows: number): Block[] {
  const metric: SizeMetric = comparison.delta.size === null ? 'compressed' : 'uncompressed'
  const changed = comparison.layers.filter((change) => change.kind !== 'unchanged')
  // Parent-image rows first, each group in head order: the table reads as FROM, then the Dockerfile.
  const ordered = [...changed.filter((c) => c.origin === 'parent-image'), ...changed.filter((c) => c.origin === 'dockerfile')]
  const summary = [`**Layers:** ${layerCounts(comparison.layers)}`]
  if (comparison.parentImageChanged) summary.push('', parentImageLine(comparison, metric))
  if (ordered.length === 0) return [fixed(...summary)]
  const hidden = (count: number) => `… ${count} more layer${count === 1 ? '' : 's'} not shown; see the job summary`
  const header = `| Change | From | Layer | ${metric === 'compressed' ? 'Compressed' : 'Size'} | Δ | Instruction |`
  const block = trimmable(Rank.layerChanges, {
    open: [...summary, '', header, '| --- | --- | ---: | ---: | ---: | --- |'],
    rows: ordered.map((change) => layerChangeRow(change, metric)),
    close: [],
    hidden,
    omitted: [...summary, '', hidden(ordered.length)]
  })
  return [{ ...block, shown: Math.min(block.shown, maxRows) }]
}

function layerCounts(changes: LayerChange[]): string {
  const count = (kind: LayerChange['kind']) => changes.filter((change) => change.kind === kind).length
  const moved = (['added', 'removed', 'grown', 'shrunk'] as const).filter((kind) => count(kind) > 0).map((kind) => `${count(kind)} ${kind}`)
  const unchanged = count('unchanged')
  if (moved.length === 0) return unchanged === 1 ? '1 unchanged' : `all ${unchanged} unchanged`
  return `${moved.join(' · ')}${unchanged > 0 ? ` · ${unchanged} unchanged (not listed)` : ''}`
}

/** The change split in two: what the FROM image brought, and what this Dockerfile's own layers did. */
function parentImageLine(comparison: Comparison, metric: SizeMetric): string {
  const net = (origin: LayerChange['origin']) =>
    comparison.layers
      .filter((change) => change.origin === origin)
      .reduce<number | null>((sum, change) => {
        const delta = layerDelta(change, metric)
        return sum === null || delta === null ? null : sum + delta
      }, 0)
  const shown = (bytes: number | null) => (bytes === null ? 'not known' : formatDelta(bytes))
  const { base, head } = comparison.parentImages
  const names = base && head && base !== head ? ` (${codeSpan(truncate(base, 80))} → ${codeSpan(truncate(head, 80))})` : ''
  const split = `base image ${shown(net('parent-image'))}${names}, this Dockerfile's layers ${shown(net('dockerfile'))} (${metric})`
  return `⚠️ **The base image changed** (\`FROM\`): ${split}.`
}

function layerDelta(change: LayerChange, metric: SizeMetric): number | null {
  return metric === 'uncompressed' ? change.delta : change.compressedDelta
}

function layerChangeRow(change: LayerChange, metric: SizeMetric): string {
  const side = change.head ?? change.base
  const number = change.head ? `${change.head.index + 1}` : `was ${(change.base?.index ?? 0) + 1}`
  const size = side ? layerSize(side.layer, metric) : '–'
  const delta = layerDelta(change, metric)
  const from = change.origin === 'parent-image' ? 'base image' : 'Dockerfile'
  const instruction = side ? instructionCell(side.layer) : '–'
  return tableRow([CHANGE_LABEL[change.kind], from, number, size, delta === null ? '–' : formatDelta(delta), instruction])
}

function layerSize(layer: ReportLayer, metric: SizeMetric): string {
  if (metric === 'uncompressed') return formatBytes(layer.size)
  return sizeCell(layer.compressedSize, layer.compressedExact)
}

/** The paths that grew most; a baseline without a file listing says so. */
export function pathBlock(comparison: Comparison, baseline: Baseline): Block {
  const title = '**Paths that grew most**'
  if (baseline.paths === null) return fixed(title, '', '_The baseline has no file listing, so paths are not compared._')
  if (comparison.paths.length === 0) return fixed(title, '', '_No path grew._')
  const hidden = (count: number) => `… ${count} more path${count === 1 ? '' : 's'} not shown`
  return trimmable(Rank.paths, {
    open: [title, '', '| Path | Base | Head | Δ |', '| --- | ---: | ---: | ---: |'],
    rows: comparison.paths.map(pathRow),
    close: [],
    hidden,
    omitted: [title, '', hidden(comparison.paths.length)]
  })
}

function pathRow(change: PathChange): string {
  return tableRow([codeSpan(change.path), formatBytes(change.base), formatBytes(change.head), formatDelta(change.delta)])
}
