import { describe, expect, it } from '@jest/globals'
import { readImageArchive, type ImageArchive } from '../../../src/archive/archive.js'
import { parseDockerfile, selectStage } from '../../../src/model/dockerfile.js'
import { buildImageModel } from '../../../src/model/model.js'
import { chunked, makeDockerSave, makeTar } from '../../support/tar-writer.js'

const DOCKERFILE = ['FROM scratch', 'ENV MODE=prod', 'COPY app /app', 'RUN ln -s /app /bin/app'].join('\n')

/** Two layers: a 300-byte file, then a symlink whose 4-byte target a pull counts and BuildKit's commit does not. */
async function archive(): Promise<ImageArchive> {
  const layers = [
    makeTar([{ path: 'app', content: Buffer.alloc(300, 7), mode: 0o755 }]),
    makeTar([
      { path: 'bin/', type: 'directory' },
      { path: 'bin/app', type: 'symlink', linkname: '/app' }
    ])
  ]
  const history = [
    { created_by: 'ENV MODE=prod', empty_layer: true },
    { created_by: 'COPY app /app # buildkit' },
    { created_by: 'RUN /bin/sh -c ln -s /app /bin/app # buildkit' }
  ]
  const save = makeDockerSave({ layers, history, env: ['PATH=/bin', 'MODE=prod', 'EMPTY=', 'A=b=c'] })
  return readImageArchive(chunked(save, 1000), { estimateCompressed: false })
}

describe('buildImageModel', () => {
  it('joins each layer with its history entry and, given the stage, its Dockerfile line', async () => {
    const stage = selectStage(parseDockerfile(DOCKERFILE, 'Dockerfile'), undefined)
    const model = buildImageModel(await archive(), stage)
    expect(model.layers.map((layer) => [layer.index, layer.instruction, layer.dockerfileLine])).toEqual([
      [0, 'COPY app /app', 3],
      [1, 'RUN ln -s /app /bin/app', 4]
    ])
    // Directories are no files: the second layer's bin/ is not counted.
    expect(model.layers.map((layer) => layer.files)).toEqual([1, 1])
  })

  it('has no Dockerfile lines without a stage', async () => {
    const model = buildImageModel(await archive())
    expect(model.layers.map((layer) => layer.dockerfileLine)).toEqual([undefined, undefined])
    expect(model.layers[0]?.instruction).toBe('COPY app /app')
  })

  it('sizes layers as a pull would, unless the engine says it committed them', async () => {
    const pulled = buildImageModel(await archive())
    expect(pulled.layers.map((layer) => layer.size)).toEqual([300, 4])
    expect(pulled.size).toBe(304)
    // One engine size per history entry, the empty ENV one included; 0 for the symlink layer is BuildKit's commit.
    const committed = buildImageModel(await archive(), undefined, [0, 300, 0])
    expect(committed.layers.map((layer) => layer.size)).toEqual([300, 0])
    // A list that does not line up with the history is ignored.
    expect(buildImageModel(await archive(), undefined, [300, 0]).size).toBe(304)
  })

  it('reads the environment, keeping values with = and empty ones, and leaves compressed sizes unmeasured', async () => {
    const model = buildImageModel(await archive())
    expect(model.env).toEqual({ PATH: '/bin', MODE: 'prod', EMPTY: '', A: 'b=c' })
    expect(model.compressedSize).toBeUndefined()
    expect(model.platform).toBe('linux/amd64')
    expect(model.filesystem.get('bin/app')?.type).toBe('symlink')
  })
})
