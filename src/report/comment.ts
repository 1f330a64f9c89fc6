import type { Comparison, LayerChange, PathChange } from './delta.js'
import { codeSpan, escapeText, instructionCell, shortImageId, sizeCell, tableRow } from './markdown.js'
import { growthSection, modulePies } from './goexplain.js'
import { listOf, truncate, type Finding } from '../findings/finding.js'
import { adviceLines, budgetText, findingBullet, toolchainText, verdictLine } from './render.js'
import type { Baseline, Report, ReportLayer } from './report.js'
import { formatBytes, formatDelta, formatPercent } from '../size.js'

export interface CommentOptions {
  /** A human title, e.g. "examples/go-service/Dockerfile (target runtime, linux/amd64)". */
  title?: string
  /** GitHub's limit on a comment body; default 65536. */
  maxLength?: number
  /** The size trend from the history, a Mermaid block; shown after the checks. */
  trend?: string
}

/** GitHub's limit on a comment body, in characters. */
export const COMMENT_BODY_LIMIT = 65_536
/** Room kept for the hidden marker the caller prepends. */
const MARKER_ROOM = 200
const INSTRUCTION_LENGTH = 80
const NOTE_LENGTH = 300
/** Real images stop near 127 layers; a diff longer than this is noise in a review, and the rest is in the report. */
const MAX_LAYER_CHANGE_ROWS = 50
/** Trimming order when the comment is too long: lowest first. */
const Rank = { pies: -1, detailLayers: 0, detailFindings: 1, paths: 2, layerChanges: 3, growth: 4 } as const

const CHANGE_LABEL: Record<LayerChange['kind'], string> = {
  added: '➕ added',
  removed: '➖ removed',
  grown: '🔺 grown',
  shrunk: '🔻 shrunk',
  unchanged: 'unchanged'
}

/**
 * Lines of the comment. A block with a rank may lose rows, then be replaced by `omitted`, to fit the
 * length limit; it never loses `open` or `close`, so tables and `<details>` stay well-formed.
 */
interface Block {
  open: string[]
  rows: string[]
  close: string[]
  rank?: number
  hidden?: (count: number) => string
  omitted?: string[]
  shown: number
  dropped: boolean
}

/** The pull request comment for one image: verdict, size change, checks, layer and path diffs, details. */
export function renderComment(report: Report, comparison: Comparison | null, options: CommentOptions): string {
  const baseline = comparison ? report.baseline : null
  const blocks = [
    fixed(`### ${report.passed ? '✅' : '❌'} ${verdictLine(report)}`, '', subtitle(report, options.title)),
    fixed(...(baseline && comparison ? comparedLines(report, baseline, comparison) : headOnlyLines(report))),
    fixed(...checkLines(report))
  ]
  if (options.trend) blocks.push(fixed('**Size trend**', '', options.trend))
  if (baseline && comparison) blocks.push(...layerChangeBlocks(comparison), pathBlock(comparison, baseline))
  blocks.push(...goBlocks(report), ...detailBlocks(report))
  return fitToLength(blocks, (options.maxLength ?? COMMENT_BODY_LIMIT) - MARKER_ROOM)
}

function fixed(...lines: string[]): Block {
  return { open: lines, rows: [], close: [], shown: 0, dropped: false }
}

function trimmable(rank: number, parts: Pick<Block, 'open' | 'rows' | 'close' | 'hidden' | 'omitted'>): Block {
  return { ...parts, rank, shown: parts.rows.length, dropped: false }
}

function subtitle(report: Report, title: string | undefined): string {
  const facts = `${codeSpan(shortImageId(report.image.id))} · ${escapeText(report.image.platform)} · ${report.image.layers.length} layers`
  return title ? `**${escapeText(title)}** · image ${facts}` : `Image ${facts}`
}

function comparedLines(report: Report, baseline: Baseline, comparison: Comparison): string[] {
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

function sizeRow(label: string, base: Figure, head: Figure, delta: number | null): string {
  const approx = base.exact && head.exact ? '' : '~'
  const change = delta === null ? '–' : `${approx}${formatDelta(delta)}`
  const percent = delta === null || base.value === null ? '–' : `${approx}${formatPercent(delta, base.value)}`
  return `| ${label} | ${sizeCell(base.value, base.exact)} → ${sizeCell(head.value, head.exact)} | ${change} | ${percent} |`
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

function headOnlyLines(report: Report): string[] {
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

/** Rules that have a line of their own above; the rest are listed under the checks. */
const HEADLINE_RULES = new Set<Finding['rule']>(['size-budget', 'size-growth', 'go-toolchain'])

function checkLines(report: Report): string[] {
  const lines = [
    `**Budget:** ${budgetText(report)}`,
    '',
    `**Growth:** ${growthText(report)}`,
    '',
    `**Go toolchain:** ${toolchainText(report, escapeText)}`
  ]
  // Errors and warnings are what a reviewer must act on; notices stay in the folded findings.
  const urgent = report.findings.filter((finding) => !HEADLINE_RULES.has(finding.rule) && finding.severity !== 'notice')
  if (urgent.length > 0) lines.push('', ...urgent.map(findingBullet))
  return [...lines, ...adviceLines(report)]
}

function growthText(report: Report): string {
  const growth = report.growth
  if (!growth) {
    // Policy says why a set max-growth could not be checked (e.g. a registry baseline has no uncompressed size).
    const unchecked = report.findings.find((finding) => finding.rule === 'size-growth')
    if (unchecked) return `⚠️ ${escapeText(unchecked.message)}`
    return report.baseline ? 'none set (max-growth is empty)' : 'not checked: no baseline'
  }
  // formatPercent(p, 100) renders a ready percentage with the same rounding as every other one.
  const percent = growth.percent === null ? '' : ` (${formatPercent(growth.percent, 100)})`
  const limit = growth.limitKind === 'percent' ? `${growth.limit}%` : formatBytes(growth.limit)
  const verdict = growth.passed ? 'within the limit ✅' : 'over the limit ❌'
  return `${formatDelta(growth.actual)}${percent} ${growth.metric} of a max-growth of ${limit} — ${verdict}`
}

/** Registry baselines know only compressed layer sizes, so their diff is shown compressed. */
type Metric = 'uncompressed' | 'compressed'

function layerChangeBlocks(comparison: Comparison): Block[] {
  const metric: Metric = comparison.delta.size === null ? 'compressed' : 'uncompressed'
  const changed = comparison.layers.filter((change) => change.kind !== 'unchanged')
  // Base-image rows first, each group in head order: the table reads as FROM, then the Dockerfile.
  const ordered = [...changed.filter((c) => c.origin === 'base-image'), ...changed.filter((c) => c.origin === 'dockerfile')]
  const summary = [`**Layers:** ${layerCounts(comparison.layers)}`]
  if (comparison.baseImageChanged) summary.push('', baseImageLine(comparison.layers, metric))
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
  return [{ ...block, shown: Math.min(block.shown, MAX_LAYER_CHANGE_ROWS) }]
}

function layerCounts(changes: LayerChange[]): string {
  const count = (kind: LayerChange['kind']) => changes.filter((change) => change.kind === kind).length
  const moved = (['added', 'removed', 'grown', 'shrunk'] as const).filter((kind) => count(kind) > 0).map((kind) => `${count(kind)} ${kind}`)
  const unchanged = count('unchanged')
  if (moved.length === 0) return `all ${unchanged} unchanged`
  return `${moved.join(' · ')}${unchanged > 0 ? ` · ${unchanged} unchanged (not listed)` : ''}`
}

function baseImageLine(changes: LayerChange[], metric: Metric): string {
  const fromBase = changes.filter((change) => change.origin === 'base-image')
  const net = fromBase.reduce<number | null>((sum, change) => {
    const delta = layerDelta(change, metric)
    return sum === null || delta === null ? null : sum + delta
  }, 0)
  const size = net === null ? '' : `, ${formatDelta(net)} ${metric} in its layers`
  return `⚠️ **The base image changed** (\`FROM\`): its layers differ from the baseline's${size}.`
}

function layerDelta(change: LayerChange, metric: Metric): number | null {
  return metric === 'uncompressed' ? change.delta : change.compressedDelta
}

function layerChangeRow(change: LayerChange, metric: Metric): string {
  const side = change.head ?? change.base
  const number = change.head ? `${change.head.index + 1}` : `was ${(change.base?.index ?? 0) + 1}`
  const size = side ? layerSize(side.layer, metric) : '–'
  const delta = layerDelta(change, metric)
  const from = change.origin === 'base-image' ? 'base image' : 'Dockerfile'
  const instruction = side ? instructionCell(side.layer, INSTRUCTION_LENGTH) : '–'
  return tableRow([CHANGE_LABEL[change.kind], from, number, size, delta === null ? '–' : formatDelta(delta), instruction])
}

function layerSize(layer: ReportLayer, metric: Metric): string {
  if (metric === 'uncompressed') return formatBytes(layer.size)
  return sizeCell(layer.compressedSize, layer.compressedExact)
}

function pathBlock(comparison: Comparison, baseline: Baseline): Block {
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

/** "Why `/app` grew" from the module diff, and the head's Go binaries by module, folded. */
function goBlocks(report: Report): Block[] {
  const growth = growthSection(report.delta?.binaries ?? [])
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
  if (pies.length > 0) {
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

function detailBlocks(report: Report): Block[] {
  const layers = report.image.layers
  const blocks = [
    trimmable(Rank.detailLayers, {
      open: [
        `<details><summary>All ${layers.length} layers of the head image</summary>`,
        '',
        '| Layer | Size | Compressed | Instruction |',
        '| ---: | ---: | ---: | --- |'
      ],
      rows: layers.map((layer, index) =>
        tableRow([
          `${index + 1}`,
          formatBytes(layer.size),
          sizeCell(layer.compressedSize, layer.compressedExact),
          instructionCell(layer, INSTRUCTION_LENGTH)
        ])
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
    rows: report.findings.map(findingBullet),
    close: ['', '</details>'],
    hidden: (count) => `… ${count} more finding${count === 1 ? '' : 's'} not shown; see the job summary`,
    omitted: ['_The findings are left out to fit the comment; see the job summary._']
  })
  return [...blocks, findings]
}

function blockLines(block: Block): string[] {
  if (block.dropped) return block.omitted ?? []
  const hiddenCount = block.rows.length - block.shown
  const notice = hiddenCount > 0 && block.hidden ? ['', block.hidden(hiddenCount)] : []
  return [...block.open, ...block.rows.slice(0, block.shown), ...notice, ...block.close]
}

function renderBlocks(blocks: Block[]): string {
  return blocks
    .map((block) => blockLines(block).join('\n'))
    .filter((text) => text !== '')
    .join('\n\n')
}

/** Trims the least important blocks first, row by row, then whole; a last resort cuts at a line. */
function fitToLength(blocks: Block[], limit: number): string {
  const order = blocks.filter((block) => block.rank !== undefined).sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0))
  for (const block of order) {
    const over = renderBlocks(blocks).length - limit
    if (over <= 0) break
    shrink(block, over)
  }
  return cutAtLine(renderBlocks(blocks), limit)
}

/** Keeps as many rows as fit in the block's length minus `over`; with none left, the block goes. */
function shrink(block: Block, over: number): void {
  const ends = blockLinesLength([...block.open, ...block.close])
  const noticeLength = (shown: number) =>
    blockLinesLength(block.rows.length > shown && block.hidden ? ['', block.hidden(block.rows.length - shown)] : [])
  const prefix = [0]
  for (const row of block.rows) prefix.push((prefix[prefix.length - 1] ?? 0) + row.length + 1)
  const lengthWith = (shown: number) => ends + (prefix[shown] ?? 0) + noticeLength(shown)
  const target = lengthWith(block.shown) - over
  for (let shown = block.shown - 1; shown >= 1; shown--) {
    if (lengthWith(shown) <= target) {
      block.shown = shown
      return
    }
  }
  block.dropped = true
}

function blockLinesLength(lines: string[]): number {
  return lines.reduce((sum, line) => sum + line.length + 1, 0)
}

/** Only reached when even the fixed lines are too long (a tiny maxLength); cuts between lines. */
function cutAtLine(text: string, limit: number): string {
  if (text.length <= limit) return text
  const notice = '… the rest of this comment is not shown; see the job summary'
  const end = Math.max(0, text.lastIndexOf('\n', limit - notice.length - 2))
  // Keeps the notice whole if anything at all fits.
  return limit > 0 ? `${text.slice(0, end).trimEnd()}\n\n${notice}`.slice(-limit) : ''
}
