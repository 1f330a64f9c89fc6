import { UserError } from './errors.js'

/** Which size a budget is held to: the unpacked layers, or the layers as pushed. */
export type SizeMetric = 'uncompressed' | 'compressed'

/** What the growth budget judges: the whole image, or only the layers its Dockerfile adds on top of the FROM image. */
export type GrowthScope = 'image' | 'own-layers'

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
const PERCENT_PATTERN = /^([0-9]*\.?[0-9]+)\s*%$/

/** A budget relative to something: bytes, or a percentage (of the baseline for growth, of the image for waste). */
export interface Limit {
  kind: 'bytes' | 'percent'
  value: number
}

/** The bytes `text` names, rounded, or undefined when it is not a size at all; not range-checked. */
function bytesOf(text: string): number | undefined {
  const match = SIZE_PATTERN.exec(text.trim())
  const multiplier = match ? UNITS.get((match[2] ?? '').toLowerCase()) : undefined
  return match && multiplier !== undefined ? Math.round(Number(match[1]) * multiplier) : undefined
}

/**
 * Reads a human size such as `25MB`, `25 MB`, `25MiB`, `0.5GB`, `1.2e7` or `1048576`: a whole number
 * of bytes, exact in a double, above zero unless `zero` allows 0. `input` names the setting in the error.
 */
export function parseSize(text: string, input: string, { zero = false }: { zero?: boolean } = {}): number {
  const bytes = bytesOf(text)
  if (bytes === undefined) {
    throw new UserError(`${input}: cannot read '${text}' as a size; use e.g. 25MB, 25MiB, 0.5GB or a byte count`)
  }
  // 1e305TB is Infinity; past 2^53 bytes (9 PB) a double no longer counts single bytes.
  if (!Number.isSafeInteger(bytes)) throw new UserError(`${input}: '${text.trim()}' is too large to be a size; use e.g. 25MB or 2GB`)
  if (bytes === 0 && !zero) throw new UserError(`${input}: '${text.trim()}' is 0 bytes; give a size above zero, e.g. 25MB`)
  return bytes
}

/** Like parseSize, but an empty value means "not set". */
export function parseOptionalSize(text: string, input: string): number | undefined {
  return text.trim() === '' ? undefined : parseSize(text, input)
}

/** `10%` or a size such as `5MB` (0 allowed: nothing may grow, or be wasted); empty means no limit. */
export function parseLimit(text: string, input: string, what: string): Limit | undefined {
  const value = text.trim()
  if (value === '') return undefined
  const percent = PERCENT_PATTERN.exec(value)
  if (!percent && bytesOf(value) === undefined) throw new UserError(`${input}: cannot read '${value}' as ${what}; use e.g. 10% or 5MB`)
  if (!percent) return { kind: 'bytes', value: parseSize(value, input, { zero: true }) }
  const share = Number(percent[1])
  if (!Number.isFinite(share)) throw new UserError(`${input}: '${value}' is too large to be a percentage; use e.g. 10%`)
  return { kind: 'percent', value: share }
}

const DECIMAL_STEPS = ['B', 'kB', 'MB', 'GB', 'TB'] as const

/** A decimal unit: its name and how many bytes it holds. */
export interface SizeUnit {
  name: (typeof DECIMAL_STEPS)[number]
  bytes: number
}

/** The decimal unit formatBytes would show `bytes` in: the largest whose value is at least 1 (B below 1 kB). */
export function decimalUnit(bytes: number): SizeUnit {
  let step = 0
  while (Math.abs(bytes) >= 1000 ** (step + 1) && step < DECIMAL_STEPS.length - 1) step++
  return { name: DECIMAL_STEPS[step] ?? 'B', bytes: 1000 ** step }
}

/** Formats bytes with decimal units (as `docker image ls` does), three significant digits. */
export function formatBytes(bytes: number): string {
  const unit = decimalUnit(bytes)
  const value = Math.abs(bytes) / unit.bytes
  const sign = bytes < 0 ? '-' : ''
  const digits = unit.bytes === 1 ? 0 : value >= 100 ? 0 : value >= 10 ? 1 : 2
  return `${sign}${value.toFixed(digits)} ${unit.name}`
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

/** A limit as the user wrote it: a size, or a percentage, e.g. `25.0 MB` or `10%`. */
export function formatLimit(limit: Limit): string {
  return limit.kind === 'bytes' ? formatBytes(limit.value) : `${limit.value}%`
}

/** A part of a whole in percent, with one decimal, e.g. `12.5%`. */
export function formatShare(percent: number): string {
  return `${percent.toFixed(1)}%`
}
