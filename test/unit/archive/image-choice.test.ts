import { describe, expect, it } from '@jest/globals'
import { readImageArchive, readImageLayout, type ArchiveOptions } from '../../../src/archive/archive.js'
import { chunked, makeTar, sha256, type TarSpec } from '../../support/tar-writer.js'
import { layoutFiles, layoutTar, makeLayout } from '../../support/oci-layout.js'

const layer = (name: string) => makeTar([{ path: name, content: name.repeat(100) }])
const [a1, b1, b2, c1] = ['a1', 'b1', 'b2', 'c1'].map(layer) as [Buffer, Buffer, Buffer, Buffer]

const layout = makeLayout([
  { ref: 'svc:1', platforms: [{ platform: 'linux/amd64', layers: [a1] }] },
  {
    ref: 'svc:2',
    platforms: [
      { platform: 'linux/amd64', layers: [b1] },
      { platform: 'linux/arm64', layers: [b2] }
    ]
  },
  { platforms: [{ platform: 'linux/amd64', layers: [c1] }] }
])

const options = (selector: Partial<ArchiveOptions>): ArchiveOptions => ({
  estimateCompressed: false,
  checkBlobs: true,
  format: 'oci',
  ...selector
})
/** The same layout read both ways: streamed as an oci-archive, and in place as an oci: directory. */
const ways = [
  ['oci-archive', (selector: Partial<ArchiveOptions>) => readImageArchive(chunked(layoutTar(layout), 700), options(selector))],
  ['oci: directory', (selector: Partial<ArchiveOptions>) => readImageLayout(layoutFiles(layout), options(selector))]
] as const

describe.each(ways)('one image of a multi-image layout, read as %s', (_, read) => {
  it('is chosen by its ref name', async () => {
    expect((await read({ ref: 'svc:1' })).diffIds).toEqual([sha256(a1)])
  })

  it('is chosen by ref name, then platform, inside a multi-platform index', async () => {
    expect((await read({ ref: 'svc:2', platform: 'linux/arm64' })).diffIds).toEqual([sha256(b2)])
  })

  it('is chosen by platform alone when only one image has it', async () => {
    expect((await read({ platform: 'linux/arm64/v8' })).diffIds).toEqual([sha256(b2)])
  })

  it('lists what is there when a ref name leaves several', async () => {
    await expect(read({ ref: 'svc:2' })).rejects.toThrow(
      'the layout holds 2 images (svc:2 linux/amd64, svc:2 linux/arm64); choose one with :REF after the path (its ref name) or the platform input'
    )
  })

  it('lists what is there when a platform leaves several', async () => {
    await expect(read({ platform: 'linux/amd64' })).rejects.toThrow(
      'the layout holds 3 images (svc:1 linux/amd64, svc:2 linux/amd64, linux/amd64); choose one with :REF after the path'
    )
  })

  it('names the ref names it has when the one asked for is missing', async () => {
    await expect(read({ ref: 'svc:3' })).rejects.toThrow('the layout has no image named svc:3 (it has svc:1, svc:2)')
  })

  it('names the platforms it has when the one asked for is missing', async () => {
    await expect(read({ ref: 'svc:2', platform: 'linux/s390x' })).rejects.toThrow(
      'the archive has no image for platform linux/s390x (it has linux/amd64, linux/arm64)'
    )
  })

  it('takes the gzip blobs as exact compressed sizes', async () => {
    const image = await read({ ref: 'svc:1' })
    expect(image.layers[0]).toMatchObject({ compression: 'gzip', compressedExact: true })
    expect(image.warnings).toEqual([])
  })
})

/** A `docker save` of two images, as `docker save a b` (or podman save -m) writes it. */
function twoImageSave(): Buffer {
  const entries: TarSpec[] = []
  const manifest = [
    { tags: ['acme/svc:1'], architecture: 'amd64', layer: a1 },
    { tags: ['docker.io/library/base:latest'], architecture: 'arm64', layer: b2 }
  ].map(({ tags, architecture, layer: content }) => {
    const config = Buffer.from(JSON.stringify({ architecture, os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256(content)] } }))
    const [configPath, layerPath] = [`blobs/sha256/${sha256(config).slice(7)}`, `blobs/sha256/${sha256(content).slice(7)}`]
    entries.push({ path: configPath, content: config }, { path: layerPath, content })
    return { Config: configPath, RepoTags: tags, Layers: [layerPath] }
  })
  entries.push({ path: 'manifest.json', content: JSON.stringify(manifest) })
  return makeTar(entries)
}

describe('one image of a multi-image docker-archive', () => {
  const read = (selector: Partial<ArchiveOptions>) =>
    readImageArchive(chunked(twoImageSave(), 4096), { estimateCompressed: false, checkBlobs: true, format: 'docker', ...selector })

  it.each([
    ['acme/svc:1', a1],
    ['base', b2],
    ['library/base:latest', b2],
    ['@0', a1],
    ['@1', b2]
  ])('is chosen by the REF %s, as skopeo reads it', async (ref, content) => {
    expect((await read({ ref })).diffIds).toEqual([sha256(content)])
  })

  it('is chosen by platform', async () => {
    expect((await read({ platform: 'linux/arm64' })).diffIds).toEqual([sha256(b2)])
  })

  it.each([
    [
      {},
      'manifest.json describes 2 images (acme/svc:1 linux/amd64, docker.io/library/base:latest linux/arm64); choose one with docker-archive:PATH:REF (a tag or @N) or the platform input'
    ],
    [{ ref: 'acme/svc:2' }, 'the archive has no image tagged acme/svc:2 (it has acme/svc:1, docker.io/library/base:latest)'],
    [{ ref: '@2' }, 'the archive has no image @2: it holds 2, from @0'],
    [{ platform: 'linux/s390x' }, 'the archive has no image for platform linux/s390x (it has linux/amd64, linux/arm64)']
  ])('says what is there for %j', async (selector, message) => {
    await expect(read(selector)).rejects.toThrow(message)
  })
})
