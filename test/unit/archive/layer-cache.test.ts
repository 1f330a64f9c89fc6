import { describe, expect, it } from '@jest/globals'
import { readImageArchive } from '../../../src/archive/archive.js'
import { LayerCache, LayerCacheMiss } from '../../../src/archive/layer-cache.js'
import { LayerEntries } from '../../../src/archive/layer-entries.js'
import { chunked, makeDockerSave, makeTar, sha256 } from '../../support/tar-writer.js'

const base = makeTar([{ path: 'bin/busybox', content: 'b'.repeat(9000), mode: 0o755 }])
const app = makeTar([{ path: 'app', content: 'a'.repeat(4000) }])
const other = makeTar([{ path: 'app', content: 'c'.repeat(4000) }])

describe('LayerCache', () => {
  it('reuses the analysis of a layer shared by two images, proven by its digest', async () => {
    const cache = new LayerCache()
    const head = await readImageArchive(chunked(makeDockerSave({ layers: [base, app] }), 4096), { estimateCompressed: true })
    cache.add(head.diffIds, head.layers)
    const diffIds = [sha256(base), sha256(other)]
    const baseImage = await readImageArchive(chunked(makeDockerSave({ layers: [base, other] }), 4096), {
      estimateCompressed: true,
      reuse: { cache, diffIds }
    })
    expect(baseImage.layers[0]).toBe(head.layers[0])
    expect(baseImage.layers[1]).not.toBe(head.layers[1])
    expect(cache.reused(baseImage.layers)).toBe(1)
    expect(baseImage.layers[1]?.bytes.regular).toBe(4000)
  })

  it('refuses a layer of the same length whose digest differs', async () => {
    const cache = new LayerCache()
    const head = await readImageArchive(chunked(makeDockerSave({ layers: [app] }), 4096), { estimateCompressed: true })
    cache.add(head.diffIds, head.layers)
    // The image claims the cached diffId, but its bytes are other ones of equal length.
    const lying = readImageArchive(chunked(makeDockerSave({ layers: [other] }), 4096), {
      estimateCompressed: true,
      reuse: { cache, diffIds: [sha256(app)] }
    })
    await expect(lying).rejects.toThrow(LayerCacheMiss)
  })

  it('takes no candidate when two cached layers of the image share a length', async () => {
    const cache = new LayerCache()
    const scan = (tarBytes: number) => ({
      bytes: { regular: 1, symlinkTargets: 0 },
      tarBytes,
      blobBytes: tarBytes,
      compressedExact: false,
      compression: 'none' as const,
      deflatedBytes: 0,
      files: 1,
      entries: new LayerEntries()
    })
    cache.add(['sha256:a', 'sha256:b'], [scan(2048), scan(2048)])
    expect(await cache.candidate(['sha256:a', 'sha256:b'], 2048)).toBeUndefined()
    expect((await cache.candidate(['sha256:a'], 2048))?.diffId).toBe('sha256:a')
    expect(await cache.candidate(['sha256:c'], 2048)).toBeUndefined()
  })
})
