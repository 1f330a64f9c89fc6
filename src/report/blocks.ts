/**
 * Markdown as blocks of lines that fit a length limit. A block with a rank may lose rows, then be
 * replaced by its `omitted` lines; it never loses `open` or `close`, so tables and `<details>` stay
 * well-formed.
 */

export interface Block {
  open: string[]
  rows: string[]
  close: string[]
  rank?: number
  hidden?: (count: number) => string
  omitted?: string[]
  shown: number
  dropped: boolean
}

/** The order in which blocks give way when the text is too long: lowest first. */
export const Rank = { pies: -1, detailLayers: 0, detailFindings: 1, paths: 2, layerChanges: 3, growth: 4 } as const

/** Lines that are always shown. */
export function fixed(...lines: string[]): Block {
  return { open: lines, rows: [], close: [], shown: 0, dropped: false }
}

/** Rows that may be cut, then the whole block replaced by `omitted`, when the text is too long. */
export function trimmable(rank: number, parts: Pick<Block, 'open' | 'rows' | 'close' | 'hidden' | 'omitted'>): Block {
  return { ...parts, rank, shown: parts.rows.length, dropped: false }
}

/** The blocks as they stand, a blank line between them. */
export function renderBlocks(blocks: readonly Block[]): string {
  return blocks
    .map((block) => blockLines(block).join('\n'))
    .filter((text) => text !== '')
    .join('\n\n')
}

/**
 * Trims blocks row by row, then whole: the least important first, or with `largestFirst` the longest first
 * (a section among many keeps its small charts and loses its long tables); a last resort cuts at a line.
 */
export function fitToLength(blocks: Block[], limit: number, largestFirst = false): string {
  const length = (block: Block) => blockLines(block).join('\n').length
  const order = blocks
    .filter((block) => block.rank !== undefined)
    .sort((a, b) => (largestFirst ? length(b) - length(a) : 0) || (a.rank ?? 0) - (b.rank ?? 0))
  for (const block of order) {
    const over = renderBlocks(blocks).length - limit
    if (over <= 0) break
    shrink(block, over)
  }
  return cutAtLine(renderBlocks(blocks), limit)
}

/** The length the blocks come to with every block that may give way gone: the least room they can take. */
export function minimumLength(blocks: readonly Block[]): number {
  return renderBlocks(blocks.map((block) => (block.rank === undefined ? block : { ...block, dropped: true }))).length
}

function blockLines(block: Block): string[] {
  if (block.dropped) return block.omitted ?? []
  const hiddenCount = block.rows.length - block.shown
  const notice = hiddenCount > 0 && block.hidden ? ['', block.hidden(hiddenCount)] : []
  return [...block.open, ...block.rows.slice(0, block.shown), ...notice, ...block.close]
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

/** Only reached when even the fixed lines are too long (a tiny limit); cuts between lines. */
function cutAtLine(text: string, limit: number): string {
  if (text.length <= limit) return text
  const notice = '… the rest of this comment is not shown; see the job summary'
  const end = Math.max(0, text.lastIndexOf('\n', limit - notice.length - 2))
  // Keeps the notice whole if anything at all fits.
  return limit > 0 ? `${text.slice(0, end).trimEnd()}\n\n${notice}`.slice(-limit) : ''
}
