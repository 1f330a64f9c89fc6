/**
 * A pull-request comment as GitHub shows it: its markdown rendered with GitHub-flavoured tables and raw
 * HTML (details, code), styled by github-markdown-css, drawn by headless Chromium and read back.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { marked } from 'marked'
import type { Browser } from 'playwright-core'

const style = readFileSync(createRequire(import.meta.url).resolve('github-markdown-css/github-markdown-light.css'), 'utf8')

/** Wide as a comment in a pull request's conversation tab. */
const WIDTH = 880

export interface RenderedComment {
  png: Buffer
  /** The text a reader sees, folded details included. */
  text: string
  /** Every link's href. */
  links: string[]
  /** Drawn size in CSS pixels. */
  width: number
  height: number
}

/** The little of the DOM the page side reads; the project compiles without the DOM library. */
interface PageNode {
  textContent: string | null
  getAttribute(name: string): string | null
  querySelectorAll(selector: string): Iterable<PageNode>
}

export async function renderComment(browser: Browser, markdown: string): Promise<RenderedComment> {
  const html = await marked.parse(markdown, { gfm: true })
  const page = await browser.newPage({ viewport: { width: WIDTH, height: 600 }, deviceScaleFactor: 1 })
  try {
    await page.setContent(
      `<!doctype html><html><head><meta charset="utf-8"><style>${style}</style>` +
        '<style>body { margin: 0; background: #fff } .markdown-body { box-sizing: border-box; padding: 16px 24px }</style>' +
        `</head><body><article class="markdown-body">${html}</article></body></html>`
    )
    const body = page.locator('article.markdown-body')
    const box = await body.boundingBox()
    const read = await body.evaluate((node: unknown) => {
      const article = node as PageNode
      const hrefs = [...article.querySelectorAll('a')].map((a) => a.getAttribute('href') ?? '')
      return { text: article.textContent ?? '', links: hrefs }
    })
    return { png: await body.screenshot({ type: 'png' }), ...read, width: box?.width ?? 0, height: box?.height ?? 0 }
  } finally {
    await page.close()
  }
}
