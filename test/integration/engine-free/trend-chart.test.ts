import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import type { Browser } from 'playwright-core'
import { trendChart, type TrendPoint } from '../../../src/report/trend.js'
import { launchChromium, mermaidBundle } from '../../support/chromium.js'

// 60 s for a test or hook: rendering a chart in headless Chromium: 7 s at most on a loaded 2-core machine.
jest.setTimeout(60_000)

let browser: Browser

beforeAll(async () => {
  browser = await launchChromium()
}, 900_000)

afterAll(async () => {
  await browser?.close()
})

/** What the browser drew, read from the SVG's own elements. */
interface Drawn {
  title: string
  /** Each line plot's path, as its points. */
  lines: Array<Array<[number, number]>>
  /** Each bar plot's bars: their tops and heights. */
  bars: Array<Array<{ y: number; height: number }>>
  xLabels: string[]
  yLabels: string[]
}

/** The part of mermaid's browser API the page calls. */
interface MermaidApi {
  initialize(options: object): void
  render(id: string, source: string): Promise<{ svg: string }>
}

/** The little of the DOM the page side reads; the project compiles without the DOM library. */
interface PageNode {
  textContent: string | null
  getAttribute(name: string): string | null
  querySelector(selector: string): PageNode | null
  querySelectorAll(selector: string): Iterable<PageNode>
}
interface PageDocument extends PageNode {
  body: { innerHTML: string }
}

/** Draws the ```mermaid block of `markdown` with the mermaid bundle from node_modules, in a real page. */
async function draw(markdown: string): Promise<Drawn> {
  const block = /^```mermaid\n([\s\S]*?)\n```$/.exec(markdown)?.[1]
  if (!block) throw new Error('the markdown is not one mermaid block')
  const page = await browser.newPage()
  try {
    await page.setContent('<!doctype html><html><body></body></html>')
    await page.addScriptTag({ content: mermaidBundle() })
    return await page.evaluate(async (source): Promise<Drawn> => {
      const api = (globalThis as unknown as { mermaid: MermaidApi }).mermaid
      api.initialize({ startOnLoad: false })
      const doc = (globalThis as unknown as { document: PageDocument }).document
      doc.body.innerHTML = (await api.render('trend', source)).svg
      const texts = (selector: string) => [...doc.querySelectorAll(selector)].map((node) => node.textContent ?? '')
      const points = (d: string) =>
        d
          .replace(/^M|Z$/g, '')
          .split('L')
          .map((pair) => pair.split(',').map(Number) as [number, number])
      const plots = (kind: string) => [...doc.querySelectorAll(`g.plot > g[class^="${kind}-plot-"]`)]
      return {
        title: texts('g.chart-title text').join(''),
        lines: plots('line').map((group) => points(group.querySelector('path')?.getAttribute('d') ?? '')),
        bars: plots('bar').map((group) =>
          [...group.querySelectorAll('rect')].map((rect) => ({
            y: Number(rect.getAttribute('y')),
            height: Number(rect.getAttribute('height'))
          }))
        ),
        xLabels: texts('g.bottom-axis g.label text'),
        yLabels: texts('g.left-axis g.label text')
      }
    }, block)
  } finally {
    await page.close()
  }
}

/** `count` builds growing by 1 MB each from 580 MB, the last the head. */
function builds(count: number): TrendPoint[] {
  return Array.from({ length: count }, (_, index) => ({
    commit: `c${index.toString().padStart(6, '0')}`,
    label: `c${index.toString().padStart(6, '0')}`,
    value: 580_000_000 + index * 1_000_000,
    head: index === count - 1
  }))
}

/** The y axis labels as numbers, bottom to top as drawn. */
const yValues = (drawn: Drawn) => drawn.yLabels.map(Number).sort((a, b) => a - b)

describe('the trend chart in a real browser', () => {
  it('draws one build as a bar on an axis from zero, labelled as the head', async () => {
    const drawn = await draw(trendChart(builds(1), { metric: 'uncompressed', budget: null }))
    expect(drawn.title).toBe('Image size (uncompressed), 1 build')
    expect(drawn.bars).toHaveLength(1)
    expect(drawn.bars[0]).toHaveLength(1)
    expect(drawn.bars[0]?.[0]?.height).toBeGreaterThan(100)
    expect(drawn.xLabels).toEqual(['c000000 (head)'])
    expect(yValues(drawn)[0]).toBe(0)
    expect(Math.max(...yValues(drawn))).toBeGreaterThanOrEqual(580)
  })

  it('draws six builds as a rising line through six points, left to right, with every label', async () => {
    const drawn = await draw(trendChart(builds(6), { metric: 'uncompressed', budget: null }))
    const [line] = drawn.lines
    expect(drawn.lines).toHaveLength(1)
    expect(line).toHaveLength(6)
    const xs = (line ?? []).map(([x]) => x)
    const ys = (line ?? []).map(([, y]) => y)
    expect(xs).toEqual([...xs].sort((a, b) => a - b))
    // Sizes grow, so the line climbs: SVG y falls.
    expect(ys).toEqual([...ys].sort((a, b) => b - a))
    expect(new Set(ys).size).toBe(6)
    expect(drawn.xLabels).toEqual(['c000000', 'c000001', 'c000002', 'c000003', 'c000004', 'c000005 (head)'])
    expect(yValues(drawn)[0]).toBeLessThanOrEqual(580)
    expect(Math.max(...yValues(drawn))).toBeGreaterThanOrEqual(585)
  })

  it('draws 30 points and 30 labels when fed 1,000 builds, the head last', async () => {
    const drawn = await draw(trendChart(builds(1000), { metric: 'compressed', budget: null }))
    expect(drawn.title).toBe('Image size (compressed), last 30 builds')
    expect(drawn.lines[0]).toHaveLength(30)
    expect(drawn.xLabels).toHaveLength(30)
    expect(drawn.xLabels[0]).toBe('c000970')
    expect(drawn.xLabels[29]).toBe('c000999 (head)')
    // GB now: 1.55–1.58 GB of sizes on the axis.
    expect(yValues(drawn)[0]).toBeLessThanOrEqual(1.55)
  })

  it('draws the budget as a flat second line above the sizes, on an axis that reaches it', async () => {
    const drawn = await draw(trendChart(builds(6), { metric: 'uncompressed', budget: 700_000_000 }))
    expect(drawn.title).toBe('Image size (uncompressed), last 6 builds, budget 700 MB')
    const [sizes, budget] = drawn.lines
    expect(budget).toHaveLength(6)
    expect(new Set((budget ?? []).map(([, y]) => y)).size).toBe(1)
    const budgetY = budget?.[0]?.[1] ?? 0
    for (const [, y] of sizes ?? []) expect(y).toBeGreaterThan(budgetY)
    expect(Math.max(...yValues(drawn))).toBeGreaterThanOrEqual(700)
  })

  it('draws one build over its budget as two bars, the budget in front of the taller size', async () => {
    const drawn = await draw(trendChart(builds(1), { metric: 'uncompressed', budget: 25_000_000 }))
    const [size, budget] = drawn.bars.map((bars) => bars[0]?.height ?? 0)
    expect(drawn.bars).toHaveLength(2)
    expect(size).toBeGreaterThan(budget ?? Infinity)
    expect(budget).toBeGreaterThan(0)
  })

  it('fails to read a chart that did not draw', async () => {
    await expect(draw('```mermaid\nxychart-beta\n    line [1, oops]\n```')).rejects.toThrow()
  })
})
