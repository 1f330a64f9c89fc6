import { gzipSync } from 'node:zlib'
import { createHash } from 'node:crypto'

/** One entry for a generated tar. */
export interface TarSpec {
  path: string
  type?: 'file' | 'directory' | 'symlink' | 'hardlink'
  content?: Buffer | string
  mode?: number
  linkname?: string
  /** Write the path through a pax header, as tar does for long names. */
  pax?: boolean
  /** Write the path through a GNU long-name header. */
  gnuLongName?: boolean
}

const TYPE_FLAG = { file: '0', hardlink: '1', symlink: '2', directory: '5' } as const

/** One 512-byte ustar header with its checksum; the body (of `size` bytes) is the caller's. */
export function header(path: string, flag: string, size: number, mode: number, linkname = ''): Buffer {
  const block = Buffer.alloc(512)
  block.write(path.slice(0, 100), 0, 'utf8')
  block.write(`${mode.toString(8).padStart(7, '0')}\0`, 100)
  block.write('0000000\0', 108)
  block.write('0000000\0', 116)
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124)
  block.write('00000000000\0', 136)
  block.write(flag, 156)
  block.write(linkname.slice(0, 100), 157)
  block.write('ustar\0', 257)
  block.write('00', 263)
  block.write('        ', 148)
  let sum = 0
  for (const byte of block) sum += byte
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148)
  return block
}

function padded(data: Buffer): Buffer {
  const padding = (512 - (data.length % 512)) % 512
  return Buffer.concat([data, Buffer.alloc(padding)])
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`
  let length = body.length + 1
  while (`${length}${body}`.length !== length) length = `${length}${body}`.length
  return `${length}${body}`
}

/** A tar archive in memory: for small generated fixtures only. */
export function makeTar(entries: TarSpec[]): Buffer {
  const parts: Buffer[] = []
  for (const entry of entries) {
    const type = entry.type ?? 'file'
    const content = Buffer.from(entry.content ?? '')
    const mode = entry.mode ?? (type === 'directory' ? 0o755 : 0o644)
    let name = entry.path
    if (entry.pax) {
      const pax = Buffer.from(paxRecord('path', entry.path))
      parts.push(header('PaxHeader', 'x', pax.length, 0o644), padded(pax))
      name = 'placeholder'
    } else if (entry.gnuLongName) {
      const long = Buffer.from(`${entry.path}\0`)
      parts.push(header('././@LongLink', 'L', long.length, 0o644), padded(long))
      name = 'placeholder'
    }
    const size = type === 'file' ? content.length : 0
    parts.push(header(name, TYPE_FLAG[type], size, mode, entry.linkname ?? ''))
    if (size > 0) parts.push(padded(content))
  }
  parts.push(Buffer.alloc(1024))
  return Buffer.concat(parts)
}

export function sha256(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`
}

export interface ImageSpec {
  layers: Buffer[]
  history?: { created_by?: string; empty_layer?: boolean }[]
  env?: string[]
  entrypoint?: string[]
  architecture?: string
}

function configFor(spec: ImageSpec): Buffer {
  return Buffer.from(
    JSON.stringify({
      architecture: spec.architecture ?? 'amd64',
      os: 'linux',
      config: { Env: spec.env ?? ['PATH=/usr/bin:/bin'], ...(spec.entrypoint ? { Entrypoint: spec.entrypoint } : {}) },
      rootfs: { type: 'layers', diff_ids: spec.layers.map(sha256) },
      history: spec.history ?? spec.layers.map((_, i) => ({ created_by: `RUN step ${i} # buildkit` }))
    })
  )
}

/** `docker save` in the legacy layout, with manifest.json written last as the engine does. */
export function makeDockerSave(spec: ImageSpec): Buffer {
  const config = configFor(spec)
  const configName = `${sha256(config).slice(7)}.json`
  const entries: TarSpec[] = []
  const layerPaths = spec.layers.map((layer, i) => {
    const id = sha256(Buffer.from(`layer${i}`)).slice(7)
    entries.push({ path: `${id}/`, type: 'directory' }, { path: `${id}/VERSION`, content: '1.0' })
    entries.push({ path: `${id}/json`, content: '{"id":"x"}' }, { path: `${id}/layer.tar`, content: layer })
    return `${id}/layer.tar`
  })
  entries.push({ path: configName, content: config })
  entries.push({ path: 'manifest.json', content: JSON.stringify([{ Config: configName, RepoTags: null, Layers: layerPaths }]) })
  entries.push({ path: 'repositories', content: '{}' })
  return makeTar(entries)
}

/** An OCI image layout archive as buildx exports it: gzip layer blobs, index.json first. */
export function makeOciArchive(spec: ImageSpec & { platform?: string }): { archive: Buffer; gzipped: Buffer[] } {
  const config = configFor(spec)
  const gzipped = spec.layers.map((layer) => gzipSync(layer, { level: 6 }))
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
      layers: gzipped.map((blob) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(blob), size: blob.length }))
    })
  )
  const [os, architecture] = (spec.platform ?? 'linux/amd64').split('/')
  const index = {
    schemaVersion: 2,
    manifests: [
      {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: sha256(manifest),
        size: manifest.length,
        platform: { os, architecture }
      }
    ]
  }
  const blob = (data: Buffer): TarSpec => ({ path: `blobs/sha256/${sha256(data).slice(7)}`, content: data })
  const archive = makeTar([
    { path: 'oci-layout', content: '{"imageLayoutVersion":"1.0.0"}' },
    { path: 'index.json', content: JSON.stringify(index) },
    blob(manifest),
    blob(config),
    ...gzipped.map(blob)
  ])
  return { archive, gzipped }
}

/** Replays a buffer as a stream of chunks of the given size. */
export async function* chunked(data: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < data.length; offset += size) yield data.subarray(offset, offset + size)
}

/** One platform's image inside an engine-style archive; `blobs` are the layer blobs exactly as stored. */
export interface PlatformImage {
  platform: string
  layers: Buffer[]
  blobs: Buffer[]
  layerMediaType: string
}

export interface EngineSaveSpec {
  images: PlatformImage[]
  /** The platform manifest.json names, as an engine does for the host platform when no platform is asked for. */
  manifestJsonFor?: string
  /** Platforms listed in the image index whose blobs are left out, as an engine exporting one platform does. */
  withoutBlobs?: string[]
}

/**
 * `docker save` of a containerd-store engine (Docker 25+): index.json → image index → one manifest per
 * platform plus attestation manifests, and a manifest.json naming one platform's layers.
 */
export function makeEngineSave(spec: EngineSaveSpec): { archive: Buffer; configs: Buffer[]; indexDigest: string } {
  const blobs: Buffer[] = []
  const configs: Buffer[] = []
  const manifests = spec.images.map((image) => {
    const [os, architecture] = image.platform.split('/')
    const config = configFor({ layers: image.layers, architecture: architecture ?? 'amd64' })
    configs.push(config)
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
        layers: image.blobs.map((blob) => ({ mediaType: image.layerMediaType, digest: sha256(blob), size: blob.length }))
      })
    )
    if (!spec.withoutBlobs?.includes(image.platform)) blobs.push(manifest, config, ...image.blobs)
    return {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: sha256(manifest),
      size: manifest.length,
      platform: { os, architecture }
    }
  })
  const attestation = Buffer.from(JSON.stringify({ schemaVersion: 2, config: { digest: sha256(Buffer.from('att')), size: 3 }, layers: [] }))
  const attestations = manifests.map((manifest) => ({
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: sha256(attestation),
    size: attestation.length,
    annotations: { 'vnd.docker.reference.digest': manifest.digest, 'vnd.docker.reference.type': 'attestation-manifest' },
    platform: { os: 'unknown', architecture: 'unknown' }
  }))
  const index = Buffer.from(
    JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [...manifests, ...attestations] })
  )
  const top = {
    schemaVersion: 2,
    manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', digest: sha256(index), size: index.length }]
  }
  const host = spec.images.find((image) => image.platform === (spec.manifestJsonFor ?? spec.images[0]?.platform))
  const hostConfig = configs[host ? spec.images.indexOf(host) : 0] ?? Buffer.alloc(0)
  const manifestJson = [
    {
      Config: `blobs/sha256/${sha256(hostConfig).slice(7)}`,
      RepoTags: null,
      Layers: (host?.blobs ?? []).map((blob) => `blobs/sha256/${sha256(blob).slice(7)}`)
    }
  ]
  const blob = (data: Buffer): TarSpec => ({ path: `blobs/sha256/${sha256(data).slice(7)}`, content: data })
  const archive = makeTar([
    { path: 'blobs/', type: 'directory' },
    ...[index, ...blobs].map(blob),
    { path: 'index.json', content: JSON.stringify(top) },
    { path: 'manifest.json', content: JSON.stringify(manifestJson) },
    { path: 'oci-layout', content: '{"imageLayoutVersion":"1.0.0"}' }
  ])
  return { archive, configs, indexDigest: sha256(index) }
}
