/**
 * What "text from an image stays text" means for a markdown body, checked on the raw text GitHub
 * receives. Each check names one thing a hostile name must not do.
 */
import { expect } from '@jest/globals'

/** Numeric references decoded, the way GitHub's text nodes see them after rendering. */
function decoded(markdown: string): string {
  return markdown.replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
}

/** Within a line: a control character (CR, NUL, ESC…), a line separator or a bidi override. */
export const RAW_CONTROL = /[\p{Cc}\u2028\u202e]/u

/** Our own headings; any other line starting with `#` came from the data. */
const OUR_HEADING = /^#{3,5} (✅|❌) image-size-gate|^#### Against the baseline$|^#### linux\//

/** Checks the rendered part; the marker is a hidden comment with its own escaping (github.ts), never rendered. */
export function expectInert(posted: string): void {
  const markdown = posted.replace(/^<!-- image-size-gate: key=".*" -->\n/, '')
  const lines = markdown.split('\n')
  // Every <details> we open we close, and nobody else opens or closes one.
  expect(markdown.split('<details>').length).toBe(markdown.split('</details>').length)
  expect(markdown.split(/<\/?details/).length).toBe(2 * (markdown.split('<details>').length - 1) + 1)
  expect(lines.filter((line) => /^\s*#/.test(line) && !OUR_HEADING.test(line))).toEqual([])
  expect(lines.filter((line) => /^\s*[-*+] \[/.test(line))).toEqual([])
  expect(markdown).not.toMatch(/<img/i)
  expect(lines.filter((line) => RAW_CONTROL.test(line))).toEqual([])
  // A mention is `@name` after a non-word character in text GitHub links: outside <code>, references decoded.
  const outsideCode = decoded(markdown.replace(/<code>.*?<\/code>/g, ''))
  expect(outsideCode).not.toMatch(/(^|\W)@[A-Za-z0-9]/)
  // A stray backtick could open a code span; our only one is around FROM (rule names are <code> links).
  expect(markdown.replace(/`FROM`/g, '')).not.toContain('`')
  expectWholeRows(lines)
}

/** Every row of a table has as many unescaped pipes as its header. */
function expectWholeRows(lines: string[]): void {
  let header: number | null = null
  for (const line of lines) {
    if (!line.startsWith('|')) {
      header = null
      continue
    }
    const pipes = line.split(/(?<!\\)\|/).length
    header ??= pipes
    expect({ line, pipes }).toEqual({ line, pipes: header })
  }
}
