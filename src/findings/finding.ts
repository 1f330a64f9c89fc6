import type { Rule } from './rule.js'

/** How bad a finding is: errors fail the job. */
export type Severity = 'error' | 'warning' | 'notice'

export interface Finding {
  rule: Rule
  severity: Severity
  message: string
  path?: string
  layer?: number
  /** Dockerfile line the finding points at, for annotations. */
  line?: number
}

/** Cuts image-supplied text to `length` characters, so one long instruction cannot swamp a message. */
export function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`
}

/** "a, b and c": items joined as a sentence lists them. */
export function listOf(items: string[], conjunction = 'and'): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`
}

/** "1 layer", "3 layers": a count with its noun, singular for one. */
export function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}
