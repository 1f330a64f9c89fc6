import { createHash } from 'node:crypto'

const SAFE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/
const MAX_NAME = 80

/**
 * The history file of a comment key: `<key>.jsonl` when the key is a safe file name, else its safe
 * characters plus a hash of the whole key, so two keys never share a file and no key names a path.
 */
export function historyFileName(key: string): string {
  if (key === '') return 'default.jsonl'
  if (SAFE.test(key) && key.length <= MAX_NAME && !key.includes('..')) return `${key}.jsonl`
  const readable = key
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, MAX_NAME - 9)
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 8)
  return `${readable || 'key'}-${hash}.jsonl`
}

/**
 * The first entry of a branch's tree that no history writes (anything but a regular `*.jsonl` file or one
 * of the history's own `directories`); null when none.
 */
export function foreignEntry(
  entries: readonly { mode: string; type: string; name: string }[],
  directories: readonly string[] = []
): string | null {
  const ours = (entry: { mode: string; type: string; name: string }) =>
    (entry.type === 'blob' && entry.mode === '100644' && entry.name.endsWith('.jsonl')) ||
    (entry.type === 'tree' && directories.includes(entry.name))
  return entries.find((entry) => !ours(entry))?.name ?? null
}
