import { UserError } from './errors.js'

/** Multipliers for every unit `parseSize` accepts; kB/MB/GB are decimal, KiB/MiB/GiB binary. */
const UNITS: ReadonlyMap<string, number> = new Map([
  ['', 1],
  ['b', 1],
  ['k', 1e3],
  ['kb', 1e3],
  ['m', 1e6],
  ['mb', 1e6],
  ['g', 1e9],
  ['gb', 1e9],
  ['t', 1e12],
  ['tb', 1e12],
  ['kib', 1024],
  ['mib', 1024 ** 2],
  ['gib', 1024 ** 3],
  ['tib', 1024 ** 4]
])

const SIZE_PATTERN = /^([0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*([a-z]*)$/i

/**
 * Reads a human size such as `25MB`, `25 MB`, `25MiB`, `0.5GB`, `1.2e7` or `1048576`.
 * `input` names the setting in the error message.
 */
export function parseSize(text: string, input: string): number {
  const match = SIZE_PATTERN.exec(text.trim())
  const multiplier = match ? UNITS.get((match[2] ?? '').toLowerCase()) : undefined
  const value = match ? Number(match[1]) : NaN
  if (!match || multiplier === undefined || !Number.isFinite(value)) {
    throw new UserError(`${input}: cannot read '${text}' as a size; use e.g. 25MB, 25MiB, 0.5GB or a byte count`)
  }
  return Math.round(value * multiplier)
}

/** Like parseSize, but an empty value means "not set". */
export function parseOptionalSize(text: string, input: string): number | undefined {
  return text.trim() === '' ? undefined : parseSize(text, input)
}

const DECIMAL_STEPS = ['B', 'kB', 'MB', 'GB', 'TB'] as const

/** Formats bytes with decimal units (as `docker image ls` does), three significant digits. */
export function formatBytes(bytes: number): string {
  let value = Math.abs(bytes)
  let step = 0
  while (value >= 1000 && step < DECIMAL_STEPS.length - 1) {
    value /= 1000
    step++
  }
  const sign = bytes < 0 ? '-' : ''
  const digits = step === 0 ? 0 : value >= 100 ? 0 : value >= 10 ? 1 : 2
  return `${sign}${value.toFixed(digits)} ${DECIMAL_STEPS[step]}`
}

/** A signed size change, e.g. `+1.20 MB` or `-300 B`; zero is `±0 B`. */
export function formatDelta(bytes: number): string {
  if (bytes === 0) return '±0 B'
  return bytes > 0 ? `+${formatBytes(bytes)}` : formatBytes(bytes)
}

/** A ratio as a signed percentage with one decimal, e.g. `+12.5%`. */
export function formatPercent(delta: number, base: number): string {
  if (base === 0) return delta === 0 ? '±0%' : 'new'
  const percent = (delta / base) * 100
  if (Math.abs(percent) < 0.05) return '±0%'
  return `${percent > 0 ? '+' : ''}${percent.toFixed(1)}%`
}
