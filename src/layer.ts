import { createGunzip, type Gunzip } from 'node:zlib'
import { GzipSizeEstimator } from './compress.js'
import { once } from 'node:events'
import type { LayerBytes } from './layer-size.js'
import { ELF_SNIFF_BYTES, ElfScanner, looksLikeElf } from './elf.js'
import { LayerEntries } from './layer-entries.js'
import { TarParser, type EntrySink, type TarHeader } from './tar.js'

export { LayerEntries, type FileEntry } from './layer-entries.js'

/** What one pass over a layer blob learns about it. */
export interface LayerScan {
  /** The figures the engine's size rules add up; see engineLayerSize. */
  bytes: LayerBytes
  /** Bytes of the uncompressed layer tar. */
  tarBytes: number
  /** Bytes of the blob as it sat in the archive. */
  blobBytes: number
  /** gzip bytes: the blob itself when it was gzip, else an estimate made by compressing it. */
  compressedSize?: number
  compressedExact: boolean
  files: number
  entries: LayerEntries
}

export interface LayerScanOptions {
  /** Compress plain layers to estimate what a registry would store. */
  estimateCompressed: boolean
  /** gzip level for the estimate; BuildKit pushes with Go's default, which matches level 6. */
  gzipLevel?: number
}

const EXECUTABLE_BITS = 0o111

/** Collects file entries from a layer tar, scanning executables for ELF facts as they stream by. */
class LayerIndex {
  readonly entries = new LayerEntries()
  readonly bytes: LayerBytes = { regular: 0, symlinkTargets: 0 }
  files = 0

  readonly parser = new TarParser((header) => this.onEntry(header))

  private onEntry(header: TarHeader): EntrySink | undefined {
    const index = this.entries.add(header)
    if (header.type !== 'directory') this.files++
    if (header.type === 'file') this.bytes.regular += header.size
    if (header.type === 'symlink') this.bytes.symlinkTargets += Buffer.byteLength(header.linkname)
    if (header.type !== 'file') return undefined
    const executable = (header.mode & EXECUTABLE_BITS) !== 0
    return executable && header.size > ELF_SNIFF_BYTES ? new ElfSink(this.entries, index, header.size) : undefined
  }
}

/** Looks at an executable's first bytes and, for an ELF, scans it without keeping it. */
class ElfSink implements EntrySink {
  private head: Uint8Array[] = []
  private headBytes = 0
  private scanner: ElfScanner | undefined
  private decided = false

  constructor(
    private readonly entries: LayerEntries,
    private readonly index: number,
    private readonly size: number
  ) {}

  write(chunk: Uint8Array): void {
    if (this.decided) {
      this.scanner?.push(chunk)
      return
    }
    this.head.push(chunk.slice(0, ELF_SNIFF_BYTES))
    this.headBytes += chunk.length
    if (this.headBytes < ELF_SNIFF_BYTES) return
    this.decided = true
    const head = Buffer.concat(this.head)
    if (looksLikeElf(head)) this.scanner = new ElfScanner(this.size)
    // The sniffed bytes were only copied: the scanner still needs every chunk in full.
    if (this.scanner) this.replay(chunk)
  }

  private replay(current: Uint8Array): void {
    // All chunks before `current` together held fewer than ELF_SNIFF_BYTES bytes, so their copies are whole.
    for (const earlier of this.head.slice(0, -1)) this.scanner?.push(earlier)
    this.scanner?.push(current)
    this.head = []
  }

  end(): void {
    const info = this.scanner?.finish()
    if (info) this.entries.setElf(this.index, info)
  }
}

/** Feeds gunzip with backpressure while a consumer drains its output. */
class ZlibPipe {
  private readonly drained: Promise<void>

  constructor(
    private readonly stream: Gunzip,
    consume: (chunk: Buffer) => Promise<void> | void
  ) {
    this.drained = (async () => {
      for await (const out of stream as AsyncIterable<Buffer>) {
        const result = consume(out)
        if (result) await result
      }
    })()
    // The consumer loop reports errors through `drained`; avoid an unhandled rejection meanwhile.
    this.drained.catch(() => undefined)
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (!this.stream.write(chunk)) await Promise.race([once(this.stream, 'drain'), this.drained])
  }

  async end(): Promise<void> {
    this.stream.end()
    await this.drained
  }
}

/**
 * Receives a layer blob (plain tar or gzip) chunk by chunk and produces its LayerScan.
 * `gzipped` comes from the blob's first bytes, which the archive reader sniffs.
 */
export class LayerScanner implements EntrySink {
  private readonly index = new LayerIndex()
  private readonly gunzip?: ZlibPipe
  private readonly estimate?: GzipSizeEstimator
  private blobBytes = 0
  private estimatedBytes = 0

  constructor(
    private readonly gzipped: boolean,
    options: LayerScanOptions
  ) {
    if (gzipped) this.gunzip = new ZlibPipe(createGunzip(), (out) => this.index.parser.push(out))
    // Plain layers are deflated in parallel chunks: the compressed figure is the slow part of the analysis.
    else if (options.estimateCompressed) this.estimate = new GzipSizeEstimator({ level: options.gzipLevel ?? 6 })
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.blobBytes += chunk.length
    if (this.gunzip) return this.gunzip.write(chunk)
    const pending = this.estimate?.write(chunk)
    await this.index.parser.push(chunk)
    if (pending) await pending
  }

  async end(): Promise<void> {
    await this.gunzip?.end()
    if (this.estimate) this.estimatedBytes = await this.estimate.end()
    await this.index.parser.end()
  }

  result(): LayerScan {
    const compressedSize = this.gzipped ? this.blobBytes : this.estimate ? this.estimatedBytes : undefined
    return {
      bytes: { ...this.index.bytes },
      tarBytes: this.index.parser.bytesRead,
      blobBytes: this.blobBytes,
      compressedSize,
      compressedExact: this.gzipped,
      files: this.index.files,
      entries: this.index.entries
    }
  }
}
