import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { link, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { ENGINE, dockerOk, dockerSize, runAction, type ActionRun } from '../../support/action-runner.js'
import type { Report } from '../../../src/report/report.js'
import { makeDockerSave, makeTar } from '../../support/tar-writer.js'

// 120 s for a test or hook: a test builds one small image four ways: 11 s at most on a loaded 2-core machine.
jest.setTimeout(120_000)

interface EngineEntry {
  CreatedBy: string
  Size: number
}

/** The socket of the engine under test: DOCKER_HOST when it names one, else the default. */
const SOCKET = /^unix:\/\/(.+)$/.exec(process.env['DOCKER_HOST'] ?? '')?.[1] ?? '/var/run/docker.sock'

/** `GET /images/{id}/history` on the engine's socket: exact bytes per history entry, newest first. */
function engineHistory(id: string): Promise<EngineEntry[]> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: SOCKET, path: `/images/${id}/history`, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as EngineEntry[]))
    })
    req.on('timeout', () => req.destroy(new Error('engine history timed out')))
    req.on('error', reject)
    req.end()
  })
}

/** Each layer the action reported, beside the engine's size for the history entry that made it. */
async function layerSizes(run: ActionRun): Promise<{ createdBy: string; ours: number; engine: number | undefined }[]> {
  const report = JSON.parse(await readFile(run.outputs['report'] as string, 'utf8')) as Report
  const engine = await engineHistory(report.image.id)
  return report.image.layers.map((layer) => {
    const createdBy = layer.createdBy ?? ''
    return { createdBy, ours: layer.size, engine: engine.find((entry) => entry.CreatedBy === createdBy)?.Size }
  })
}

/**
 * The action's size equals the engine's, for every layer and in total. The containerd store keeps no
 * per-layer byte figure: its history counts the snapshot's 4 KiB blocks, so there each layer is held
 * to that block count and the total to the classic store's figure for the same layers (dockerSize).
 */
async function expectEngineSizes(run: ActionRun): Promise<void> {
  expect(run.exitCode).toBe(0)
  for (const layer of await layerSizes(run)) {
    if (ENGINE.store === 'classic') expect(layer).toEqual({ ...layer, engine: layer.ours })
    else expect(blocksHold(layer)).toBe(true)
  }
  expect(Number(run.outputs['size'])).toBe(await dockerSize(run.outputs['image-id'] as string))
}

/** A containerd snapshot's block usage covers the layer's bytes, rounded up to whole 4 KiB blocks per file. */
function blocksHold(layer: { ours: number; engine: number | undefined }): boolean {
  return layer.engine !== undefined && layer.engine >= layer.ours && layer.engine % 4096 === 0
}

/** Symlink targets count where the engine did not commit the layer itself, and wherever the store is containerd (sized as a pull into a classic store). */
const BUILDKIT_COUNTS_SYMLINKS = ENGINE.store === 'containerd'

async function sizeOf(run: ActionRun, createdBy: RegExp): Promise<number | undefined> {
  return (await layerSizes(run)).find((layer) => createdBy.test(layer.createdBy))?.ours
}

/** The same steps for BuildKit and the legacy builder; the token keeps every build's layers new to the engine. */
function dockerfile(token: string): string {
  return [
    'FROM image-size-gate/alpine-like:latest',
    `RUN ln -s /bin/busybox /x && echo ${token} > /y`,
    'COPY ctx/ /ctx/',
    'ADD ctx/ /add/',
    `RUN echo ${token} > /h1 && ln /h1 /h2 && ln -s /h1 /h3`,
    `RUN ln /etc/passwd /pw2 && echo ${token} > /pw-token`,
    ''
  ].join('\n')
}

/** A context holding a file, a relative symlink to it and a hard link to it. */
async function context(token: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'isg-sizes-'))
  await mkdir(join(dir, 'ctx'))
  await writeFile(join(dir, 'ctx/real.txt'), `context ${token}\n`)
  await symlink('real.txt', join(dir, 'ctx/link-to-real'))
  await link(join(dir, 'ctx/real.txt'), join(dir, 'ctx/hard.txt'))
  await writeFile(join(dir, 'Dockerfile'), dockerfile(token))
  return dir
}

describe('sizes equal the engine for every way a layer comes to be', () => {
  const token = randomBytes(8).toString('hex')
  const images: string[] = []
  let dir: string

  beforeAll(async () => {
    dir = await context(token)
  })

  afterAll(async () => {
    if (images.length > 0) await dockerOk(['rmi', ...images]).catch(() => '')
    await rm(dir, { recursive: true, force: true })
  })

  it('BuildKit RUN, COPY and ADD with symlinks and hard links: symlink targets are not counted', async () => {
    const run = await runAction({ context: dir, network: 'none' })
    images.push(run.outputs['image-id'] as string)
    await expectEngineSizes(run)
    const symlinks = BUILDKIT_COUNTS_SYMLINKS ? 1 : 0
    expect(await sizeOf(run, /^RUN .*ln -s \/bin\/busybox/)).toBe(`${token}\n`.length + symlinks * '/bin/busybox'.length)
    expect(await sizeOf(run, /^COPY ctx/)).toBe(`context ${token}\n`.length + symlinks * 'real.txt'.length)
  })

  it('the legacy builder: every commit counts symlink targets', async () => {
    const tag = `isg-sizes/legacy:${token}`
    await promisify(execFile)('docker', ['build', '--network', 'none', '-q', '-t', tag, dir], {
      env: { ...process.env, DOCKER_BUILDKIT: '0' }
    })
    images.push(tag)
    const run = await runAction({ image: tag })
    await expectEngineSizes(run)
    expect(await sizeOf(run, /ln -s \/bin\/busybox/)).toBe(`${token}\n`.length + '/bin/busybox'.length)
    expect(await sizeOf(run, /COPY dir:/)).toBe(`context ${token}\n`.length + 'real.txt'.length)
  })

  it('docker import: symlink targets are counted, a hard link once', async () => {
    const tar = join(dir, 'import.tar')
    await writeFile(
      tar,
      makeTar([
        { path: 'd/', type: 'directory' },
        { path: 'd/f', content: `imported ${token}\n` },
        { path: 'd/s', type: 'symlink', linkname: '/d/f' },
        { path: 'd/h', type: 'hardlink', linkname: 'd/f' }
      ])
    )
    const tag = `isg-sizes/import:${token}`
    await dockerOk(['import', tar, tag])
    images.push(tag)
    const run = await runAction({ image: tag })
    await expectEngineSizes(run)
    expect(Number(run.outputs['size'])).toBe(`imported ${token}\n`.length + '/d/f'.length)
  })

  it('docker load of a hand-made archive: symlink targets are counted though the history says BuildKit', async () => {
    const archive = join(dir, 'load.tar')
    const base = makeTar([
      { path: 'bin/', type: 'directory' },
      { path: 'bin/busybox', content: `busybox ${token}\n`, mode: 0o755 },
      { path: 'bin/sh', type: 'symlink', linkname: '/bin/busybox' }
    ])
    const app = makeTar([
      { path: 'app', content: `app ${token}\n` },
      { path: 'app-link', type: 'symlink', linkname: 'app' },
      { path: 'app-hard', type: 'hardlink', linkname: 'app' }
    ])
    const history = [{ created_by: 'ADD base.tar / # buildkit' }, { created_by: 'RUN make app # buildkit' }]
    await writeFile(archive, makeDockerSave({ layers: [base, app], history }))
    const loaded = /Loaded image ID: (sha256:[0-9a-f]{64})/.exec(await dockerOk(['load', '-i', archive]))?.[1] as string
    images.push(loaded)
    const run = await runAction({ image: loaded })
    await expectEngineSizes(run)
    expect(await sizeOf(run, /^RUN make app/)).toBe(`app ${token}\n`.length + 'app'.length)
  })
})
