import { describe, expect, it } from '@jest/globals'
import { gzipSync } from 'node:zlib'
import { ArchiveError, readImageArchive } from '../../src/archive.js'
import { chunked, header, makeDockerSave, makeOciArchive, makeTar, sha256 } from '../support/tar-writer.js'

const base = makeTar([
  { path: 'bin/', type: 'directory' },
  { path: 'bin/busybox', content: 'b'.repeat(5000), mode: 0o755 },
  { path: 'bin/sh', type: 'symlink', linkname: '/bin/busybox' },
  { path: 'bin/ash', type: 'hardlink', linkname: 'bin/busybox' },
  { path: 'etc/passwd', content: 'root:x:0:0::/root:/bin/sh\n' }
])
const app = makeTar([
  { path: 'app/', type: 'directory' },
  { path: 'app/service', content: 's'.repeat(20_000), mode: 0o755 },
  { path: 'etc/.wh.passwd', content: '' }
])
/** What the scan counts of `base`: regular-file bodies (the hard link adds none) and the symlink's target. */
const baseBytes = { regular: 5000 + 'root:x:0:0::/root:/bin/sh\n'.length, symlinkTargets: '/bin/busybox'.length }

describe('readImageArchive', () => {
  it.each([7, 512, 4096, 1 << 20])('reads a legacy docker save archive in %d-byte chunks', async (size) => {
    const archive = makeDockerSave({ layers: [base, app] })
    const image = await readImageArchive(chunked(archive, size), { estimateCompressed: true })
    expect(image.diffIds).toEqual([sha256(base), sha256(app)])
    expect(image.layers.map((layer) => layer.bytes)).toEqual([baseBytes, { regular: 20_000, symlinkTargets: 0 }])
    expect(image.layers.map((layer) => layer.files)).toEqual([4, 2])
    expect(image.layers.map((layer) => layer.tarBytes)).toEqual([base.length, app.length])
    expect(image.layers.every((layer) => !layer.compressedExact)).toBe(true)
    // The estimate is a real gzip of the layer tar, so it matches gzip at the same level closely.
    image.layers.forEach((layer, i) => {
      const reference = gzipSync([base, app][i] as Buffer, { level: 6 }).length
      expect(Math.abs((layer.compressedSize ?? 0) - reference)).toBeLessThanOrEqual(32)
    })
    expect(image.id).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(image.config.rootfs?.diff_ids).toHaveLength(2)
  })

  it('reads an OCI layout with gzip blobs and takes their sizes as exact', async () => {
    const { archive, gzipped } = makeOciArchive({ layers: [base, app] })
    const image = await readImageArchive(chunked(archive, 1000), { estimateCompressed: true })
    expect(image.layers.map((layer) => layer.compressedSize)).toEqual(gzipped.map((blob) => blob.length))
    expect(image.layers.every((layer) => layer.compressedExact)).toBe(true)
    expect(image.layers.map((layer) => layer.bytes)).toEqual([baseBytes, { regular: 20_000, symlinkTargets: 0 }])
    expect([...(image.layers[1]?.entries ?? [])].map((entry) => entry.path)).toEqual(['app', 'app/service', 'etc/.wh.passwd'])
  })

  it('skips compression when compressed sizes are not wanted', async () => {
    const image = await readImageArchive(chunked(makeDockerSave({ layers: [base] }), 4096), { estimateCompressed: false })
    expect(image.layers[0]?.compressedSize).toBeUndefined()
  })

  it('chooses a platform from a multi-platform index, and says which exist otherwise', async () => {
    const amd = makeOciArchive({ layers: [base], platform: 'linux/amd64' })
    const image = await readImageArchive(chunked(amd.archive, 4096), { estimateCompressed: false, platform: 'linux/amd64' })
    expect(image.layers).toHaveLength(1)
    await expect(
      readImageArchive(chunked(amd.archive, 4096), { estimateCompressed: false, platform: 'linux/arm64' })
    ).rejects.toThrow('the archive has no image for platform linux/arm64 (it has linux/amd64)')
  })

  it('rejects a tar that is not an image archive', async () => {
    await expect(readImageArchive(chunked(base, 4096), { estimateCompressed: false })).rejects.toThrow(
      new ArchiveError('archive has neither manifest.json nor index.json: it is not an image archive')
    )
  })

  it('rejects an archive whose manifest names a missing layer', async () => {
    const manifest = JSON.stringify([{ Config: 'c.json', Layers: ['gone/layer.tar'] }])
    const config = JSON.stringify({ rootfs: { diff_ids: ['sha256:x'] } })
    const archive = makeTar([{ path: 'c.json', content: config }, { path: 'manifest.json', content: manifest }])
    await expect(readImageArchive(chunked(archive, 4096), { estimateCompressed: false })).rejects.toThrow(
      'image archive lists layer gone/layer.tar but does not contain it'
    )
  })

  it('reads a gzip layer inside a legacy archive', async () => {
    const archive = makeDockerSave({ layers: [gzipSync(app)] })
    const image = await readImageArchive(chunked(archive, 4096), { estimateCompressed: true })
    expect(image.layers[0]).toMatchObject({ bytes: { regular: 20_000, symlinkTargets: 0 }, compressedExact: true, compressedSize: gzipSync(app).length })
  })
})

/** A docker-save archive with one layer holding one file of `bytes` zeros, generated as it is read. */
async function* hugeArchive(bytes: number): AsyncGenerator<Uint8Array> {
  const inner = header('big.bin', '0', bytes, 0o644)
  const outer = header('0123/layer.tar', '0', 512 + bytes + 1024, 0o644)
  yield outer
  yield inner
  const zeros = Buffer.alloc(1 << 20)
  for (let sent = 0; sent < bytes; sent += zeros.length) yield zeros.subarray(0, Math.min(zeros.length, bytes - sent))
  yield Buffer.alloc(1024)
  const config = JSON.stringify({ rootfs: { diff_ids: ['sha256:big'] }, history: [{ created_by: 'big' }] })
  const manifest = JSON.stringify([{ Config: 'c.json', Layers: ['0123/layer.tar'] }])
  yield makeTar([{ path: 'c.json', content: config }, { path: 'manifest.json', content: manifest }])
}

describe('memory', () => {
  it('streams a 512 MB layer with flat memory', async () => {
    const bytes = 512 << 20
    global.gc?.()
    const before = process.memoryUsage()
    const image = await readImageArchive(hugeArchive(bytes), { estimateCompressed: false })
    const after = process.memoryUsage()
    expect(image.layers[0]?.bytes.regular).toBe(bytes)
    expect(after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers)).toBeLessThan(64 << 20)
  })
})
