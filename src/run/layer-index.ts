/**
 * The layer index: earlier runs' analyses of layers, by diffId, so a layer seen before is streamed and
 * proven by its digest but not parsed, scanned or deflated again. Who may write it decides whether it
 * can be trusted, since an entry stands in for bytes nobody parses: the size-history branch (written only
 * by pushes to the default branch) or, on the command line, a directory the user owns.
 */
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import {
  analysisLines,
  MAX_ANALYSIS_BYTES,
  readLayerAnalysis,
  type StoredAnalysis,
  type StoredEstimate
} from '../archive/layer-analysis.js'
import type { LayerScan } from '../archive/layer.js'
import type { PathTree } from '../archive/path-tree.js'
import { messageOf } from '../errors.js'
import type { Log } from '../log.js'

export interface LayerIndex {
  /** As the report and the log name it, e.g. `layer index on the branch 'image-size-history'`. */
  readonly name: string
  /** Whether the index holds an entry for the layer. */
  has(diffId: string): boolean
  /** Hands the entry's bytes to `consume` as they are read. */
  read<T>(diffId: string, consume: (bytes: AsyncIterable<Uint8Array>) => Promise<T>): Promise<T>
  /** Whether this run may add entries: never a pull request's. */
  readonly writable: boolean
  /** Adds entries for layers it does not hold yet; cosmetic, so a failure is one warning. */
  add(analyses: readonly FreshAnalysis[], log: Log): Promise<void>
}

/** A plain layer this run analysed itself, with the gzip estimate it measured (none when it measured none). */
export interface FreshAnalysis {
  diffId: string
  scan: LayerScan
  estimate: StoredEstimate | null
  /** The index's entry for this layer proved wrong in this run: this analysis replaces it. */
  replaces: boolean
}

/** Reads the index's entry for a layer into `paths`; a bad entry is one warning, and the layer is analysed as if unknown. */
export async function readEntry(index: LayerIndex, diffId: string, paths: PathTree, log: Log): Promise<StoredAnalysis | undefined> {
  try {
    return await index.read(diffId, (bytes) => readLayerAnalysis(bytes, diffId, paths))
  } catch (error) {
    log.warning(`${index.name}: the entry for ${diffId} is not used (${messageOf(error)}); the layer is analysed afresh`)
    return undefined
  }
}

/** Writes an entry to `file`, streamed; false, with the file incomplete, when it grows past the size limit. */
export async function writeEntryFile(file: string, { diffId, scan, estimate }: FreshAnalysis): Promise<boolean> {
  const out = createWriteStream(file)
  let bytes = 0
  try {
    for (const line of analysisLines(diffId, scan, estimate)) {
      bytes += Buffer.byteLength(line)
      if (bytes > MAX_ANALYSIS_BYTES) return false
      if (!out.write(line)) await once(out, 'drain')
    }
    out.end()
    await once(out, 'close')
    return true
  } finally {
    out.destroy()
  }
}
