/** `120000` → `120 s`, `1500` → `1.5 s`: durations in messages, formatted in one place; timings may want more `decimals`. */
export function seconds(ms: number, decimals = 1): string {
  return `${Number((Math.max(0, ms) / 1000).toFixed(decimals))} s`
}
