/** Real-world bytes for the gzip estimator's tests: JavaScript, an ELF binary and a tar of real files. */
import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { makeTar, type TarSpec } from './tar-writer.js'

export const MiB = 1024 * 1024
const nodeModules = resolve(import.meta.dirname, '../../node_modules')

/** Real files under `root`, in a stable order, until `limit` bytes are collected. */
function collectFiles(root: string, accept: (path: string) => boolean, limit: number): { path: string; data: Buffer }[] {
  const files: { path: string; data: Buffer }[] = []
  let total = 0
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (total >= limit) return
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.isFile() && accept(path)) {
        files.push({ path, data: readFileSync(path) })
        total += files[files.length - 1]?.data.length ?? 0
      }
    }
  }
  walk(root)
  return files
}

export function readPrefix(path: string, offset: number, length: number): Buffer {
  const out = Buffer.alloc(length)
  const fd = openSync(path, 'r')
  try {
    return out.subarray(0, readSync(fd, out, 0, length, offset))
  } finally {
    closeSync(fd)
  }
}

/** node_modules JavaScript, read once per process: every smaller sample is a prefix of the largest. */
let javascriptPool = Buffer.alloc(0)
export function javascript(limit: number): Buffer {
  if (javascriptPool.length < limit) {
    javascriptPool = Buffer.concat(collectFiles(nodeModules, (path) => path.endsWith('.js'), limit).map((file) => file.data))
  }
  return javascriptPool.subarray(0, limit)
}

export function tarOfFiles(limit: number): Buffer {
  const files = collectFiles(join(nodeModules, 'typescript'), () => true, limit)
  const entries: TarSpec[] = files.map((file) => ({ path: file.path.slice(nodeModules.length + 1), content: file.data }))
  return makeTar(entries)
}
