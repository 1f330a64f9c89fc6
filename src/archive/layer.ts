import * as zlib from 'node:zlib'
import type { Duplex } from 'node:stream'
import { GzipSizeEstimator } from './compress.js'
import type { LayerCompression } from './descriptor.js'
import { once } from 'node:events'
import type { LayerBytes } from './layer-size.js'
import { ELF_SNIFF_BYTES, ElfScanner, looksLikeElf } from '../binary/elf.js'
import { LayerEntries } from './layer-entries.js'
import type { PathTree } from './path-tree.js'
import { TarParser, type EntrySink, type TarHeader } from './tar.js'
import { mayBeElf } from './entry-fingerprint.js'
import { passedThrough } from './dead-buffers.js'

export { LayerEntries, type FileEntry } from './layer-entries.js'

/** What one pass over a layer blob learns about it. */
export interface LayerScan {
  /** The figures the engine's size rules add up; see engineLayerSize. */
  bytes: LayerBytes
  /** Bytes of the uncompressed layer tar. */
  tarBytes: number
  /** Bytes of the blob as it sat in the archive. */
  blobBytes: number
  /** Compressed bytes: the blob itself when it was gzip or zstd, else a gzip estimate made by compressing it. */
  compressedSize?: number
  compressedExact: boolean
  compression: LayerCompression
  /** Bytes deflated for the gzip estimate: the blob's when this pass estimated it, else 0. */
  deflatedBytes: number
  /** Where compressedSize was taken from instead of being measured (a baseline), when it was. */
  compressedFrom?: string
  /** Why a reused compressed size was refused (the layer's length rules it out), so this pass measured it. */
  compressedRefused?: string
  files: number
  entries: LayerEntries
  /** Where the files and ELF facts came from when an earlier run's analysis stood in (the layer index, named). */
  analysisFrom?: string
}

export interface LayerScanOptions {
  /** Compress plain layers to estimate what a registry would store. */
  estimateCompressed: boolean
  /** gzip level for the estimate; BuildKit pushes with Go's default, which matches level 6. */
  gzipLevel?: number
  /** Models the builder's Go compress/flate on top of zlib's figure (gzipScaleFor). */
  gzipScale?: number
  /** Where the layer's paths are stored: one tree for every layer of a run stores each path once. */
  paths?: PathTree
}

/** Collects file entries from a layer tar, scanning executables for ELF facts as they stream by. */
class EntryCollector {
  readonly entries: LayerEntries
  readonly bytes: LayerBytes = { regular: 0, symlinkTargets: 0 }
  files = 0

  readonly parser = new TarParser((header) => this.onEntry(header))

  constructor(paths?: PathTree) {
    this.entries = new LayerEntries(paths)
  }

  private onEntry(header: TarHeader): EntrySink | undefined {
    const index = this.entries.add(header)
    if (header.type !== 'directory') this.files++
    if (header.type === 'file') this.bytes.regular += header.size
    if (header.type === 'symlink') this.bytes.symlinkTargets += Buffer.byteLength(header.linkname)
    return mayBeElf(header) ? new ElfSink(this.entries, index, header.size) : undefined
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
    // A switch for `npm run bench` alone, which measures the scan with and without Go attribution.
    if (looksLikeElf(head))
      this.scanner = new ElfScanner(this.size, { goAttribution: process.env['IMAGE_SIZE_GATE_BENCH_NO_GO_ATTRIBUTION'] !== '1' })
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

/** Node 22.15+ (and so the action's node24) has zstd in zlib; @types/node 20 does not know it yet. */
const createZstdDecompress = (zlib as unknown as { createZstdDecompress?: () => Duplex }).createZstdDecompress

/** Whether this Node can read zstd layers. */
export function canReadZstd(): boolean {
  return typeof createZstdDecompress === 'function'
}

function decompressor(compression: LayerCompression): Duplex | undefined {
  if (compression === 'gzip') return zlib.createGunzip()
  if (compression === 'zstd') return createZstdDecompress?.()
  return undefined
}

/** Feeds a decompressor with backpressure while a consumer drains its output. */
class ZlibPipe {
  private readonly drained: Promise<void>

  constructor(
    private readonly stream: Duplex,
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
 * Receives a layer blob (plain tar, gzip or zstd) chunk by chunk and produces its LayerScan.
 * `compression` comes from the blob's first bytes, which the archive reader sniffs.
 */
export class LayerScanner implements EntrySink {
  private readonly index: EntryCollector
  private readonly decompress?: ZlibPipe
  private readonly estimate?: GzipSizeEstimator
  private blobBytes = 0
  private estimatedBytes = 0

  constructor(
    private readonly compression: LayerCompression,
    options: LayerScanOptions,
    /** Why a reused compressed size was refused for this layer, when one was. */
    private readonly refused?: string
  ) {
    this.index = new EntryCollector(options.paths)
    const stream = decompressor(compression)
    if (compression !== 'none' && !stream) throw new Error(`cannot decompress ${compression} on Node ${process.version}`)
    if (stream) this.decompress = new ZlibPipe(stream, (out) => this.decompressed(out))
    // Plain layers are deflated in parallel chunks: the compressed figure is the slow part of the analysis.
    else if (options.estimateCompressed)
      this.estimate = new GzipSizeEstimator({ level: options.gzipLevel ?? 6, scale: options.gzipScale ?? 1 })
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.blobBytes += chunk.length
    if (this.decompress) return this.decompress.write(chunk)
    const pending = this.estimate?.write(chunk)
    await this.index.parser.push(chunk)
    if (pending) await pending
  }

  async end(): Promise<void> {
    await this.decompress?.end()
    if (this.estimate) this.estimatedBytes = await this.estimate.end()
    await this.index.parser.end()
  }

  /** Decompressed output arrives in fresh buffers too, several times the blob's bytes. */
  private async decompressed(out: Buffer): Promise<void> {
    await this.index.parser.push(out)
    passedThrough(out.length)
  }

  result(): LayerScan {
    const compressed = this.compression !== 'none'
    const compressedSize = compressed ? this.blobBytes : this.estimate ? this.estimatedBytes : undefined
    return {
      bytes: { ...this.index.bytes },
      tarBytes: this.index.parser.bytesRead,
      blobBytes: this.blobBytes,
      compressedSize,
      compressedExact: compressed,
      compression: this.compression,
      deflatedBytes: this.estimate ? this.blobBytes : 0,
      ...(this.refused ? { compressedRefused: this.refused } : {}),
      files: this.index.files,
      entries: this.index.entries
    }
  }
}
