import { fileBytes, type MergedFilesystem } from './filesystem.js'

/** Bytes under one path of the merged filesystem: a directory (depth ≤ 3) or a large file. */
export interface PathUsage {
  path: string
  size: number
}

export interface UsageLimits {
  /** Directories are summed down to this depth (`usr/lib/go-1.19` is depth 3). */
  maxDepth: number
  /** Files at least this large get an entry of their own, at any depth. */
  minFileSize: number
  /** Entries smaller than this are left out. */
  minSize: number
  /** At most this many entries, largest first, so reports stay small. */
  limit: number
}

const DEFAULT_LIMITS: UsageLimits = { maxDepth: 3, minFileSize: 64_000, minSize: 16_000, limit: 400 }

/** Where the bytes of the merged filesystem are: a bounded du-style table for comparing images. */
export function pathUsage(fs: MergedFilesystem, limits: UsageLimits = DEFAULT_LIMITS): PathUsage[] {
  const totals = new Map<string, number>()
  const add = (path: string, bytes: number) => totals.set(path, (totals.get(path) ?? 0) + bytes)
  const linked = new Set<number>()
  for (const file of fs.walk()) {
    // du counts a hard-linked inode once, under the first name it meets.
    if (file.links > 1 && linked.has(file.inode)) continue
    if (file.links > 1) linked.add(file.inode)
    const bytes = fileBytes(file)
    if (bytes === 0) continue
    const parts = file.path.split('/')
    const depth = Math.min(limits.maxDepth, parts.length - 1)
    for (let level = 1; level <= depth; level++) add(parts.slice(0, level).join('/'), bytes)
    if (bytes >= limits.minFileSize) add(file.path, bytes)
  }
  return [...totals]
    .filter(([, size]) => size >= limits.minSize)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limits.limit)
    .map(([path, size]) => ({ path: `/${path}`, size }))
}
