/**
 * The size trend as a Mermaid `xychart-beta` line: the last builds from the history, this run's head
 * last, on the budget's metric, with the budget as a second line. GitHub draws it in comments and
 * job summaries alike.
 */
import { decimalUnit, formatBytes, type SizeMetric, type SizeUnit } from '../size.js'

/** One build on the chart; `value` is bytes on the chart's metric. */
export interface TrendPoint {
  commit: string
  label: string
  value: number
  head: boolean
}

/** The chart's metric, the budget's, and the budget drawn beside the sizes (null for none). */
export interface TrendOptions {
  metric: SizeMetric
  budget: number | null
}

/** Enough to see a drift, few enough that each label still has room. */
export const TREND_POINTS = 30
/** Labels are commit names: seven characters tell commits apart, as `git log --oneline` does. */
const MAX_LABEL = 12
/** Plotted in the unit of the largest value, to a thousandth of it: 1 kB resolution for an image shown in MB. */
const DECIMALS = 3
const SIZE_COLOUR = '#1f6feb'
const BUDGET_COLOUR = '#cf222e'

/** The chart as a ```mermaid block; '' when no point has a usable value. */
export function trendChart(points: readonly TrendPoint[], options: TrendOptions): string {
  const shown = lastPoints(points)
  if (shown.length === 0) return ''
  const budget = options.budget !== null && Number.isFinite(options.budget) && options.budget >= 0 ? options.budget : null
  const unit = decimalUnit(Math.max(...shown.map((point) => point.value), budget ?? 0))
  const values = shown.map((point) => inUnit(point.value, unit))
  const budgetValue = budget === null ? null : inUnit(budget, unit)
  const range = axisRange([...values, ...(budgetValue === null ? [] : [budgetValue])], shown.length === 1)
  const plots = shown.length === 1 ? singleBuildBars(values[0] ?? 0, budgetValue) : trendLines(values, budgetValue)
  const builds = shown.length === 1 ? '1 build' : `last ${shown.length} builds`
  const title = `Image size (${options.metric}), ${builds}${budget === null ? '' : `, budget ${formatBytes(budget)}`}`
  return [
    '```mermaid',
    initDirective(plots.colours),
    'xychart-beta',
    `    title "${title}"`,
    `    x-axis [${axisLabels(shown)
      .map((label) => `"${label}"`)
      .join(', ')}]`,
    `    y-axis "${unit.name}" ${range.min} --> ${range.max}`,
    ...plots.lines,
    '```'
  ].join('\n')
}

/** Points with a size, the head moved last (replacing a record of the same commit), the last 30. */
function lastPoints(points: readonly TrendPoint[]): TrendPoint[] {
  const usable = points.filter((point) => Number.isFinite(point.value) && point.value >= 0)
  const head = usable.filter((point) => point.head).at(-1)
  const others = usable.filter((point) => !point.head && point.commit !== head?.commit)
  return [...others, ...(head ? [head] : [])].slice(-TREND_POINTS)
}

function inUnit(bytes: number, unit: SizeUnit): number {
  return Number((bytes / unit.bytes).toFixed(DECIMALS))
}

interface Plots {
  lines: string[]
  colours: string[]
}

function trendLines(values: readonly number[], budget: number | null): Plots {
  const lines = [`    line [${values.join(', ')}]`]
  if (budget === null) return { lines, colours: [SIZE_COLOUR] }
  return { lines: [...lines, `    line [${values.map(() => budget).join(', ')}]`], colours: [SIZE_COLOUR, BUDGET_COLOUR] }
}

/**
 * A line through one point draws nothing, so one build is a bar; the budget is a bar too, the taller
 * drawn first so the shorter shows in front of it.
 */
function singleBuildBars(value: number, budget: number | null): Plots {
  const bars: Array<[number, string]> = [[value, SIZE_COLOUR]]
  if (budget !== null) bars.push([budget, BUDGET_COLOUR])
  bars.sort((a, b) => b[0] - a[0])
  return { lines: bars.map(([height]) => `    bar [${height}]`), colours: bars.map(([, colour]) => colour) }
}

/** Wider than the default 700 px with upright labels, so 30 commit names fit; older renderers ignore what they do not know. */
function initDirective(colours: readonly string[]): string {
  const config = {
    xyChart: { width: 900, height: 420, xAxis: { labelRotation: -90, labelFontSize: 12 } },
    themeVariables: { xyChart: { plotColorPalette: colours.join(', ') } }
  }
  return `%%{init: ${JSON.stringify(config)}}%%`
}

/**
 * A y axis around the values (the budget among them), padded and rounded to a step, so a drift of a
 * few percent is visible; from 0 for bars, which are drawn up from the axis.
 */
function axisRange(values: readonly number[], fromZero: boolean): { min: number; max: number } {
  const low = fromZero ? 0 : Math.min(...values)
  const high = Math.max(...values)
  // A flat line gets a tenth of its height either side; an all-zero one, an axis of whole units.
  const span = high - low || Math.max(high / 10, 4)
  const step = niceStep(span / 4)
  const min = Math.max(0, Math.floor((low - span / 10) / step) * step)
  const max = Math.ceil((high + span / 10) / step) * step
  return { min: tidy(min), max: tidy(max > min ? max : min + step) }
}

/** 1, 2 or 5 times a power of ten, at least `rough`. */
function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough))
  const multiple = [1, 2, 5, 10].find((each) => each * power >= rough) ?? 10
  return multiple * power
}

/** Drops binary floating-point noise such as 0.30000000000000004. */
function tidy(value: number): number {
  return Number(value.toPrecision(12))
}

/**
 * One short label per point, unique (Mermaid merges equal categories), the head marked. Labels come
 * from history files, so only characters that cannot end a Mermaid string or the markdown block remain.
 */
function axisLabels(points: readonly TrendPoint[]): string[] {
  const used = new Set<string>()
  return points.map((point, index) => {
    const base = safeLabel(point.label) || safeLabel(point.commit.slice(0, 7)) || `build ${index + 1}`
    let label = base
    for (let copy = 2; used.has(label); copy++) label = `${base}-${copy}`
    used.add(label)
    // Parentheses never survive safeLabel, so the head's mark cannot be forged by a label.
    return point.head ? `${label} (head)` : label
  })
}

/** ASCII letters, digits and `._-/+#:` only (no quote, backtick, `;`, `%` or `<`), one line, at most 12 characters. */
export function safeLabel(text: string): string {
  return text
    .replace(/[^A-Za-z0-9._\-/+#: ]/g, '_')
    .replace(/ +/g, ' ')
    .trim()
    .slice(0, MAX_LABEL)
    .trim()
}
