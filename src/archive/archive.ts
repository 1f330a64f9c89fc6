import { isAttestation, normalPlatform, platformName, type Descriptor, type LayerCompression } from './descriptor.js'
import { LayerScanner, canReadZstd, type LayerScan, type LayerScanOptions } from './layer.js'
import { VerifyingSink, type LayerCache } from './layer-cache.js'
import { KnownLayerScanner, claimedDiffId, implausibleFigure, type KnownCompressedSizes } from './known-compressed.js'
import { PathTree } from './path-tree.js'
import { TarParser, type EntrySink, type TarHeader } from './tar.js'
import { passedThrough } from './dead-buffers.js'

/** One entry of an image config's `history` array (OCI image spec). */
export interface BuildStep {
  created?: string
  created_by?: string
  empty_layer?: boolean
  comment?: string
  author?: string
}

/** The parts of an OCI/Docker image config that the gate reads. */
export interface ImageConfig {
  architecture?: string
  os?: string
  variant?: string
  config?: {
    Env?: string[] | null
    Entrypoint?: string[] | null
    Cmd?: string[] | null
    WorkingDir?: string
    User?: string
    Labels?: Record<string, string> | null
  }
  rootfs?: { type?: string; diff_ids?: string[] }
  history?: BuildStep[]
}

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
}

/** Thrown when an archive is readable as tar but is not an image archive we understand. */
export class ArchiveError extends Error {
  override readonly name = 'ArchiveError'
}

/** Thrown when the archive holds no image for the platform asked for; `available` lists those it has. */
export class PlatformMissing extends ArchiveError {
  constructor(
    readonly platform: string,
    readonly available: string[]
  ) {
    super(`the archive has no image for platform ${platform} (it has ${available.join(', ') || 'none'})`)
  }
}

/** JSON documents (manifests, configs) are small; a larger "JSON" entry is not one of them. */
const MAX_JSON_BYTES = 16 << 20
const SNIFF_BYTES = 512

/** Collects one archive entry's bytes and hands them to the right consumer once its kind is known. */
class EntryClassifier implements EntrySink {
  private head: Uint8Array[] = []
  private headBytes = 0
  private target: EntrySink | undefined
  private decided = false

  constructor(private readonly choose: (head: Buffer) => Promise<EntrySink | undefined>) {}

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
    this.target = await this.choose(head)
    if (head.length > 0) await this.forward(head)
  }

  private async forward(chunk: Uint8Array): Promise<void> {
    const result = this.target?.write(chunk)
    if (result) await result
  }
}

class JsonSink implements EntrySink {
  private parts: Uint8Array[] = []
  private bytes = 0

  constructor(
    private readonly path: string,
    private readonly documents: Map<string, string>
  ) {}

  write(chunk: Uint8Array): void {
    this.bytes += chunk.length
    if (this.bytes > MAX_JSON_BYTES) throw new ArchiveError(`archive entry ${this.path} is too large to be a manifest`)
    this.parts.push(chunk.slice())
  }

  end(): void {
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

/**
 * Reads an image archive — `docker save` output in the legacy layout or the OCI layout
 * (`index.json` + `blobs/`), as buildx exports it — from a stream, in one pass.
 * Layer entries are scanned as they pass; which entry is which layer is resolved at the end,
 * because `docker save` writes its manifest last.
 */
export interface ArchiveOptions extends LayerScanOptions {
  platform?: string
  /** Layers analysed earlier in this run, with the diffIds this image is expected to have. */
  reuse?: { cache: LayerCache; diffIds: readonly string[] }
  /** Compressed sizes a baseline measured: plain layers with one are hashed and scanned, not deflated. */
  knownCompressed?: KnownCompressedSizes
}

/** A layer entry's sink, which also gives the layer's scan once the archive has been read. */
type LayerSink = EntrySink & { result(): LayerScan }

export async function readImageArchive(source: AsyncIterable<Uint8Array>, options: ArchiveOptions): Promise<ImageArchive> {
  // The image's layers share one path tree, which its merged filesystem then reuses.
  const paths = options.reuse?.cache.paths ?? options.paths ?? new PathTree()
  const documents = new Map<string, string>()
  const scanners = new Map<string, { result(): LayerScan }>()
  const choose =
    (path: string, size: number) =>
    async (head: Buffer): Promise<EntrySink | undefined> => {
      if (head[0] === 0x7b /* { */ || path.endsWith('.json')) return new JsonSink(path, documents)
      const compression = sniffLayer(head)
      if (!compression) return undefined
      return layerSink(path, size, compression, { ...options, paths }).then((sink) => {
        scanners.set(path, sink)
        return sink
      })
    }
  const parser = new TarParser((header: TarHeader) =>
    header.type === 'file' ? new EntryClassifier(choose(header.path, header.size)) : undefined
  )
  for await (const chunk of source) {
    await parser.push(chunk)
    passedThrough(chunk.length)
  }
  await parser.end()
  return resolveImage(documents, scanners, options.platform)
}

/** The cheapest analysis a layer allows: an earlier analysis (this run's or the index's), a known compressed size, or a full scan. */
async function layerSink(path: string, size: number, compression: LayerCompression, options: ArchiveOptions): Promise<LayerSink> {
  if (compression === 'zstd' && !canReadZstd()) {
    const fix = "run on Node 22.15 or later (the action's node24 can)"
    throw new ArchiveError(`layer ${path} is zstd-compressed, which Node ${process.version} cannot read; ${fix}`)
  }
  if (compression !== 'none') return new LayerScanner(compression, options)
  const wish = options.estimateCompressed ? { gzipLevel: options.gzipLevel ?? 6, gzipScale: options.gzipScale ?? 1 } : undefined
  const candidate = await options.reuse?.cache.candidate(options.reuse.diffIds, size, wish)
  if (candidate) return new VerifyingSink(candidate, wish)
  const diffId = claimedDiffId(path)
  const known = diffId === undefined ? undefined : options.knownCompressed?.get(diffId)
  if (diffId === undefined || !known || !options.estimateCompressed) return new LayerScanner(compression, options)
  // A plain layer's blob is its tar, so its entry's length is the tar's: the figure is checked before it is trusted.
  const refused = implausibleFigure(known, size, path)
  return refused ? new LayerScanner(compression, options, refused) : new KnownLayerScanner(path, diffId, known, options)
}

function resolveImage(documents: Map<string, string>, scanners: Map<string, { result(): LayerScan }>, platform?: string): ImageArchive {
  const layout = chooseLayout(documents, platform)
  const config = parseJson<ImageConfig>(documents, layout.configPath)
  if (platform && normalPlatform(platformName(config)) !== normalPlatform(platform))
    throw new PlatformMissing(platform, [platformName(config)])
  const layers = layout.layerPaths.map((path) => {
    const scanner = scanners.get(path)
    if (!scanner) throw new ArchiveError(`image archive lists layer ${path} but does not contain it`)
    return scanner.result()
  })
  const diffIds = config.rootfs?.diff_ids ?? []
  if (diffIds.length !== layers.length) {
    throw new ArchiveError(`image config lists ${diffIds.length} layers but the manifest lists ${layers.length}`)
  }
  return { id: layout.id, configDigest: layout.configDigest, config, layers, diffIds }
}

interface Layout {
  id: string
  configDigest: string
  configPath: string
  layerPaths: string[]
}

/** An engine's manifest.json names only the platform it saved by default; index.json names every one it holds. */
function chooseLayout(documents: Map<string, string>, platform?: string): Layout {
  const legacy = documents.has('manifest.json')
  if (documents.has('index.json') && (platform || !legacy)) return ociLayout(documents, platform)
  if (legacy) return legacyLayout(documents)
  throw new ArchiveError('archive has neither manifest.json nor index.json: it is not an image archive')
}

function legacyLayout(documents: Map<string, string>): Layout {
  const manifest = parseJson<{ Config: string; Layers: string[] }[]>(documents, 'manifest.json')
  const [first] = manifest
  if (!first || manifest.length !== 1) {
    throw new ArchiveError(`manifest.json describes ${manifest.length} images; save exactly one image`)
  }
  const configPath = first.Config
  const hex = /([0-9a-f]{64})/.exec(configPath)?.[1]
  const configDigest = hex ? `sha256:${hex}` : configPath
  return { id: configDigest, configDigest, configPath, layerPaths: first.Layers }
}

interface Manifest {
  config: Descriptor
  layers: Descriptor[]
}

/** One image an index reaches: its platform, the digest of the index.json entry above it, and its manifest if present. */
interface IndexedImage {
  platform: string
  top: string
  manifest?: Manifest
}

function ociLayout(documents: Map<string, string>, platform?: string): Layout {
  const index = parseJson<{ manifests?: Descriptor[] }>(documents, 'index.json')
  const images = imagesIn(documents, index.manifests ?? [], undefined, 0)
  const chosen = platform ? images.filter((image) => normalPlatform(image.platform) === normalPlatform(platform)) : images
  const listed = images.map((image) => image.platform)
  const [only] = chosen
  if (platform && !only) throw new PlatformMissing(platform, listed)
  if (!only || chosen.length > 1) {
    throw new ArchiveError(`the archive holds ${chosen.length} images (${listed.join(', ')}); choose one with the platform input`)
  }
  if (!only.manifest) throw new ArchiveError(`the archive lists an image for ${only.platform} but does not contain its manifest`)
  const { config, layers } = only.manifest
  return {
    id: only.top,
    configDigest: config.digest,
    configPath: blobPath(config.digest),
    layerPaths: layers.map((layer) => blobPath(layer.digest))
  }
}

/** Every image below these index entries, attestations skipped; nested indexes are followed a few levels deep. */
function imagesIn(documents: Map<string, string>, entries: Descriptor[], top: string | undefined, depth: number): IndexedImage[] {
  return entries
    .filter((entry) => !isAttestation(entry))
    .flatMap((entry): IndexedImage[] => {
      const path = blobPath(entry.digest)
      const id = top ?? entry.digest
      // An engine exporting one platform still lists the others it holds, without their blobs.
      if (!documents.has(path)) return entry.platform ? [{ platform: platformName(entry.platform), top: id }] : []
      const document = parseJson<{ manifests?: Descriptor[] } & Partial<Manifest>>(documents, path)
      if (document.manifests && depth < 4) return imagesIn(documents, document.manifests, id, depth + 1)
      if (!document.config || !document.layers) throw new ArchiveError(`${path} is neither an image index nor a manifest`)
      const platform = entry.platform ? platformName(entry.platform) : configPlatform(documents, document.config)
      return [{ platform, top: id, manifest: { config: document.config, layers: document.layers } }]
    })
}

function configPlatform(documents: Map<string, string>, config: Descriptor): string {
  return documents.has(blobPath(config.digest))
    ? platformName(parseJson<ImageConfig>(documents, blobPath(config.digest)))
    : 'unknown/unknown'
}

function blobPath(digest: string): string {
  const [algorithm, hex] = digest.split(':')
  return `blobs/${algorithm}/${hex}`
}

function parseJson<T>(documents: Map<string, string>, path: string): T {
  const text = documents.get(path)
  if (text === undefined) throw new ArchiveError(`image archive has no ${path}`)
  try {
    return JSON.parse(text) as T
  } catch {
    throw new ArchiveError(`image archive entry ${path} is not valid JSON`)
  }
}
