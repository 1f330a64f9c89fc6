import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { gzipSync } from 'node:zlib'
import { ArchiveError, PlatformMissing, readImageArchive } from '../../../src/archive/archive.js'
import { collectGarbage } from '../../../src/archive/dead-buffers.js'
import { canReadZstd } from '../../../src/archive/layer.js'
import {
  chunked,
  header,
  makeDockerSave,
  makeEngineSave,
  makeOciArchive,
  makeTar,
  sha256,
  type PlatformImage
} from '../../support/tar-writer.js'

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
    await expect(readImageArchive(chunked(amd.archive, 4096), { estimateCompressed: false, platform: 'linux/arm64' })).rejects.toThrow(
      'the archive has no image for platform linux/arm64 (it has linux/amd64)'
    )
  })

  it('rejects a tar that is not an image archive', async () => {
    await expect(readImageArchive(chunked(base, 4096), { estimateCompressed: false })).rejects.toThrow(
      new ArchiveError('archive has neither manifest.json nor index.json: it is not an image archive')
    )
  })

  it('rejects an archive whose manifest names a missing layer', async () => {
    const manifest = JSON.stringify([{ Config: 'c.json', Layers: ['gone/layer.tar'] }])
    const config = JSON.stringify({ rootfs: { diff_ids: ['sha256:x'] } })
    const archive = makeTar([
      { path: 'c.json', content: config },
      { path: 'manifest.json', content: manifest }
    ])
    await expect(readImageArchive(chunked(archive, 4096), { estimateCompressed: false })).rejects.toThrow(
      'image archive lists layer gone/layer.tar but does not contain it'
    )
  })

  it('reads a gzip layer inside a legacy archive', async () => {
    const archive = makeDockerSave({ layers: [gzipSync(app)] })
    const image = await readImageArchive(chunked(archive, 4096), { estimateCompressed: true })
    expect(image.layers[0]).toMatchObject({
      bytes: { regular: 20_000, symlinkTargets: 0 },
      compressedExact: true,
      compressedSize: gzipSync(app).length
    })
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
  yield makeTar([
    { path: 'c.json', content: config },
    { path: 'manifest.json', content: manifest }
  ])
}

const GZIP_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip'
const ZSTD_LAYER = 'application/vnd.oci.image.layer.v1.tar+zstd'

function gzipImage(platform: string, layers: Buffer[]): PlatformImage {
  return { platform, layers, blobs: layers.map((layer) => gzipSync(layer)), layerMediaType: GZIP_LAYER }
}

/** zstd from Debian's zstd CLI, so the fixture does not depend on the Node under test. */
function zstd(data: Buffer): Buffer {
  return execFileSync('zstd', ['-q', '-c', '-3'], { input: data })
}

describe('containerd image store archives', () => {
  const arm = makeTar([{ path: 'arm/service', content: 'a'.repeat(30_000), mode: 0o755 }])
  const images = [gzipImage('linux/amd64', [base, app]), gzipImage('linux/arm64', [arm])]

  it('picks the platform from index.json, not the host platform manifest.json names', async () => {
    const { archive, configs, indexDigest } = makeEngineSave({ images, manifestJsonFor: 'linux/amd64' })
    const image = await readImageArchive(chunked(archive, 4096), { estimateCompressed: true, platform: 'linux/arm64' })
    expect(image.config.architecture).toBe('arm64')
    expect(image.diffIds).toEqual([sha256(arm)])
    expect(image.layers.map((layer) => layer.compressedSize)).toEqual([gzipSync(arm).length])
    expect(image.configDigest).toBe(sha256(configs[1] as Buffer))
    expect(image.id).toBe(indexDigest)
  })

  it('reads the platform manifest.json names when no platform is asked for', async () => {
    const { archive, configs } = makeEngineSave({ images, manifestJsonFor: 'linux/amd64' })
    const image = await readImageArchive(chunked(archive, 4096), { estimateCompressed: true })
    expect(image.diffIds).toEqual([sha256(base), sha256(app)])
    expect(image.configDigest).toBe(sha256(configs[0] as Buffer))
    expect(image.layers.map((layer) => layer.compression)).toEqual(['gzip', 'gzip'])
  })

  it('accepts arm64/v8 for arm64, as containerd normalises it', async () => {
    const { archive } = makeEngineSave({ images })
    const image = await readImageArchive(chunked(archive, 4096), { estimateCompressed: false, platform: 'linux/arm64/v8' })
    expect(image.diffIds).toEqual([sha256(arm)])
  })

  it('names the platforms the image has when it lacks the one asked for, blobs or not', async () => {
    const { archive } = makeEngineSave({ images, withoutBlobs: ['linux/arm64'] })
    const read = readImageArchive(chunked(archive, 4096), { estimateCompressed: false, platform: 'linux/s390x' })
    await expect(read).rejects.toThrow(new PlatformMissing('linux/s390x', ['linux/amd64', 'linux/arm64']))
    await expect(read).rejects.toThrow('the archive has no image for platform linux/s390x (it has linux/amd64, linux/arm64)')
  })

  it('refuses a legacy single-platform archive for another platform instead of measuring the wrong image', async () => {
    const archive = makeDockerSave({ layers: [base] })
    await expect(readImageArchive(chunked(archive, 4096), { estimateCompressed: false, platform: 'linux/arm64' })).rejects.toThrow(
      'the archive has no image for platform linux/arm64 (it has linux/amd64)'
    )
  })

  it('marks plain layers as uncompressed, their gzip size estimated', async () => {
    const image = await readImageArchive(chunked(makeDockerSave({ layers: [base] }), 4096), { estimateCompressed: true })
    expect(image.layers[0]).toMatchObject({ compression: 'none', compressedExact: false })
  })
})

describe('zstd layers', () => {
  const blob = zstd(app)
  const { archive } = makeEngineSave({ images: [{ platform: 'linux/amd64', layers: [app], blobs: [blob], layerMediaType: ZSTD_LAYER }] })

  it('starts with the zstd frame magic 28 b5 2f fd, as BuildKit writes it', () => {
    expect([...blob.subarray(0, 4)]).toEqual([0x28, 0xb5, 0x2f, 0xfd])
  })

  if (canReadZstd()) {
    it('reads a zstd layer and takes the blob as its exact compressed size', async () => {
      const image = await readImageArchive(chunked(archive, 1000), { estimateCompressed: true })
      expect(image.layers[0]).toMatchObject({
        size: 20_000,
        files: 2,
        compression: 'zstd',
        compressedExact: true,
        compressedSize: blob.length
      })
      expect(image.layers[0]?.tarBytes).toBe(app.length)
    })
  } else {
    it('says in one sentence that this Node cannot read zstd', async () => {
      await expect(readImageArchive(chunked(archive, 1000), { estimateCompressed: true })).rejects.toThrow(
        `layer blobs/sha256/${sha256(blob).slice(7)} is zstd-compressed, which Node ${process.version} cannot read; run on Node 22.15 or later (the action's node24 can)`
      )
    })
  }
})

/**
 * Like hugeArchive, but every read arrives in a fresh 64 KiB buffer, as a socket's do, and the last few stay
 * referenced while the heap churns, as in a pipeline whose stages hold data: so V8 promotes them before
 * they die, as it does in a real run. `seen` samples buffer memory as it goes.
 */
async function* freshBufferArchive(bytes: number, seen: (arrayBuffers: number) => void): AsyncGenerator<Uint8Array> {
  const read = 64 * 1024
  const held: Buffer[] = []
  let churn: unknown[] = []
  yield header('0123/layer.tar', '0', 512 + bytes + 1024, 0o644)
  yield header('big.bin', '0', bytes, 0o644)
  for (let sent = 0; sent < bytes; sent += read) {
    seen(process.memoryUsage().arrayBuffers)
    const chunk = Buffer.alloc(Math.min(read, bytes - sent), 1)
    held.push(chunk)
    if (held.length > 128) held.shift()
    churn = [new Array(15_000).fill(sent), new Array(15_000).fill(sent)]
    yield chunk
  }
  held.length = churn.length = 0
  yield Buffer.alloc(1024)
  const config = JSON.stringify({ rootfs: { diff_ids: ['sha256:big'] }, history: [{ created_by: 'big' }] })
  const manifest = JSON.stringify([{ Config: 'c.json', Layers: ['0123/layer.tar'] }])
  yield makeTar([
    { path: 'c.json', content: config },
    { path: 'manifest.json', content: manifest }
  ])
}

describe('memory', () => {
  it("frees dead read buffers as it goes, instead of letting them pile up to V8's 64 MB trigger", async () => {
    collectGarbage()
    const before = process.memoryUsage().arrayBuffers
    let peak = 0
    const image = await readImageArchive(
      freshBufferArchive(160 << 20, (now) => (peak = Math.max(peak, now - before))),
      { estimateCompressed: false }
    )
    expect(image.layers[0]?.bytes.regular).toBe(160 << 20)
    // Measured: 41 MiB with a collection every 32 MiB read, 76 MiB when V8 is left to its own trigger.
    expect(peak).toBeLessThan(56 << 20)
  })

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
