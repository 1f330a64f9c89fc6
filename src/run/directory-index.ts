/**
 * The command line's layer index: one file per layer, `<diffId hex>.jsonl`, in a directory the user
 * owns (`--layer-cache DIR`). An entry is written to a temporary name and renamed, so a reader never
 * sees half of one; one not used for AGE_OUT_MS is removed when the index is opened.
 */
import { createReadStream } from 'node:fs'
import { mkdir, readdir, rename, rm, stat, utimes } from 'node:fs/promises'
import { join } from 'node:path'
import { UserError, messageOf } from '../errors.js'
import type { Log } from '../log.js'
import { writeEntryFile, type FreshAnalysis, type LayerIndex } from './layer-index.js'

/** Entries unused this long are removed: 30 days. */
export const AGE_OUT_MS = 30 * 24 * 60 * 60 * 1000
const ENTRY_NAME = /^([0-9a-f]{64})\.jsonl$/

export async function openDirectoryIndex(dir: string, flag: string): Promise<LayerIndex> {
  await mkdir(dir, { recursive: true }).catch((error: unknown) => {
    throw new UserError(`${flag}: cannot create the directory '${dir}' (${messageOf(error)})`)
  })
  if (!(await stat(dir)).isDirectory()) throw new UserError(`${flag}: '${dir}' is not a directory`)
  const held = new Set<string>()
  for (const name of await readdir(dir)) {
    const hex = ENTRY_NAME.exec(name)?.[1]
    if (hex === undefined) continue
    const file = join(dir, name)
    if (Date.now() - (await stat(file)).mtimeMs > AGE_OUT_MS) await rm(file, { force: true })
    else held.add(`sha256:${hex}`)
  }
  return new DirectoryIndex(dir, held)
}

class DirectoryIndex implements LayerIndex {
  readonly name: string
  readonly writable = true

  constructor(
    private readonly dir: string,
    private readonly held: Set<string>
  ) {
    this.name = `layer cache ${dir}`
  }

  has(diffId: string): boolean {
    return this.held.has(diffId)
  }

  /** Streams the entry, and marks it used so it does not age out. */
  async read<T>(diffId: string, consume: (bytes: AsyncIterable<Uint8Array>) => Promise<T>): Promise<T> {
    const file = this.fileOf(diffId)
    const now = new Date()
    await utimes(file, now, now)
    return consume(createReadStream(file, { highWaterMark: 1 << 16 }))
  }

  async add(analyses: readonly FreshAnalysis[], log: Log): Promise<void> {
    for (const analysis of analyses) {
      if (this.held.has(analysis.diffId) && !analysis.replaces) continue
      try {
        if (await this.write(analysis)) this.held.add(analysis.diffId)
      } catch (error) {
        log.warning(`${this.name}: the analysis of ${analysis.diffId} was not kept (${messageOf(error)})`)
      }
    }
  }

  /** Writes one entry under a temporary name, then renames it; one over the size limit is dropped. */
  private async write(analysis: FreshAnalysis): Promise<boolean> {
    const file = this.fileOf(analysis.diffId)
    const partial = `${file}.${process.pid}.partial`
    try {
      if (!(await writeEntryFile(partial, analysis))) return false
      await rename(partial, file)
      return true
    } finally {
      await rm(partial, { force: true })
    }
  }

  private fileOf(diffId: string): string {
    return join(this.dir, `${diffId.replace(/^sha256:/, '')}.jsonl`)
  }
}
