import { describe, expect, it } from '@jest/globals'
import { safeLabel, trendChart, type TrendPoint } from '../../../src/report/trend.js'

/** `count` builds, oldest first, growing by 100 kB each from 580 MB; the last is the head. */
function builds(count: number, { head = true } = {}): TrendPoint[] {
  return Array.from({ length: count }, (_, index) => ({
    commit: `${index.toString(16).padStart(7, '0')}${'f'.repeat(33)}`,
    label: index.toString(16).padStart(7, '0'),
    value: 580_000_000 + index * 100_000,
    head: head && index === count - 1
  }))
}

/** The parts of the chart the tests look at, read back from its text. */
function parse(chart: string) {
  const lines = chart.split('\n')
  const find = (prefix: string) => lines.find((line) => line.trimStart().startsWith(prefix)) ?? ''
  const numbers = (line: string) => (/\[(.*)\]/.exec(line)?.[1] ?? '').split(', ').map(Number)
  const axis = /^ {4}y-axis "([^"]*)" (\S+) --> (\S+)$/.exec(find('y-axis'))
  return {
    lines,
    title: /"(.*)"/.exec(find('title'))?.[1],
    labels: [...find('x-axis').matchAll(/"([^"]*)"/g)].map((match) => match[1]),
    plots: lines
      .filter((line) => /^ {4}(line|bar) /.test(line))
      .map((line) => ({ kind: line.trim().split(' ')[0], values: numbers(line) })),
    unit: axis?.[1],
    min: Number(axis?.[2]),
    max: Number(axis?.[3])
  }
}

describe('trendChart', () => {
  it('draws one build as a bar from zero, labelled as the head', () => {
    const chart = parse(trendChart(builds(1), { metric: 'uncompressed', budget: null }))
    expect(chart.lines[0]).toBe('```mermaid')
    expect(chart.lines.at(-1)).toBe('```')
    expect(chart.lines[2]).toBe('xychart-beta')
    expect(chart.title).toBe('Image size (uncompressed), 1 build')
    expect(chart.labels).toEqual(['0000000 (head)'])
    expect(chart.plots).toEqual([{ kind: 'bar', values: [580] }])
    expect(chart.unit).toBe('MB')
    expect(chart.min).toBe(0)
    expect(chart.max).toBeGreaterThan(580)
  })

  it('draws six builds as a line in MB, on an axis around them, the head last', () => {
    const points = builds(6)
    const chart = parse(trendChart([points[5] as TrendPoint, ...points.slice(0, 5)], { metric: 'uncompressed', budget: null }))
    expect(chart.title).toBe('Image size (uncompressed), last 6 builds')
    expect(chart.labels).toEqual(['0000000', '0000001', '0000002', '0000003', '0000004', '0000005 (head)'])
    expect(chart.plots).toEqual([{ kind: 'line', values: [580, 580.1, 580.2, 580.3, 580.4, 580.5] }])
    expect(chart.min).toBeLessThanOrEqual(580)
    expect(chart.max).toBeGreaterThanOrEqual(580.5)
    // Zoomed in: the 0.5 MB drift fills the chart instead of sitting flat on a 0–600 axis.
    expect(chart.max - chart.min).toBeLessThanOrEqual(1)
  })

  it('keeps the last 30 of 1,000 builds', () => {
    const chart = parse(trendChart(builds(1000), { metric: 'compressed', budget: null }))
    expect(chart.title).toBe('Image size (compressed), last 30 builds')
    expect(chart.labels).toHaveLength(30)
    expect(chart.labels[0]).toBe((970).toString(16).padStart(7, '0'))
    expect(chart.labels[29]).toBe(`${(999).toString(16).padStart(7, '0')} (head)`)
    expect(chart.plots[0]?.values).toHaveLength(30)
    expect(chart.plots[0]?.values[29]).toBe(679.9)
  })

  it('draws the budget as a second line and stretches the axis to it', () => {
    const chart = parse(trendChart(builds(6), { metric: 'uncompressed', budget: 1_500_000_000 }))
    expect(chart.title).toBe('Image size (uncompressed), last 6 builds, budget 1.50 GB')
    expect(chart.unit).toBe('GB')
    expect(chart.plots).toEqual([
      { kind: 'line', values: [0.58, 0.58, 0.58, 0.58, 0.58, 0.581] },
      { kind: 'line', values: [1.5, 1.5, 1.5, 1.5, 1.5, 1.5] }
    ])
    expect(chart.min).toBeLessThanOrEqual(0.58)
    expect(chart.max).toBeGreaterThanOrEqual(1.5)
    expect(chart.lines[1]).toContain('"plotColorPalette":"#1f6feb, #cf222e"')
  })

  it('draws one build and its budget as two bars, the taller behind, coloured by what they are', () => {
    const over = parse(trendChart(builds(1), { metric: 'uncompressed', budget: 25_000_000 }))
    expect(over.plots).toEqual([
      { kind: 'bar', values: [580] },
      { kind: 'bar', values: [25] }
    ])
    expect(over.lines[1]).toContain('"plotColorPalette":"#1f6feb, #cf222e"')
    const under = parse(trendChart(builds(1), { metric: 'uncompressed', budget: 600_000_000 }))
    expect(under.plots.map((plot) => plot.values[0])).toEqual([600, 580])
    expect(under.lines[1]).toContain('"plotColorPalette":"#cf222e, #1f6feb"')
    expect(under.max).toBeGreaterThanOrEqual(600)
  })

  it('puts the head last even when a history record has its commit, and shows that commit once', () => {
    const points = builds(3, { head: false })
    const rerun: TrendPoint = { ...(points[1] as TrendPoint), value: 590_000_000, head: true }
    const chart = parse(trendChart([...points, rerun], { metric: 'uncompressed', budget: null }))
    expect(chart.labels).toEqual(['0000000', '0000002', '0000001 (head)'])
    expect(chart.plots[0]?.values).toEqual([580, 580.2, 590])
  })

  it('reads a flat and an all-zero history', () => {
    const flat = parse(
      trendChart(
        builds(4).map((point) => ({ ...point, value: 6_623_345 })),
        { metric: 'uncompressed', budget: null }
      )
    )
    expect(flat.min).toBeLessThan(6.623)
    expect(flat.max).toBeGreaterThan(6.623)
    const empty = parse(
      trendChart(
        builds(2).map((point) => ({ ...point, value: 0 })),
        { metric: 'uncompressed', budget: null }
      )
    )
    expect(empty.unit).toBe('B')
    expect([empty.min, empty.max]).toEqual([0, 1])
  })

  it('skips points without a usable size and draws nothing when none is left', () => {
    const points = builds(3)
    const [first, second, third] = points as [TrendPoint, TrendPoint, TrendPoint]
    const broken = [{ ...first, value: Number.NaN }, { ...second, value: -1 }, third]
    expect(parse(trendChart(broken, { metric: 'uncompressed', budget: null })).labels).toEqual(['0000002 (head)'])
    expect(trendChart([], { metric: 'uncompressed', budget: null })).toBe('')
    expect(trendChart(broken.slice(0, 2), { metric: 'uncompressed', budget: 5 })).toBe('')
  })

  it('makes equal labels unique, since Mermaid would draw them as one category', () => {
    const points = builds(4).map((point) => ({ ...point, label: 'main' }))
    points[2] = { ...(points[2] as TrendPoint), label: 'main-2' }
    expect(parse(trendChart(points, { metric: 'uncompressed', budget: null })).labels).toEqual([
      'main',
      'main-2',
      'main-2-2',
      'main-3 (head)'
    ])
  })

  it('falls back to the short commit, then to the position, for a label with nothing printable', () => {
    const points = builds(2).map((point, index) => ({ ...point, label: '', commit: index === 0 ? 'abcdef0123' : '' }))
    expect(parse(trendChart(points, { metric: 'uncompressed', budget: null })).labels).toEqual(['abcdef0', 'build 2 (head)'])
  })
})

describe('labels from a history file', () => {
  const hostile = [
    '"], line [1e99] %%',
    '```\n</details><img src=x>',
    '@octocat',
    'a\n## b',
    '%%{init: {"theme":"dark"}}%%',
    '#quot;#59;',
    '` title "x',
    'naïve ünïcode \u202e',
    'x'.repeat(200)
  ]

  it('cannot break the chart, the markdown block or the head mark', () => {
    const points = hostile.map((label, index) => ({ commit: label, label, value: 1_000 * (index + 1), head: false }))
    const text = trendChart(points, { metric: 'uncompressed', budget: 5_000 })
    const chart = parse(text)
    expect(chart.labels).toHaveLength(hostile.length)
    for (const label of chart.labels) expect(label).toMatch(/^[A-Za-z0-9._\-/+#: ]{1,15}$/)
    // Nine points, one line of nine values, one budget line: nothing was injected.
    expect(chart.plots.map((plot) => plot.values.length)).toEqual([9, 9])
    expect(text.match(/```/g)).toHaveLength(2)
    expect(text.match(/%%/g)).toHaveLength(2)
    expect(chart.lines).toHaveLength(9)
    expect(chart.lines.find((line) => line.includes('x-axis'))).not.toMatch(/[<>@`;%]|\(head\)/)
  })

  it.each([
    ['abc1234', 'abc1234'],
    ['"quoted"', '_quoted_'],
    ['a\nb', 'a_b'],
    ['  spaced   out  ', 'spaced out'],
    ['feature/very-long-branch-name', 'feature/very']
  ])('shows %p as %p', (label, shown) => {
    expect(safeLabel(label)).toBe(shown)
  })
})
