import { describe, expect, it } from '@jest/globals'
import {
  decimalUnit,
  formatBytes,
  formatDelta,
  formatLimit,
  formatPercent,
  formatShare,
  parseOptionalSize,
  parseSize
} from '../../src/size.js'

describe('parseSize', () => {
  it.each([
    ['25MB', 25_000_000],
    ['25 MB', 25_000_000],
    ['25mb', 25_000_000],
    ['25MiB', 25 * 1024 * 1024],
    ['0.5GB', 500_000_000],
    ['1.2e7', 12_000_000],
    ['1048576', 1_048_576],
    ['512kB', 512_000],
    ['4KiB', 4096],
    ['2GiB', 2 * 1024 ** 3],
    [' 10 B ', 10]
  ])('reads %s', (text, bytes) => {
    expect(parseSize(text, 'max-size')).toBe(bytes)
  })

  it.each(['twelve megs', '25XB', 'MB', '-5MB', '1..2MB', ''])('rejects %p naming the input', (text) => {
    expect(() => parseSize(text, 'max-size')).toThrow(
      `max-size: cannot read '${text}' as a size; use e.g. 25MB, 25MiB, 0.5GB or a byte count`
    )
  })

  it.each([
    ['0', "max-size: '0' is 0 bytes; give a size above zero, e.g. 25MB"],
    ['0.49', "max-size: '0.49' is 0 bytes; give a size above zero, e.g. 25MB"],
    ['1e305TB', "max-size: '1e305TB' is too large to be a size; use e.g. 25MB or 2GB"],
    ['1e16', "max-size: '1e16' is too large to be a size; use e.g. 25MB or 2GB"]
  ])('rejects %p: a size is a whole number of bytes above zero, exact in a double', (text, message) => {
    expect(() => parseSize(text, 'max-size')).toThrow(new Error(message))
  })

  it('takes 0 where zero is allowed, and the largest exact byte count', () => {
    expect(parseSize('0MB', 'max-growth', { zero: true })).toBe(0)
    expect(parseSize(String(Number.MAX_SAFE_INTEGER), 'max-size')).toBe(Number.MAX_SAFE_INTEGER)
  })

  it('treats an empty optional size as unset', () => {
    expect(parseOptionalSize('  ', 'max-size')).toBeUndefined()
    expect(parseOptionalSize('1kB', 'max-size')).toBe(1000)
  })
})

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.00 kB'],
    [1_234_567, '1.23 MB'],
    [12_345_678, '12.3 MB'],
    [812_000_000, '812 MB'],
    [1_100_000_000, '1.10 GB'],
    [-2_500_000, '-2.50 MB']
  ])('formats %d as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text)
  })

  it.each([
    [0, 'B', 1],
    [999, 'B', 1],
    [1000, 'kB', 1e3],
    [583_416_710, 'MB', 1e6],
    [-2_500_000_000, 'GB', 1e9],
    [5e15, 'TB', 1e12]
  ])('shows %d in %s, the unit formatBytes uses', (bytes, name, unit) => {
    expect(decimalUnit(bytes)).toEqual({ name, bytes: unit })
  })

  it('formats deltas and percentages with a sign', () => {
    expect(formatDelta(1_200_000)).toBe('+1.20 MB')
    expect(formatDelta(-300)).toBe('-300 B')
    expect(formatDelta(0)).toBe('±0 B')
    expect(formatPercent(125, 1000)).toBe('+12.5%')
    expect(formatPercent(-50, 1000)).toBe('-5.0%')
    expect(formatPercent(10, 0)).toBe('new')
  })
})

describe('formatLimit and formatShare', () => {
  it('shows a limit as the user wrote it, a size or a percentage', () => {
    expect(formatLimit({ kind: 'bytes', value: 25_000_000 })).toBe(formatBytes(25_000_000))
    expect(formatLimit({ kind: 'percent', value: 10 })).toBe('10%')
  })

  it('shows a share with one decimal', () => {
    expect(formatShare(12.345)).toBe('12.3%')
    expect(formatShare(0)).toBe('0.0%')
  })
})
