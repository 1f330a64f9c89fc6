/**
 * Small OCI layouts for tests, as files by path: several images, each named by a ref name and each
 * one platform or a multi-platform index; written as a tar (oci-archive) or held for a directory.
 */
import { gzipSync } from 'node:zlib'
import type { LayoutFiles } from '../../src/archive/archive.js'
import { makeTar, sha256, type TarSpec } from './tar-writer.js'

export interface LayoutImage {
  /** The org.opencontainers.image.ref.name of its index.json entry; none when undefined. */
  ref?: string
  /** One platform: a manifest in index.json; several: an image index in between. */
  platforms: { platform: string; layers: Buffer[] }[]
  /** The layer blobs' media type; gzip by default. */
  layerMediaType?: string
  /** Layer blobs as stored; gzip of each layer by default. */
  blobs?: (layer: Buffer) => Buffer
}

export const GZIP_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip'
export const PLAIN_LAYER = 'application/vnd.oci.image.layer.v1.tar'
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
const INDEX = 'application/vnd.oci.image.index.v1+json'

export type LayoutFileMap = Map<string, Buffer>

export const blobOf = (data: Buffer) => `blobs/sha256/${sha256(data).slice(7)}`

/** The layout's files: oci-layout, index.json and every blob. */
export function makeLayout(images: LayoutImage[]): LayoutFileMap {
  const files: LayoutFileMap = new Map([['oci-layout', Buffer.from('{"imageLayoutVersion":"1.0.0"}')]])
  const put = (data: Buffer) => {
    files.set(blobOf(data), data)
    return { digest: sha256(data), size: data.length }
  }
  const entries = images.map((image) => {
    const manifests = image.platforms.map(({ platform, layers }) => {
      const [os, architecture] = platform.split('/')
      const config = Buffer.from(
        JSON.stringify({
          architecture,
          os,
          config: { Env: ['PATH=/bin'] },
          rootfs: { type: 'layers', diff_ids: layers.map(sha256) },
          history: layers.map((_, i) => ({ created_by: `RUN step ${i}` }))
        })
      )
      const blobs = layers.map(image.blobs ?? ((layer) => gzipSync(layer)))
      const manifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MANIFEST,
          config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...put(config) },
          layers: blobs.map((blob) => ({ mediaType: image.layerMediaType ?? GZIP_LAYER, ...put(blob) }))
        })
      )
      return { mediaType: MANIFEST, ...put(manifest), platform: { os, architecture } }
    })
    const annotations = image.ref === undefined ? {} : { annotations: { 'org.opencontainers.image.ref.name': image.ref } }
    const [only] = manifests
    if (only && manifests.length === 1) return { ...only, ...annotations }
    const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: INDEX, manifests }))
    return { mediaType: INDEX, ...put(index), ...annotations }
  })
  files.set('index.json', Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: entries })))
  return files
}

/** The layout as an oci-archive: index.json first, as podman and buildx write it. */
export function layoutTar(files: LayoutFileMap): Buffer {
  const order = [...files.keys()].sort((a, b) => Number(b === 'index.json') - Number(a === 'index.json'))
  return makeTar(order.map((path): TarSpec => ({ path, content: files.get(path) ?? Buffer.alloc(0) })))
}

/** The layout as a directory would serve it, from memory. */
export function layoutFiles(files: LayoutFileMap): LayoutFiles {
  return {
    document: async (path) => files.get(path),
    blob: async (path) => {
      const data = files.get(path)
      if (!data) throw new Error(`no ${path}`)
      return {
        size: data.length,
        stream: (async function* () {
          yield data
        })()
      }
    }
  }
}
