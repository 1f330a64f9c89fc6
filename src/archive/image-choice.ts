/**
 * Which image of an archive or layout to read: narrowed by skopeo's REF (an OCI layout's ref name, a
 * docker-archive's reference or `@N`), then by platform; what is left must be one image, or a sentence
 * says what is there.
 */
import { isAttestation, normalPlatform, platformName, type Descriptor } from './descriptor.js'
import {
  ArchiveError,
  DockerManifestSchema,
  ImageConfigSchema,
  IndexOrManifestSchema,
  IndexSchema,
  blobPath,
  type Documents
} from './image-documents.js'

/** Thrown when the archive holds no image for the platform asked for; `available` lists those it has. */
export class PlatformMissing extends ArchiveError {
  constructor(
    readonly platform: string,
    readonly available: string[]
  ) {
    super(`the archive has no image for platform ${platform} (it has ${listed(available) || 'none'})`)
  }
}

/** Which image of an archive to read. */
export interface ImageSelector {
  /** skopeo's REF: an OCI layout's `org.opencontainers.image.ref.name`, or a docker-archive's reference or `@N`; '' for any. */
  ref?: string
  /** What the location names: `oci` reads index.json, `docker` manifest.json; unset, an engine's export decides as it always has. */
  format?: 'oci' | 'docker'
  platform?: string
}

/** The chosen image: its name in the archive, its config, and its layer blobs in order. */
export interface Layout {
  id: string
  configDigest: string
  configPath: string
  layerPaths: string[]
  /** The manifest's layer descriptors, where it has them: their media types and sizes are checked against the blobs. */
  layerDescriptors?: Descriptor[]
}

export const REF_NAME = 'org.opencontainers.image.ref.name'

/** How many names a sentence lists before it says how many more there are. */
const LISTED = 10

/** A list for a sentence: the first few, then how many more. */
export function listed(names: readonly string[]): string {
  const more = names.length - LISTED
  return names.slice(0, LISTED).join(', ') + (more > 0 ? ` and ${more} more` : '')
}

/** An engine's manifest.json names only the platform it saved by default; index.json names every one it holds. */
export function chooseLayout(documents: Documents, selector: ImageSelector): Layout {
  const legacy = documents.has('manifest.json')
  const index = documents.has('index.json')
  if (selector.format === 'docker' && !legacy) throw new ArchiveError('the archive has no manifest.json: it is not a docker-archive')
  if (selector.format === 'oci' && !index) throw new ArchiveError('the layout has no index.json: it is not an OCI layout')
  if (selector.format === 'oci' || (selector.format === undefined && index && (selector.platform || !legacy))) {
    return ociLayout(documents, selector)
  }
  if (legacy) return legacyLayout(documents, selector)
  throw new ArchiveError('archive has neither manifest.json nor index.json: it is not an image archive')
}

/** One entry of manifest.json, with what names it. */
interface SavedImage {
  configPath: string
  layerPaths: string[]
  tags: string[]
}

function legacyLayout(documents: Documents, selector: ImageSelector): Layout {
  const saved = documents
    .read('manifest.json', DockerManifestSchema)
    .map((entry): SavedImage => ({ configPath: entry.Config, layerPaths: entry.Layers, tags: entry.RepoTags ?? [] }))
  const named = selector.ref ? savedByRef(saved, selector.ref) : saved
  const platformOf = (image: SavedImage) => platformName(documents.read(image.configPath, ImageConfigSchema))
  const chosen = selector.platform && named.length > 1 ? named.filter((image) => samePlatform(platformOf(image), selector.platform)) : named
  if (selector.platform && chosen.length === 0) throw new PlatformMissing(selector.platform, named.map(platformOf))
  const [only] = chosen
  if (!only || chosen.length > 1) {
    const names = chosen.map((image) => `${image.tags[0] ?? 'untagged'} ${platformOf(image)}`)
    throw new ArchiveError(`manifest.json describes ${chosen.length} images (${listed(names)}); ${narrowing(selector)}`)
  }
  const hex = /([0-9a-f]{64})/.exec(only.configPath)?.[1]
  const configDigest = hex ? `sha256:${hex}` : only.configPath
  return { id: configDigest, configDigest, configPath: only.configPath, layerPaths: only.layerPaths }
}

/** skopeo's docker-archive REF: `@N`, the Nth image, or a reference among the saved tags. */
function savedByRef(saved: SavedImage[], ref: string): SavedImage[] {
  if (/^@[0-9]+$/.test(ref)) {
    const image = saved[Number(ref.slice(1))]
    if (!image) throw new ArchiveError(`the archive has no image ${ref}: it holds ${saved.length}, from @0`)
    return [image]
  }
  const found = saved.filter((image) => image.tags.some((tag) => familiar(tag) === familiar(ref)))
  if (found.length === 0) {
    const tags = saved.flatMap((image) => image.tags)
    throw new ArchiveError(
      `the archive has no image tagged ${ref} (${tags.length > 0 ? `it has ${listed(tags)}` : 'its images are untagged'})`
    )
  }
  return found
}

/** A reference as docker shows it: without docker.io/ and library/, with :latest when no tag or digest is given. */
function familiar(ref: string): string {
  const name = ref.replace(/^docker\.io\//, '').replace(/^library\//, '')
  return /:[^/]*$/.test(name) || name.includes('@') ? name : `${name}:latest`
}

function samePlatform(a: string, b: string | undefined): boolean {
  return normalPlatform(a) === normalPlatform(b ?? '')
}

/** The hint a sentence ends with when more than one image is left. */
function narrowing(selector: ImageSelector): string {
  if (selector.format === 'docker') return 'choose one with docker-archive:PATH:REF (a tag or @N) or the platform input'
  if (selector.format === 'oci') return 'choose one with :REF after the path (its ref name) or the platform input'
  return 'choose one with the platform input'
}

/** One image an index reaches: its platform, its ref name, the digest of the index.json entry above it, and its manifest if present. */
interface IndexedImage {
  platform: string
  name: string
  top: string
  manifest?: { config: Descriptor; layers: Descriptor[] }
}

function ociLayout(documents: Documents, selector: ImageSelector): Layout {
  const entries = documents.read('index.json', IndexSchema).manifests ?? []
  const named = selector.ref ? entriesByRefName(entries, selector.ref) : entries
  const images = imagesIn(documents, named, { left: MAX_INDEXED }, {})
  const { platform } = selector
  const chosen = platform ? images.filter((image) => samePlatform(image.platform, platform)) : images
  const [only] = chosen
  if (platform && !only)
    throw new PlatformMissing(
      platform,
      images.map((image) => image.platform)
    )
  if (!only || chosen.length > 1) {
    const names = chosen.map((image) => (image.name ? `${image.name} ${image.platform}` : image.platform))
    const found = selector.format ? `the layout holds ${chosen.length} images` : `the archive holds ${chosen.length} images`
    throw new ArchiveError(`${found} (${listed(names)}); ${narrowing(selector)}`)
  }
  if (!only.manifest) throw new ArchiveError(`the archive lists an image for ${only.platform} but does not contain its manifest`)
  const { config, layers } = only.manifest
  return {
    id: only.top,
    configDigest: config.digest,
    configPath: blobPath(config.digest),
    layerPaths: layers.map((layer) => blobPath(layer.digest)),
    layerDescriptors: layers
  }
}

/** index.json's entries whose ref name is `ref`, as skopeo's `oci:DIR:REF` picks them. */
function entriesByRefName(entries: Descriptor[], ref: string): Descriptor[] {
  const found = entries.filter((entry) => entry.annotations?.[REF_NAME] === ref)
  if (found.length > 0) return found
  const names = entries.flatMap((entry) => entry.annotations?.[REF_NAME] ?? [])
  throw new ArchiveError(
    `the layout has no image named ${ref} (${names.length > 0 ? `it has ${listed(names)}` : 'its images have no ref names'})`
  )
}

/** Index entries followed in all, nested indexes included: far above a real layout, a bound on a hostile one's fan-out. */
const MAX_INDEXED = 100_000

/** Every image below these index entries, attestations skipped; nested indexes are followed a few levels deep. */
function imagesIn(
  documents: Documents,
  entries: Descriptor[],
  budget: { left: number },
  walk: { top?: Descriptor; depth?: number }
): IndexedImage[] {
  const depth = walk.depth ?? 0
  return entries
    .filter((entry) => !isAttestation(entry))
    .flatMap((entry): IndexedImage[] => {
      if (--budget.left < 0) throw new ArchiveError(`the layout's indexes list more than ${MAX_INDEXED} entries; it is not an image layout`)
      const path = blobPath(entry.digest)
      const top = walk.top ?? entry
      const name = top.annotations?.[REF_NAME] ?? ''
      // An engine exporting one platform still lists the others it holds, without their blobs.
      if (!documents.has(path)) return entry.platform ? [{ platform: platformName(entry.platform), name, top: top.digest }] : []
      const document = documents.read(path, IndexOrManifestSchema)
      if (document.manifests && depth < 4) return imagesIn(documents, document.manifests, budget, { top, depth: depth + 1 })
      if (!document.config || !document.layers) throw new ArchiveError(`${path} is neither an image index nor a manifest`)
      const platform = entry.platform ? platformName(entry.platform) : configPlatform(documents, document.config)
      return [{ platform, name, top: top.digest, manifest: { config: document.config, layers: document.layers } }]
    })
}

function configPlatform(documents: Documents, config: Descriptor): string {
  return documents.has(blobPath(config.digest))
    ? platformName(documents.read(blobPath(config.digest), ImageConfigSchema))
    : 'unknown/unknown'
}
