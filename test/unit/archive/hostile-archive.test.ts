import { describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import { readImageArchive, readImageLayout, type ArchiveOptions } from '../../../src/archive/archive.js'
import { digestOfPath } from '../../../src/archive/image-documents.js'
import { chunked, makeTar, sha256 } from '../../support/tar-writer.js'
import { GZIP_LAYER, PLAIN_LAYER, blobOf, layoutFiles, layoutTar, makeLayout, type LayoutFileMap } from '../../support/oci-layout.js'

const app = makeTar([{ path: 'app', content: 'x'.repeat(5000), mode: 0o755 }])
const options: ArchiveOptions = { estimateCompressed: true, checkBlobs: true, format: 'oci' }
const asArchive = (files: LayoutFileMap, ref = '') => readImageArchive(chunked(layoutTar(files), 1000), { ...options, ref })
const asDirectory = (files: LayoutFileMap, ref = '') => readImageLayout(layoutFiles(files), { ...options, ref })

/** The layout with the file at `path` replaced, its name kept: what a forger or a broken copy leaves. */
function replaced(files: LayoutFileMap, path: string, content: Buffer): LayoutFileMap {
  return new Map([...files].map(([name, data]) => [name, name === path ? content : data]))
}

/** index.json rewritten by `edit`. */
function editIndex(files: LayoutFileMap, edit: (index: { manifests: Record<string, unknown>[] }) => void): LayoutFileMap {
  const index = JSON.parse((files.get('index.json') as Buffer).toString()) as { manifests: Record<string, unknown>[] }
  edit(index)
  return replaced(files, 'index.json', Buffer.from(JSON.stringify(index)))
}

describe.each([
  ['an oci-archive', asArchive],
  ['an oci: directory', asDirectory]
])('hostile content in %s', (_, read) => {
  const good = makeLayout([{ platforms: [{ platform: 'linux/amd64', layers: [app] }] }])
  const layerPath = blobOf(gzipSync(app))

  it('refuses a layer blob whose content is not the one its name claims', async () => {
    const other = gzipSync(makeTar([{ path: 'evil', content: 'y'.repeat(5000) }]))
    await expect(read(replaced(good, layerPath, other))).rejects.toThrow(
      `blob ${layerPath} is damaged: its content hashes to ${sha256(other)}, not the digest its name claims`
    )
  })

  it('refuses a config whose content is not the one its name claims', async () => {
    const [configPath] = [...good.keys()].filter((path) => (good.get(path) as Buffer).toString().includes('"rootfs"'))
    const forged = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { diff_ids: [sha256(app)] } }))
    await expect(read(replaced(good, configPath as string, forged))).rejects.toThrow(`blob ${configPath} is damaged`)
  })

  it('refuses a manifest digest that points outside the layout', async () => {
    const escaping = editIndex(good, (index) => {
      ;(index.manifests[0] as { digest: string }).digest = 'sha256:../../../etc/passwd'
    })
    await expect(read(escaping)).rejects.toThrow(
      'image archive entry index.json is not as expected: manifests[0].digest should be a digest (sha256: and 64 hex digits), not a string'
    )
  })

  it('reads a layer labelled gzip that holds a plain tar by its content, with a warning, never as an exact gzip size', async () => {
    const mislabelled = makeLayout([
      { platforms: [{ platform: 'linux/amd64', layers: [app] }], blobs: (layer) => layer, layerMediaType: GZIP_LAYER }
    ])
    const image = await read(mislabelled)
    expect(image.layers[0]).toMatchObject({ compression: 'none', compressedExact: false })
    expect(image.warnings).toEqual([
      `layer ${blobOf(app)} is labelled ${GZIP_LAYER} but holds a plain tar; it was read by its content, and its compressed size is not exact`
    ])
  })

  it('reads a layer labelled plain that holds gzip by its content, and does not call its size exact', async () => {
    const mislabelled = makeLayout([{ platforms: [{ platform: 'linux/amd64', layers: [app] }], layerMediaType: PLAIN_LAYER }])
    const image = await read(mislabelled)
    expect(image.layers[0]).toMatchObject({ compression: 'gzip', compressedExact: false })
    expect(image.warnings[0]).toContain('holds gzip data')
  })

  it('refuses a layer of another size than its descriptor says', async () => {
    const lying = new Map(good)
    const manifestPath = [...good.keys()].find((path) =>
      (good.get(path) as Buffer).toString().includes('"mediaType":"application/vnd.oci.image.manifest')
    ) as string
    const manifest = JSON.parse((good.get(manifestPath) as Buffer).toString()) as { layers: { size: number }[] }
    ;(manifest.layers[0] as { size: number }).size += 1
    const text = Buffer.from(JSON.stringify(manifest))
    lying.delete(manifestPath)
    lying.set(blobOf(text), text)
    const relinked = editIndex(lying, (index) => {
      Object.assign(index.manifests[0] as object, { digest: sha256(text), size: text.length })
    })
    await expect(read(relinked)).rejects.toThrow(/^layer blobs\/sha256\/[0-9a-f]{64} is \d+ bytes, not the \d+ its manifest says$/)
  })

  it('names a layer that is neither a tar nor compressed', async () => {
    const noise = Buffer.alloc(4096, 0xab)
    const layout = makeLayout([{ platforms: [{ platform: 'linux/amd64', layers: [app] }], blobs: () => noise }])
    await expect(read(layout)).rejects.toThrow(`layer ${blobOf(noise)} is neither a tar nor gzip or zstd data`)
  })

  it('narrows a 10,000-entry index by ref name, and lists only the first ten names when it cannot', async () => {
    const many = editIndex(good, (index) => {
      const [entry] = index.manifests
      index.manifests = Array.from({ length: 10_000 }, (_, i) => ({
        ...entry,
        annotations: { 'org.opencontainers.image.ref.name': `tag-${i}` }
      }))
    })
    expect((await read(many, 'tag-9999')).diffIds).toEqual([sha256(app)])
    const error = await read(many).then(
      () => new Error('read'),
      (caught: unknown) => caught as Error
    )
    expect(error.message).toMatch(/^the layout holds 10000 images \(tag-0 linux\/amd64, .*tag-9 linux\/amd64 and 9990 more\); choose one/)
    expect(error.message.length).toBeLessThan(400)
  })
})

describe('a truncated archive', () => {
  it('is refused in one sentence', async () => {
    const noise = makeTar([{ path: 'noise', content: randomBytes(64 << 10) }])
    const files = makeLayout([{ platforms: [{ platform: 'linux/amd64', layers: [noise] }] }])
    const layer = blobOf(gzipSync(noise))
    // The layer blob last, and cut inside it, as a copy that stopped early leaves it.
    const whole = makeTar([...files].sort(([a]) => (a === layer ? 1 : -1)).map(([path, content]) => ({ path, content })))
    const cut = whole.subarray(0, whole.length - 20_000)
    await expect(readImageArchive(chunked(cut, 1000), options)).rejects.toThrow('tar stream ended in the middle of an entry')
  })
})

describe('digestOfPath', () => {
  const hex = 'ab'.repeat(32)
  it.each([
    [`blobs/sha256/${hex}`, `sha256:${hex}`],
    [`blobs/sha512/${hex}${hex}`, `sha512:${hex}${hex}`],
    [`sha256:${hex}`, `sha256:${hex}`],
    [`${hex}.json`, `sha256:${hex}`],
    [`${hex}.tar.gz`, `sha256:${hex}`],
    [`${hex}/layer.tar`, undefined],
    ['manifest.json', undefined],
    [`blobs/sha256/../${hex}`, undefined]
  ])('%s names %s', (path, digest) => {
    expect(digestOfPath(path)).toBe(digest)
  })
})
