import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { ElfScanner } from '../../../src/binary/elf.js'
import { modulePies } from '../../../src/report/goexplain.js'
import { launchChromium, mermaidBundle } from '../../support/chromium.js'

// 60 s for a test or hook: rendering a chart in headless Chromium: 9 s at most on a loaded 2-core machine.
jest.setTimeout(60_000)

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const gomod = join(root, 'test/.fixtures/gomod')
let browser: Browser

beforeAll(async () => {
  const bin = join(root, 'test/.fixtures/bin')
  execFileSync('bash', [join(root, 'scripts/make-go-module-fixtures.sh'), gomod, join(bin, 'go1.24/usr/lib/go-1.24')], {
    stdio: ['ignore', 'ignore', 'inherit']
  })
  browser = await launchChromium()
}, 900_000)

afterAll(async () => {
  await browser?.close()
})

/** The summary's markdown for one real Go binary, as render.ts and comment.ts emit it. */
function pieMarkdown(name: string): string {
  const data = readFileSync(join(gomod, name))
  const scanner = new ElfScanner(data.length)
  scanner.push(data)
  const attribution = scanner.finish()?.goAttribution ?? null
  return modulePies([{ path: '/app', size: data.length, goAttribution: attribution }]).join('\n\n')
}

/** Draws the first ```mermaid block of `markdown` with the mermaid bundle from node_modules; returns the SVG. */
async function draw(markdown: string): Promise<string> {
  const block = /```mermaid\n([\s\S]*?)\n```/.exec(markdown)?.[1]
  if (!block) throw new Error('no mermaid block in the markdown')
  const page = await browser.newPage()
  try {
    await page.setContent('<!doctype html><html><body></body></html>')
    await page.addScriptTag({ content: mermaidBundle() })
    return await page.evaluate(async (source) => {
      const api = (
        globalThis as unknown as { mermaid: { initialize(o: object): void; render(id: string, s: string): Promise<{ svg: string }> } }
      ).mermaid
      api.initialize({ startOnLoad: false })
      return (await api.render('pie', source)).svg
    }, block)
  } finally {
    await page.close()
  }
}

describe('the Mermaid pie in a real browser', () => {
  it('labels the chart with the modules and the non-code slice, largest first', async () => {
    const svg = await draw(pieMarkdown('add'))
    const legend = [...svg.matchAll(/<g class="legend"[^>]*>[\s\S]*?<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1])
    expect(legend).toEqual([
      'std go1.19.8',
      'golang.org/x/text',
      'github.com/google/uuid',
      'example.com/app',
      'outside packages (pclntab, types, strings, DWARF, headers)'
    ])
    // Mermaid draws no arc for a slice under 1%: uuid (0.1%) and the app's own code (0.03%) are legend only.
    expect(svg.match(/class="pieCircle"/g)).toHaveLength(3)
    expect(svg).toContain('/app by module')
  })

  it('fails to find labels in a chart that did not draw', async () => {
    await expect(draw('```mermaid\npie title x\n    "a" : oops\n```')).rejects.toThrow()
  })
})
