/**
 * How data from outside (a saved report, a history line, an event payload) is checked: JSON text through
 * `Json`, then one zod schema, whose first problem becomes one sentence, e.g. `image.size should be a
 * whole number ≥ 0, not -1`. The value types that several records share are defined here once.
 */
import { z } from 'zod'

/** JSON text parsed; text that is not JSON is one issue, `valid JSON`. */
export const Json = z.string().transform((text, context): unknown => {
  try {
    return JSON.parse(text) as unknown
  } catch {
    context.addIssue({ code: 'custom', message: 'valid JSON', input: text })
    return z.NEVER
  }
})

const COUNT = 'a whole number ≥ 0'
/** A whole number of bytes, files or lines: finite, not negative, exact in a double. */
export const Count = z.int({ error: COUNT }).min(0, { error: COUNT })

const SHA = 'a commit SHA (40 or 64 hex digits)'
export const COMMIT_SHA_PATTERN = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/
/** Only hex, so a SHA read from a file can never be read as an option by git. */
export const CommitSha = z.string({ error: SHA }).regex(COMMIT_SHA_PATTERN, { error: SHA })

/** Far above any real list; a damaged or hostile file cannot make one list unboundedly long. */
export const MAX_LIST_ITEMS = 100_000

/** A list of `item`, bounded. */
export function List<T extends z.ZodType>(item: T) {
  return z.array(item).max(MAX_LIST_ITEMS)
}

/** A list of `item` with at least one. */
export function NonEmptyList<T extends z.ZodType>(item: T) {
  return z.array(item, { error: 'a non-empty array' }).min(1, { error: 'a non-empty array' }).max(MAX_LIST_ITEMS)
}

/** The first field that is not as expected, as one sentence without the file's name. */
export class SchemaError extends Error {
  override readonly name = 'SchemaError'
}

/** The value as `schema` reads it; throws a SchemaError naming the first field that is wrong. */
export function checked<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value, { error: expectation, reportInput: true })
  if (result.success) return result.data
  throw new SchemaError(problemOf(result.error))
}

/** `at should be expected, not found`, for the first issue. */
function problemOf(error: z.ZodError): string {
  const [issue] = error.issues
  if (!issue) return 'the top level is not as expected'
  return `${pathOf(issue.path)} should be ${issue.message}, not ${found(issue)}`
}

const TYPE_NAMES: Record<string, string> = {
  object: 'an object',
  record: 'an object',
  array: 'an array',
  string: 'a string',
  boolean: 'true or false',
  number: 'a number'
}

/** What zod's own checks expected, in our words; a schema's own `error` comes first. */
function expectation(issue: z.core.$ZodRawIssue): string {
  if (issue.code === 'invalid_type') return TYPE_NAMES[issue.expected] ?? `a value of type ${issue.expected}`
  if (issue.code === 'invalid_value') return valuesOf(issue.values)
  if (issue.code === 'too_big' && issue.origin === 'array') return `an array of at most ${issue.maximum} items`
  if (issue.code === 'too_small' && issue.origin === 'number') return `a number ≥ ${issue.minimum}`
  return 'valid'
}

function valuesOf(values: readonly unknown[]): string {
  const names = values.map((value) => JSON.stringify(value))
  return names.length > 2 ? `one of ${names.join(', ')}` : names.join(' or ')
}

/** `image.layers[0].size`; keys that are not plain names are quoted, and cut short. */
function pathOf(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'the top level'
  return path
    .map((key, index) => {
      if (typeof key === 'number') return `[${key}]`
      const name = String(key)
      if (/^[A-Za-z_$][\w$-]*$/.test(name)) return index === 0 ? name : `.${name}`
      return `[${JSON.stringify(name.length > 40 ? `${name.slice(0, 39)}…` : name)}]`
    })
    .join('')
}

/** What was there instead, said briefly: `null`, `-1`, `a string`, `missing` (never the text itself). */
function found(issue: z.core.$ZodIssue): string {
  const value = issue.input
  if ((issue.code === 'too_small' || issue.code === 'too_big') && Array.isArray(value)) {
    return value.length === 0 ? 'an empty one' : `${value.length} items`
  }
  if (value === undefined) return 'missing'
  if (value === '') return 'an empty string'
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}
