/**
 * One layer's analysis as the layer index keeps it (schema image-size-gate.layer-analysis/1), as JSON
 * lines: a header with the layer's figures, then one line per tar entry, in tar order, with its ELF
 * facts. Written only by runs trusted to write the size history; read back as untrusted data, a line at
 * a time (memory bounded by one line), every line checked and the whole held to the header's counts.
 */
import { z } from 'zod'
import { ElfFacts } from './binary-facts-schema.js'
import type { LayerScan } from './layer.js'
import { LayerEntries } from './layer-entries.js'
import type { LayerBytes } from './layer-size.js'
import type { PathTree } from './path-tree.js'
import type { EntryType } from './tar.js'
import { LineSplitter, LineTooLong } from '../line-splitter.js'
import { Count, Json, SchemaError, checked } from '../schema.js'

export const LAYER_ANALYSIS_SCHEMA = 'image-size-gate.layer-analysis/1'
/** An entry larger than this is not written, and not read: a layer of 300,000 files takes about 25 MB. */
export const MAX_ANALYSIS_BYTES = 64 * 1024 * 1024
/** One tar entry's line: its path and, for a Go binary, its attribution (a few hundred kB at most). */
const MAX_LINE_CHARS = 4 * 1024 * 1024
/** Every tar entry takes at least its 512-byte header. */
const TAR_HEADER_BYTES = 512

const Digest = z.string().regex(/^sha256:[0-9a-f]{64}$/, { error: 'a sha256 digest' })

const Header = z.object({
  schema: z.literal(LAYER_ANALYSIS_SCHEMA),
  diffId: Digest,
  tarBytes: Count,
  bytes: z.object({ regular: Count, symlinkTargets: Count }),
  files: Count,
  entries: Count,
  /** The gzip estimate the writer measured and the scale it applied for the engine's Go; null when it measured none. */
  compressed: z.object({ size: Count, gzipScale: z.number().min(0.5).max(2) }).nullable()
})
type Header = z.infer<typeof Header>

const TYPES = ['file', 'hardlink', 'symlink', 'directory', 'char', 'block', 'fifo', 'other'] as const satisfies readonly EntryType[]
const EntryLine = z.tuple([z.string(), z.enum(TYPES), Count, Count.max(0o7777), z.string().nullable(), ElfFacts.nullable()])

/** A gzip estimate the writer measured for the layer, and the scale it applied. */
export interface StoredEstimate {
  size: number
  gzipScale: number
}

/** A layer's analysis as read back from the index. */
export interface StoredAnalysis {
  scan: LayerScan
  estimate: StoredEstimate | null
}

/** Thrown when an index entry is not a whole, consistent analysis of the layer it is filed under. */
export class LayerAnalysisError extends Error {
  override readonly name = 'LayerAnalysisError'
}

/** The entry's lines, each ending in a newline: the header, then the tar entries. */
export function* analysisLines(diffId: string, scan: LayerScan, estimate: StoredEstimate | null): Generator<string> {
  const { tarBytes, bytes, files, entries } = scan
  const header: Header = { schema: LAYER_ANALYSIS_SCHEMA, diffId, tarBytes, bytes, files, entries: entries.length, compressed: estimate }
  yield `${JSON.stringify(header)}\n`
  for (let index = 0; index < entries.length; index++) {
    const line = [entries.path(index), entries.type(index), entries.size(index), entries.mode(index)]
    yield `${JSON.stringify([...line, entries.linkname(index) ?? null, entries.elf(index) ?? null])}\n`
  }
}

/** Reads an entry filed under `diffId`, its paths into `paths`; throws LayerAnalysisError naming what is wrong. */
export async function readLayerAnalysis(source: AsyncIterable<Uint8Array>, diffId: string, paths: PathTree): Promise<StoredAnalysis> {
  const reader = new AnalysisReader(diffId, paths)
  const splitter = new LineSplitter((line) => reader.line(line), MAX_LINE_CHARS)
  let bytes = 0
  try {
    for await (const chunk of source) {
      bytes += chunk.length
      if (bytes > MAX_ANALYSIS_BYTES) throw new LayerAnalysisError(`it is over the ${MAX_ANALYSIS_BYTES} byte limit`)
      splitter.push(chunk)
    }
    splitter.flush()
    return reader.result()
  } catch (error) {
    if (error instanceof LineTooLong) throw new LayerAnalysisError(error.message)
    throw error
  }
}

/** Takes the lines in order: the header, then entries, counting what the header claims. */
class AnalysisReader {
  private header: Header | undefined
  private readonly entries: LayerEntries
  private readonly bytes: LayerBytes = { regular: 0, symlinkTargets: 0 }
  private files = 0
  private lines = 0

  constructor(
    private readonly diffId: string,
    paths: PathTree
  ) {
    this.entries = new LayerEntries(paths)
  }

  line(text: string): void {
    this.lines++
    if (text === '') return
    const value = checkedLine(this.header ? EntryLine : Header, text, this.lines)
    if (!this.header) this.header = this.checkHeader(value as Header)
    else this.add(value as z.infer<typeof EntryLine>)
  }

  private checkHeader(header: Header): Header {
    if (header.diffId !== this.diffId) throw new LayerAnalysisError(`it describes ${header.diffId}, not the layer it is filed under`)
    return header
  }

  private add([path, type, size, mode, linkname, elf]: z.infer<typeof EntryLine>): void {
    const index = this.entries.add({ path, type, size, mode, ...(linkname === null ? {} : { linkname }) })
    if (elf) this.entries.setElf(index, elf)
    if (type !== 'directory') this.files++
    if (type === 'file') this.bytes.regular += size
    if (type === 'symlink' && linkname !== null) this.bytes.symlinkTargets += Buffer.byteLength(linkname)
  }

  result(): StoredAnalysis {
    const header = this.header
    if (!header) throw new LayerAnalysisError('it is empty')
    const { entries, bytes, files } = this
    const claims = [
      [entries.length, header.entries, 'entries'],
      [files, header.files, 'files'],
      [bytes.regular, header.bytes.regular, 'bytes of regular files'],
      [bytes.symlinkTargets, header.bytes.symlinkTargets, 'bytes of symlink targets']
    ] as const
    for (const [found, claimed, what] of claims) {
      if (found !== claimed) throw new LayerAnalysisError(`its header claims ${claimed} ${what}, its lines hold ${found}`)
    }
    // A tar holds each entry's header block and its body: fewer bytes than that cannot be this layer's tar.
    const least = entries.length * TAR_HEADER_BYTES + bytes.regular
    if (least > header.tarBytes) throw new LayerAnalysisError(`its entries need at least ${least} bytes of tar, not ${header.tarBytes}`)
    const { tarBytes } = header
    const scan: LayerScan = {
      bytes,
      tarBytes,
      blobBytes: tarBytes,
      compressedExact: false,
      compression: 'none',
      deflatedBytes: 0,
      files,
      entries
    }
    return { scan, estimate: header.compressed }
  }
}

function checkedLine<S extends z.ZodType>(schema: S, text: string, number: number): z.output<S> {
  try {
    return checked(Json.pipe(schema), text)
  } catch (error) {
    if (!(error instanceof SchemaError)) throw error
    throw new LayerAnalysisError(`line ${number}: ${error.message}`)
  }
}
