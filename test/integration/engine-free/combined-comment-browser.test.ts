/**
 * The combined comment of 4 and of 100 images, rendered in headless Chromium as GitHub would show it:
 * the markdown made HTML by marked (GFM), every ```mermaid block drawn by the mermaid bundle from
 * node_modules (no CDN). Every chart must draw, every section must be well-formed, and no image text
 * may become an element.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { marked } from 'marked'
import type { Browser } from 'playwright-core'
import { combinedCommentBody } from '../../../src/github/pull-request.js'
import { DEFAULT_RULE_PAGES } from '../../../src/report/rule-page.js'
import { launchChromium, mermaidBundle } from '../../support/chromium.js'
import { imageReport, imageReports } from '../../support/report-set.js'

// 120 s for a test or hook: drawing the 100-image comment's charts in Chromium took 25 s on a loaded 2-core machine.
jest.setTimeout(120_000)

let browser: Browser

beforeAll(async () => {
  browser = await launchChromium()
}, 900_000)

afterAll(async () => {
  await browser?.close()
})

/** What the page shows once every chart has been drawn. */
interface Rendered {
  charts: number
  drawn: number
  /** Charts whose SVG has no pie slice: one that failed to draw. */
  empty: number
  errors: string[]
  details: number
  summaries: string[]
  images: number
  tableRows: number
}

/** The little of the DOM the page side reads; the project compiles without the DOM library. */
interface PageNode {
  textContent: string | null
  className: string
  innerHTML: string
  querySelector(selector: string): PageNode | null
  querySelectorAll(selector: string): PageNode[]
  replaceWith(node: PageNode): void
}
interface PageDocument extends PageNode {
  body: PageNode
  createElement(tag: string): PageNode
}
interface MermaidApi {
  initialize(options: object): void
  render(id: string, source: string): Promise<{ svg: string }>
}

async function render(markdown: string): Promise<Rendered> {
  const html = await marked.parse(markdown, { gfm: true })
  const page = await browser.newPage()
  try {
    await page.setContent('<!doctype html><html><body></body></html>')
    await page.addScriptTag({ content: mermaidBundle() })
    return await page.evaluate(async (body): Promise<Rendered> => {
      const doc = (globalThis as unknown as { document: PageDocument }).document
      const api = (globalThis as unknown as { mermaid: MermaidApi }).mermaid
      api.initialize({ startOnLoad: false })
      doc.body.innerHTML = body
      const blocks = [...doc.querySelectorAll('pre > code.language-mermaid')]
      const errors: string[] = []
      let drawn = 0
      let empty = 0
      for (const [index, block] of blocks.entries()) {
        try {
          const { svg } = await api.render(`chart${index}`, block.textContent ?? '')
          drawn++
          if (!svg.includes('pieCircle')) empty++
        } catch (error) {
          errors.push(String(error))
        }
      }
      return {
        charts: blocks.length,
        drawn,
        empty,
        errors,
        details: doc.querySelectorAll('details').length,
        summaries: [...doc.querySelectorAll('details > summary')].map((node) => node.textContent ?? ''),
        images: doc.querySelectorAll('img').length,
        tableRows: doc.querySelector('table')?.querySelectorAll('tbody > tr').length ?? 0
      }
    }, html)
  } finally {
    await page.close()
  }
}

const body = (reports: ReturnType<typeof imageReports>) =>
  combinedCommentBody(
    reports.map((report, index) => ({ file: `reports/${index}.json`, report })),
    [],
    'image-size-gate',
    DEFAULT_RULE_PAGES
  )

describe('the combined comment in a real browser', () => {
  it('of 4 images: a table of 4 rows and a total, a section each, every chart drawn, no image text as an element', async () => {
    const hostile = imageReport({ title: '</summary></details><img src=x onerror=alert(1)>@octocat', size: 9_000_000 })
    const shown = await render(body([...imageReports(3, 2), hostile]))
    expect(shown.tableRows).toBe(5)
    expect(shown.summaries.filter((summary) => /^(❌|✅|⚠️)/u.test(summary))).toHaveLength(4)
    expect(shown.summaries).toContainEqual(expect.stringContaining('</summary></details><img src=x onerror=alert(1)>@\u200Boctocat'))
    expect(shown.images).toBe(0)
    expect(shown.charts).toBe(4)
    expect([shown.drawn, shown.empty, shown.errors]).toEqual([4, 0, []])
  })

  it('of 100 images: every row stays, and every chart that fitted draws', async () => {
    const shown = await render(body(imageReports(100, 9)))
    expect(shown.tableRows).toBe(101)
    expect(shown.charts).toBeGreaterThan(0)
    expect([shown.drawn, shown.empty, shown.errors]).toEqual([shown.charts, 0, []])
    expect(shown.images).toBe(0)
  })
})
