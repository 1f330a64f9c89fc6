/**
 * Text that came from an image or a user (file names, ELF strings, history, ENTRYPOINTs, labels,
 * references, comment keys) on its way into markdown, a terminal, a log line or an annotation.
 *
 * Every markdown fragment made here is inline, on one line and safe in a table cell: it cannot open
 * or close HTML, start a block, end a cell, mention a user, load an image or forge our marker.
 */
import { truncate } from '../findings/finding.js'
import { formatBytes } from '../size.js'

/** C0/C1 controls, line and paragraph separators, bidi overrides and isolates, and lone surrogates. */
const HIDDEN = /[\p{Cc}\u2028\u2029\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]|\p{Cs}/gu
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '\\0' }

/** Characters with a meaning anywhere in a GFM line; each becomes a numeric reference, which is never syntax. */
const SYNTAX = /[&<>\\`*_~[\]|$#@]/g

/** At the start of a line these begin a list, a heading underline or an indented block. */
const LEADING = /^(?:[-+=\s]|\d+[.)])/

/**
 * GitHub links `@user` and `#123` in the rendered text, after references are decoded, so escaping
 * the `@` would not stop the notification; a zero-width space after it does (as Renovate does).
 */
const ZERO_WIDTH_SPACE = '&#8203;'
const REFERENCE_START = /[A-Za-z0-9]/
const ENTITY_START = /[#A-Za-z0-9]/

/** The text on one line, every invisible or line-breaking character shown as an escape such as `\n`. */
export function showControls(text: string): string {
  return text.replace(HIDDEN, (char) => NAMED[char] ?? escapeSequence(char.charCodeAt(0)))
}

function escapeSequence(code: number): string {
  const hex = code.toString(16).toUpperCase()
  return code < 0x100 ? `\\x${hex.padStart(2, '0')}` : `\\u${hex.padStart(4, '0')}`
}

function reference(char: string): string {
  return `&#${char.charCodeAt(0)};`
}

/** Markdown syntax as references, and optionally mentions and issue references broken; `line` is one line. */
function encodeSyntax(line: string, breakReferences: boolean): string {
  return line.replace(SYNTAX, (char, offset: number) => {
    const next = line.charAt(offset + 1)
    // An `&` starts a reference only before a name or `#`; `&&` stays readable.
    if (char === '&' && !ENTITY_START.test(next)) return char
    const encoded = char === '@' ? char : reference(char)
    const referenceStart = (char === '@' || char === '#') && REFERENCE_START.test(next)
    return breakReferences && referenceStart ? `${encoded}${ZERO_WIDTH_SPACE}` : encoded
  })
}

/** Plain text in markdown, safe wherever it stands on a line; only a zero-width space after `@` or `#` is added. */
export function escapeText(text: string): string {
  const line = showControls(text)
  const lead = LEADING.exec(line)?.[0] ?? ''
  // Only the lead's last character can make it a block marker ("-", "1." / "1)"), so that one is encoded.
  const start = lead === '' ? '' : `${lead.slice(0, -1)}${reference(lead.slice(-1))}`
  return `${start}${encodeSyntax(line.slice(lead.length), true)}`
}

/**
 * Monospaced text. A backtick code span cannot escape anything inside it, so `<img` or a copy of our
 * marker would stay in the raw body; `<code>` with encoded text keeps the body itself clean. GitHub
 * links no mentions inside `<code>`, so it needs no zero-width spaces, and a copied path stays exact.
 */
export function codeSpan(text: string): string {
  return `<code>${encodeSyntax(showControls(text), false)}</code>`
}

/** Characters a markdown link's destination may hold as they are; every other one is percent-encoded. */
const URL_SAFE = /[^A-Za-z0-9\-._~:/%]/g

/**
 * A link to one of our own https pages; `text` is a fragment made here. Percent-encoding the
 * destination leaves nothing in it (a parenthesis, a pipe, a space) that could end the link or a cell.
 */
export function link(text: string, url: string): string {
  const parsed = new URL(url)
  if (parsed.protocol !== 'https:') throw new Error(`a link must be https: ${url}`)
  // URL's href has already encoded every non-ASCII character, so what is left is one byte each.
  const destination = parsed.href.replace(URL_SAFE, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)
  return `[${text}](${destination})`
}

/** A table row of fragments made here (or of our own fixed text), each already cell-safe. */
export function tableRow(cells: string[]): string {
  return `| ${cells.join(' | ')} |`
}

/** A size that may be unknown (`–`) or an estimate (`~` before it), the same in every table. */
export function sizeCell(value: number | null, exact: boolean): string {
  if (value === null) return '–'
  return `${exact ? '' : '~'}${formatBytes(value)}`
}

/** An image ID as people quote it: the first 12 hex digits, without `sha256:`. */
export function shortImageId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12)
}

/** A layer's instruction, at most `length` characters of it, with its Dockerfile line when known. */
export function instructionCell(layer: { instruction: string | null; dockerfileLine: number | null }, length = 80): string {
  const text = layer.instruction ? codeSpan(truncate(layer.instruction, length)) : '_base image_'
  return layer.dockerfileLine === null ? text : `${text} (line ${layer.dockerfileLine})`
}
