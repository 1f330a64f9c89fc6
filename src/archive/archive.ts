import { compressionOf, normalPlatform, platformName, type Descriptor, type LayerCompression } from './descriptor.js'
import { BlobHash, CheckedLayerSink } from './blob-check.js'
import { chooseLayout, PlatformMissing, type ImageSelector, type Layout } from './image-choice.js'
import {
  ArchiveError,
  Documents,
  ImageConfigSchema,
  IndexOrManifestSchema,
  MAX_DOCUMENT_BYTES,
  blobPath,
  type ImageConfig
} from './image-documents.js'
import { LayerScanner, canReadZstd, type LayerScan, type LayerScanOptions } from './layer.js'
import { VerifyingSink, type LayerCache } from './layer-cache.js'
import { KnownLayerScanner, claimedDiffId, type KnownCompressedSizes } from './known-compressed.js'
import { PathTree } from './path-tree.js'
import { TarParser, type EntrySink, type TarHeader } from './tar.js'
import { passedThrough } from './dead-buffers.js'

/** An image archive read in one pass: its config and its layers in order. */
export interface ImageArchive {
  /**
   * The digest the archive names the image by: the config digest in a legacy `docker save`, the
   * top entry of index.json in an OCI layout. The engine's own ID may differ; the fetcher sets that.
   */
  id: string
  /** The digest of the image config (the classic store's image ID). */
  configDigest: string
  config: ImageConfig
  layers: LayerScan[]
  diffIds: string[]
  /** What the reader noticed and worked around, one sentence each (a layer not what its media type says). */
  warnings: string[]
}

export { ArchiveError } from './image-documents.js'
export { PlatformMissing } from './image-choice.js'

const SNIFF_BYTES = 512

/** Collects one archive entry's bytes and hands them to the right consumer once its kind is known. */
class EntryClassifier implements EntrySink {
  private head: Uint8Array[] = []
  private headBytes = 0
  private target: EntrySink | undefined
  private decided = false

  constructor(private readonly choose: (head: Buffer) => EntrySink | undefined) {}

  async write(chunk: Uint8Array): Promise<void> {
    if (this.decided) return this.forward(chunk)
    this.head.push(chunk.slice())
    this.headBytes += chunk.length
    if (this.headBytes >= SNIFF_BYTES) await this.decide()
  }

  async end(): Promise<void> {
    if (!this.decided) await this.decide()
    const result = this.target?.end()
    if (result) await result
  }

  private async decide(): Promise<void> {
    this.decided = true
    const head = Buffer.concat(this.head)
    this.head = []
    this.target = this.choose(head)
    if (head.length > 0) await this.forward(head)
  }

  private async forward(chunk: Uint8Array): Promise<void> {
    const result = this.target?.write(chunk)
    if (result) await result
  }
}

/** Keeps a JSON document whole (they are small), checking a blob's content against its name when asked to. */
class JsonSink implements EntrySink {
  private parts: Uint8Array[] = []
  private bytes = 0

  constructor(
    private readonly path: string,
    private readonly documents: Documents,
    private readonly hash: BlobHash | undefined
  ) {}

  write(chunk: Uint8Array): void {
    this.bytes += chunk.length
    if (this.bytes > MAX_DOCUMENT_BYTES) throw new ArchiveError(`archive entry ${this.path} is too large to be a manifest`)
    this.hash?.update(chunk)
    this.parts.push(chunk.slice())
  }

  end(): void {
    this.hash?.verify()
    this.documents.set(this.path, Buffer.concat(this.parts).toString('utf8'))
  }
}

/** A layer blob's compression from its magic: gzip 1f 8b, zstd frame 28 b5 2f fd; undefined when it is not a layer. */
function sniffLayer(head: Buffer): LayerCompression | undefined {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip'
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd'
  return isTar(head) ? 'none' : undefined
}

function isTar(head: Buffer): boolean {
  if (head.length < SNIFF_BYTES) return head.length > 0 && head.every((byte) => byte === 0)
  return head.toString('latin1', 257, 262) === 'ustar' || head.subarray(0, SNIFF_BYTES).every((byte) => byte === 0)
}

export interface ArchiveOptions extends LayerScanOptions, ImageSelector {
  /** Layers analysed earlier in this run, with the diffIds this image is expected to have. */
  reuse?: { cache: LayerCache; diffIds: readonly string[] }
  /** Compressed sizes a baseline measured: plain layers with one are hashed and scanned, not deflated. */
  knownCompressed?: KnownCompressedSizes
  /** Hash every blob against the digest it is named by and hold layers to their descriptors: for archives from outside the engine. */
  checkBlobs?: boolean
}

/** A layer entry's sink, which also gives the layer's scan once the archive has been read. */
type LayerSink = EntrySink & { result(): LayerScan }

/** What one read of an archive or layout collects: its documents, and a scan for each layer blob. */
class Collected {
  readonly documents = new Documents()
  readonly scanners = new Map<string, { result(): LayerScan }>()
  /** Entries that were neither JSON nor a layer blob, so that a manifest listing one as a layer can say so. */
  readonly unreadable = new Set<string>()

  constructor(private readonly options: ArchiveOptions) {}

  /** The sink for one blob or entry, chosen from its first bytes: a JSON document, a layer, or nothing kept. */
  sinkFor(path: string, size: number): EntrySink {
    const hash = this.options.checkBlobs ? BlobHash.forPath(path) : undefined
    return new EntryClassifier((head) => {
      if (head[0] === 0x7b /* { */ || path.endsWith('.json')) return new JsonSink(path, this.documents, hash)
      const compression = sniffLayer(head)
      if (!compression) {
        this.unreadable.add(path)
        return undefined
      }
      const scanner = layerSink(path, size, compression, this.options)
      const sink = hash ? new CheckedLayerSink(scanner, hash) : scanner
      this.scanners.set(path, sink)
      return sink
    })
  }
}

/**
 * Reads an image archive — `docker save` output in the legacy layout or the OCI layout
 * (`index.json` + `blobs/`), as buildx exports it — from a stream, in one pass.
 * Layer entries are scanned as they pass; which entry is which layer is resolved at the end,
 * because `docker save` writes its manifest last.
 */
export async function readImageArchive(source: AsyncIterable<Uint8Array>, options: ArchiveOptions): Promise<ImageArchive> {
  const collected = new Collected(withPaths(options))
  const parser = new TarParser((header: TarHeader) => (header.type === 'file' ? collected.sinkFor(header.path, header.size) : undefined))
  for await (const chunk of source) {
    await parser.push(chunk)
    passedThrough(chunk.length)
  }
  await parser.end()
  return resolveImage(collected, chooseLayout(collected.documents, options), options)
}

/** The image's layers share one path tree, which its merged filesystem then reuses. */
function withPaths(options: ArchiveOptions): ArchiveOptions {
  return { ...options, paths: options.reuse?.cache.paths ?? options.paths ?? new PathTree() }
}

/** An OCI layout directory, read in place: its documents whole, its blobs as streams. The caller owns the file access. */
export interface LayoutFiles {
  /** The file's bytes, at most `limit` of them; undefined when there is no such file. */
  document(path: string, limit: number): Promise<Buffer | undefined>
  /** A blob's size and its content as a stream. */
  blob(path: string): Promise<{ size: number; stream: AsyncIterable<Uint8Array> }>
}

/** Reads the image of an OCI layout directory: its index and manifests first, then only the chosen image's blobs. */
export async function readImageLayout(files: LayoutFiles, options: ArchiveOptions): Promise<ImageArchive> {
  const collected = new Collected(withPaths({ ...options, format: 'oci' }))
  await loadIndexes(files, collected, ['index.json'])
  const layout = chooseLayout(collected.documents, { ...options, format: 'oci' })
  await loadDocument(files, collected, layout.configPath)
  for (const path of layout.layerPaths) {
    const { size, stream } = await files.blob(path)
    const sink = collected.sinkFor(path, size)
    for await (const chunk of stream) await sink.write(chunk)
    await sink.end()
  }
  return resolveImage(collected, layout, options)
}

/**
 * Reads these documents, then every index and manifest they list and each manifest's config (for its
 * platform), breadth first; the documents' byte budget bounds the walk.
 */
async function loadIndexes(files: LayoutFiles, collected: Collected, paths: string[]): Promise<void> {
  const queue = paths.map((path) => ({ path, listing: true }))
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    if (collected.documents.has(next.path)) continue
    const loaded = await loadDocument(files, collected, next.path)
    if (loaded && next.listing) queue.push(...listedDocuments(collected.documents, next.path))
  }
}

/** Reads one document through the same sink as an archive's entry, so its digest is checked alike; false when it is absent. */
async function loadDocument(files: LayoutFiles, collected: Collected, path: string): Promise<boolean> {
  const bytes = await files.document(path, MAX_DOCUMENT_BYTES)
  if (bytes === undefined) return false
  const sink = collected.sinkFor(path, bytes.length)
  await sink.write(bytes)
  await sink.end()
  return true
}

const MANIFEST_TYPE = /manifest|index/

/** The manifests and indexes a document lists (attestations too: they are small, and skipped when chosen), and a manifest's config. */
function listedDocuments(documents: Documents, path: string): { path: string; listing: boolean }[] {
  const document = documents.read(path, IndexOrManifestSchema)
  const listed = (document.manifests ?? [])
    .filter((entry) => entry.mediaType === undefined || MANIFEST_TYPE.test(entry.mediaType))
    .map((entry) => ({ path: blobPath(entry.digest), listing: true }))
  return document.config ? [...listed, { path: blobPath(document.config.digest), listing: false }] : listed
}

/** The cheapest analysis a layer allows: a scan from this run's cache, a known compressed size, or a full scan. */
function layerSink(path: string, size: number, compression: LayerCompression, options: ArchiveOptions): LayerSink {
  if (compression === 'zstd' && !canReadZstd()) {
    const fix = "run on Node 22.15 or later (the action's node24 can)"
    throw new ArchiveError(`layer ${path} is zstd-compressed, which Node ${process.version} cannot read; ${fix}`)
  }
  if (compression !== 'none') return new LayerScanner(compression, options)
  const candidate = options.reuse?.cache.candidate(options.reuse.diffIds, size)
  if (candidate) return new VerifyingSink(candidate)
  const diffId = claimedDiffId(path)
  const known = diffId === undefined ? undefined : options.knownCompressed?.get(diffId)
  if (diffId !== undefined && known && options.estimateCompressed) return new KnownLayerScanner(path, diffId, known, options)
  return new LayerScanner(compression, options)
}

function resolveImage(collected: Collected, layout: Layout, options: ArchiveOptions): ImageArchive {
  const config = collected.documents.read(layout.configPath, ImageConfigSchema)
  const { platform } = options
  if (platform && normalPlatform(platformName(config)) !== normalPlatform(platform))
    throw new PlatformMissing(platform, [platformName(config)])
  const warnings: string[] = []
  const layers = layout.layerPaths.map((path, index) => {
    const scanner = collected.scanners.get(path)
    if (!scanner && collected.unreadable.has(path)) throw new ArchiveError(`layer ${path} is neither a tar nor gzip or zstd data`)
    if (!scanner) throw new ArchiveError(`image archive lists layer ${path} but does not contain it`)
    const scan = scanner.result()
    return options.checkBlobs ? heldToDescriptor(path, scan, layout.layerDescriptors?.[index], warnings) : scan
  })
  const diffIds = config.rootfs?.diff_ids ?? []
  if (diffIds.length !== layers.length) {
    throw new ArchiveError(`image config lists ${diffIds.length} layers but the manifest lists ${layers.length}`)
  }
  return { id: layout.id, configDigest: layout.configDigest, config, layers, diffIds, warnings }
}

/**
 * A layer against its manifest's descriptor: a blob of another size is damaged; one whose content is not
 * what its media type says is read by its content, with a warning, and its compressed size is not called exact.
 */
function heldToDescriptor(path: string, scan: LayerScan, descriptor: Descriptor | undefined, warnings: string[]): LayerScan {
  if (!descriptor) return scan
  if (scan.blobBytes !== descriptor.size) {
    throw new ArchiveError(`layer ${path} is ${scan.blobBytes} bytes, not the ${descriptor.size} its manifest says`)
  }
  const labelled = compressionOf(descriptor.mediaType)
  if (labelled === undefined || labelled === scan.compression) return scan
  const content = scan.compression === 'none' ? 'a plain tar' : `${scan.compression} data`
  warnings.push(
    `layer ${path} is labelled ${descriptor.mediaType ?? ''} but holds ${content}; it was read by its content, and its compressed size is not exact`
  )
  return { ...scan, compressedExact: false }
}
