import { describe, expect, it } from '@jest/globals'
import { readImageArchive } from '../../../src/archive/archive.js'
import { parseHistorySizes } from '../../../src/engine/docker.js'
import { engineLayerSize, layerOrigin, type LayerBytes } from '../../../src/archive/layer-size.js'
import { buildImageModel } from '../../../src/model/model.js'
import { chunked, makeDockerSave, makeTar } from '../../support/tar-writer.js'

/** `RUN ln -s /bin/busybox /x && echo hello > /y`: 6 bytes of file, 12 of symlink target. */
const runLayer = makeTar([
  { path: 'x', type: 'symlink', linkname: '/bin/busybox' },
  { path: 'y', content: 'hello\n' }
])
/** `RUN echo abcdefgh > /h1 && ln /h1 /h2`: one inode under two names. */
const hardLinkLayer = makeTar([
  { path: 'h1', content: 'abcdefgh\n' },
  { path: 'h2', type: 'hardlink', linkname: 'h1' }
])

describe('engineLayerSize', () => {
  const bytes: LayerBytes = { regular: 6, symlinkTargets: 12 }

  it('counts what each way of registering a layer counts', () => {
    expect(engineLayerSize(bytes, 'committed')).toBe(6)
    expect(engineLayerSize(bytes, 'applied')).toBe(18)
  })

  it.each([
    [6, 'committed'],
    [18, 'applied'],
    [undefined, 'applied'],
    [7, 'applied']
  ] as const)('reads an engine figure of %s bytes as %s', (engine, origin) => {
    expect(layerOrigin(bytes, engine)).toBe(origin)
  })

  it('calls a layer without symlinks applied, as both rules agree on it', () => {
    expect(layerOrigin({ regular: 9, symlinkTargets: 0 }, 9)).toBe('applied')
  })
})

describe('parseHistorySizes', () => {
  it('reads docker history newest first and returns the sizes oldest first', () => {
    expect(parseHistorySizes('6\n0\n2203830\n')).toEqual([2203830, 0, 6])
  })

  it('refuses human-readable sizes rather than guess at their rounding', () => {
    expect(parseHistorySizes('6B\n2.2MB\n')).toBeUndefined()
  })
})

describe('buildImageModel layer sizes', () => {
  const history = [
    { created_by: 'RUN ln -s # buildkit' },
    { created_by: 'ENV A=1', empty_layer: true },
    { created_by: 'RUN ln # buildkit' }
  ]
  const read = () =>
    readImageArchive(chunked(makeDockerSave({ layers: [runLayer, hardLinkLayer], history }), 4096), { estimateCompressed: false })

  it('counts symlink targets when the engine has not sized the layers, as a pull or docker load would', async () => {
    const model = buildImageModel(await read())
    expect(model.layers.map((layer) => layer.size)).toEqual([18, 9])
    expect(model.size).toBe(27)
  })

  it('follows the engine where its BuildKit committed the layer, pairing sizes past empty history entries', async () => {
    const model = buildImageModel(await read(), undefined, [6, 0, 9])
    expect(model.layers.map((layer) => layer.size)).toEqual([6, 9])
    expect(model.size).toBe(15)
  })

  it('ignores engine sizes that do not line up with the history', async () => {
    const model = buildImageModel(await read(), undefined, [6, 9])
    expect(model.layers.map((layer) => layer.size)).toEqual([18, 9])
  })
})
