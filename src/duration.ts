/** `120000` → `120 s`, `1500` → `1.5 s`: durations in messages, formatted in one place. */
export function seconds(ms: number): string {
  return `${Number((Math.max(0, ms) / 1000).toFixed(1))} s`
}
