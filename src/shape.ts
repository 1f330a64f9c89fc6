/**
 * Checks that data read back from a file (a saved report, an event payload) has the shape the code
 * expects, before any of it is used. A check returns the value typed, or throws a ShapeError naming
 * the first field that is wrong.
 */

/** The first field that is not as expected, e.g. at `image.layers[0]`, expected `an object`, got `null`. */
export class ShapeError extends Error {
  override readonly name = 'ShapeError'
  constructor(
    readonly at: string,
    readonly expected: string
  ) {
    super(`${at || 'the top level'} should be ${expected}`)
  }
}

/** Checks one value found at `at` (a dotted path; '' for the whole document). */
export type Check<T> = (value: unknown, at: string) => T

type Checked<C> = C extends Check<infer T> ? T : never

/** What was found instead, said briefly: `null`, `-1`, `a string`, `missing` (never the text itself). */
function found(value: unknown): string {
  if (value === undefined) return 'missing'
  if (value === '') return 'an empty string'
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

function fail(at: string, expected: string, value: unknown): never {
  throw new ShapeError(at, `${expected}, not ${found(value)}`)
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export const string: Check<string> = (value, at) => (typeof value === 'string' ? value : fail(at, 'a string', value))

export const nonEmptyString: Check<string> = (value, at) =>
  typeof value === 'string' && value !== '' ? value : fail(at, 'a non-empty string', value)

export const boolean: Check<boolean> = (value, at) => (typeof value === 'boolean' ? value : fail(at, 'true or false', value))

/** A whole number of bytes, files or lines: finite, not negative, exact in a double. */
export const count: Check<number> = (value, at) =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : fail(at, 'a whole number ≥ 0', value)

export const positiveInteger: Check<number> = (value, at) =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : fail(at, 'a whole number > 0', value)

export function literal<const V extends string | number | boolean>(expected: V): Check<V> {
  return (value, at) => (value === expected ? expected : fail(at, JSON.stringify(expected), value))
}

export function matching(pattern: RegExp, what: string): Check<string> {
  return (value, at) => (typeof value === 'string' && pattern.test(value) ? value : fail(at, what, value))
}

export function nullable<T>(check: Check<T>): Check<T | null> {
  return (value, at) => (value === null ? null : check(value, at))
}

/** A field older writers did not have: absent reads as `fallback`. */
export function optional<T, F>(check: Check<T>, fallback: F): Check<T | F> {
  return (value, at) => (value === undefined ? fallback : check(value, at))
}

export function arrayOf<T>(check: Check<T>, options: { nonEmpty?: boolean } = {}): Check<T[]> {
  return (value, at) => {
    if (!Array.isArray(value)) return fail(at, options.nonEmpty ? 'a non-empty array' : 'an array', value)
    if (options.nonEmpty && value.length === 0) throw new ShapeError(at, 'a non-empty array, not an empty one')
    return value.map((item, index) => check(item, `${at}[${index}]`))
  }
}

/** An object with at least these fields; other fields are ignored and not copied. */
export function object<F extends Record<string, Check<unknown>>>(fields: F): Check<{ [K in keyof F]: Checked<F[K]> }> {
  return (value, at) => {
    if (!isRecord(value)) return fail(at, 'an object', value)
    const result: Record<string, unknown> = {}
    for (const [key, check] of Object.entries(fields)) result[key] = check(value[key], at ? `${at}.${key}` : key)
    return result as { [K in keyof F]: Checked<F[K]> }
  }
}
