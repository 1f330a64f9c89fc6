const BARS = '▁▂▃▄▅▆▇█'

/** One bar per value, scaled from the smallest to the largest; all equal values draw the middle bar. */
export function sparkline(values: readonly number[]): string {
  if (values.length === 0) return ''
  const low = Math.min(...values)
  const high = Math.max(...values)
  const top = BARS.length - 1
  return values.map((value) => BARS[high === low ? Math.floor(top / 2) : Math.round(((value - low) / (high - low)) * top)]).join('')
}
