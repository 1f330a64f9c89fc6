import { isAttestation, platformName, type Descriptor } from './descriptor.js'
import { LayerScanner, type LayerScan, type LayerScanOptions } from './layer.js'
import { VerifyingSink, type LayerCache } from './layer-cache.js'
import { TarParser, type EntrySink, type TarHeader } from './tar.js'
import type { HistoryEntry } from './history.js'

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
  history?: HistoryEntry[]
}

/** An image archive read in one pass: its config and its layers in order. */
export interface ImageArchive {
  /** The config digest, which is the image ID. */
  id: string
  config: ImageConfig
  layers: LayerScan[]
  diffIds: string[]
}

/** Thrown when an archive is readable as tar but is not an image archive we understand. */
export class ArchiveError extends Error {
  override readonly name = 'ArchiveError'
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

function isGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b
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
}

export async function readImageArchive(source: AsyncIterable<Uint8Array>, options: ArchiveOptions): Promise<ImageArchive> {
  const documents = new Map<string, string>()
  const scanners = new Map<string, { result(): LayerScan }>()
  const choose = (path: string, size: number) => (head: Buffer): EntrySink | undefined => {
    if (head[0] === 0x7b /* { */ || path.endsWith('.json')) return new JsonSink(path, documents)
    if (!isGzip(head) && !isTar(head)) return undefined
    const candidate = isGzip(head) ? undefined : options.reuse?.cache.candidate(options.reuse.diffIds, size)
    if (candidate) {
      scanners.set(path, { result: () => candidate.scan })
      return new VerifyingSink(candidate)
    }
    const scanner = new LayerScanner(isGzip(head), options)
    scanners.set(path, scanner)
    return scanner
  }
  const parser = new TarParser((header: TarHeader) =>
    header.type === 'file' ? new EntryClassifier(choose(header.path, header.size)) : undefined
  )
  for await (const chunk of source) await parser.push(chunk)
  await parser.end()
  return resolveImage(documents, scanners, options.platform)
}

function resolveImage(documents: Map<string, string>, scanners: Map<string, { result(): LayerScan }>, platform?: string): ImageArchive {
  const layout = documents.has('manifest.json') ? legacyLayout(documents) : ociLayout(documents, platform)
  const config = parseJson<ImageConfig>(documents, layout.configPath)
  const layers = layout.layerPaths.map((path) => {
    const scanner = scanners.get(path)
    if (!scanner) throw new ArchiveError(`image archive lists layer ${path} but does not contain it`)
    return scanner.result()
  })
  const diffIds = config.rootfs?.diff_ids ?? []
  if (diffIds.length !== layers.length) {
    throw new ArchiveError(`image config lists ${diffIds.length} layers but the manifest lists ${layers.length}`)
  }
  return { id: layout.id, config, layers, diffIds }
}

interface Layout {
  id: string
  configPath: string
  layerPaths: string[]
}

function legacyLayout(documents: Map<string, string>): Layout {
  const manifest = parseJson<{ Config: string; Layers: string[] }[]>(documents, 'manifest.json')
  const [first] = manifest
  if (!first || manifest.length !== 1) {
    throw new ArchiveError(`manifest.json describes ${manifest.length} images; save exactly one image`)
  }
  const configPath = first.Config
  const hex = /([0-9a-f]{64})/.exec(configPath)?.[1]
  return { id: hex ? `sha256:${hex}` : configPath, configPath, layerPaths: first.Layers }
}

function ociLayout(documents: Map<string, string>, platform?: string): Layout {
  if (!documents.has('index.json')) {
    throw new ArchiveError('archive has neither manifest.json nor index.json: it is not an image archive')
  }
  const manifest = findManifest(documents, 'index.json', platform)
  return {
    id: manifest.config.digest,
    configPath: blobPath(manifest.config.digest),
    layerPaths: manifest.layers.map((layer) => blobPath(layer.digest))
  }
}

interface Manifest {
  config: Descriptor
  layers: Descriptor[]
}

/** Walks nested indexes down to the one image manifest for `platform` (or the only real one). */
function findManifest(documents: Map<string, string>, path: string, platform?: string, depth = 0): Manifest {
  const document = parseJson<{ manifests?: Descriptor[] } & Partial<Manifest>>(documents, path)
  if (document.config && document.layers) return { config: document.config, layers: document.layers }
  if (depth > 4 || !document.manifests) throw new ArchiveError(`${path} is neither an image index nor a manifest`)
  const candidates = document.manifests.filter((entry) => !isAttestation(entry))
  const chosen = platform ? candidates.filter((entry) => platformName(entry.platform) === platform) : candidates
  const [only] = chosen
  if (!only || chosen.length > 1) {
    const listed = candidates.map((entry) => platformName(entry.platform)).join(', ')
    throw new ArchiveError(
      platform
        ? `the archive has no image for platform ${platform} (it has ${listed || 'none'})`
        : `the archive holds ${chosen.length} images (${listed}); choose one with the platform input`
    )
  }
  return findManifest(documents, blobPath(only.digest), platform, depth + 1)
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
