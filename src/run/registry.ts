import type { ImageConfig } from '../archive/image-documents.js'
import { CommandTimeout } from '../engine/command.js'
import { Deadline } from '../deadline.js'
import { seconds } from '../duration.js'
import { compressionOf, isAttestation, platformName, type Descriptor } from '../archive/descriptor.js'
import { imagetoolsConfig, imagetoolsRaw } from '../engine/docker.js'
import { describeStep, stepsForLayers } from '../model/instructions.js'
import type { Baseline, ReportLayer } from '../report/report.js'

interface RegistryManifest {
  manifests?: Descriptor[]
  config?: Descriptor
  layers?: Descriptor[]
}

/** How long reading a baseline image's manifests and config may take in all; a healthy registry needs seconds. */
export const REGISTRY_TIMEOUT_MS = 60_000

/**
 * A baseline from a registry image, read without pulling: the manifest's layer sizes are the
 * compressed bytes exactly; uncompressed sizes and file listings are unknown.
 */
export async function readRegistryBaseline(ref: string, platform: string, timeoutMs = REGISTRY_TIMEOUT_MS): Promise<Baseline> {
  const deadline = Deadline.in(timeoutMs)
  try {
    const top = JSON.parse(await imagetoolsRaw(ref, deadline)) as RegistryManifest
    const pinned = top.manifests ? `${repositoryOf(ref)}@${choosePlatform(top.manifests, platform, ref).digest}` : ref
    const manifest = top.manifests ? (JSON.parse(await imagetoolsRaw(pinned, deadline)) as RegistryManifest) : top
    const config = JSON.parse(await imagetoolsConfig(pinned, deadline)) as ImageConfig
    return registryBaseline(ref, manifest, config)
  } catch (error) {
    if (error instanceof CommandTimeout)
      throw new Error(`no answer from the registry of ${ref} within ${seconds(timeoutMs)}`, { cause: error })
    throw error
  }
}

/** Maps a manifest and its config to a Baseline. Pure, for tests. */
export function registryBaseline(ref: string, manifest: RegistryManifest, config: ImageConfig): Baseline {
  const descriptors = manifest.layers ?? []
  const history = stepsForLayers(config.history ?? [], descriptors.length)
  const layers = descriptors.map((descriptor, index): ReportLayer => {
    const entry = history[index]
    const compression = compressionOf(descriptor.mediaType)
    return {
      diffId: config.rootfs?.diff_ids?.[index] ?? descriptor.digest,
      size: 0,
      compressedSize: descriptor.size,
      compressedExact: true,
      ...(compression ? { compression } : {}),
      files: 0,
      createdBy: entry?.created_by ?? null,
      instruction: entry ? describeStep(entry) : null,
      dockerfileLine: null
    }
  })
  return {
    source: 'image',
    ref,
    size: null,
    compressedSize: descriptors.reduce((total, descriptor) => total + descriptor.size, 0),
    compressedExact: true,
    layers,
    paths: null
  }
}

/** Picks the manifest for `platform` (or linux/amd64) from an index, skipping attestations. */
export function choosePlatform(manifests: Descriptor[], platform: string, ref: string): Descriptor {
  const wanted = platform || 'linux/amd64'
  const images = manifests.filter((entry) => !isAttestation(entry))
  const match = images.find((entry) => platformName(entry.platform) === wanted) ?? (images.length === 1 ? images[0] : undefined)
  if (!match)
    throw new Error(`${ref} has no image for ${wanted} (it has ${images.map((entry) => platformName(entry.platform)).join(', ')})`)
  return match
}

/** `registry/name:tag@digest` → `registry/name`. */
function repositoryOf(ref: string): string {
  const withoutDigest = ref.split('@')[0] ?? ref
  const lastSlash = withoutDigest.lastIndexOf('/')
  const colon = withoutDigest.lastIndexOf(':')
  return colon > lastSlash ? withoutDigest.slice(0, colon) : withoutDigest
}
