/** A deep copy of the JSON value `json` with the value at `path` (e.g. ['image', 'layers', 0, 'size']) replaced. */
export function withValueAt(json: unknown, path: readonly (string | number)[], value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(json)) as unknown
  const keys = [...path]
  const last = keys.pop()
  if (last === undefined) return value
  const parent = keys.reduce((node: unknown, key) => (node as Record<string | number, unknown>)[key], copy)
  ;(parent as Record<string | number, unknown>)[last] = value
  return copy
}
