import { beforeAll, describe, expect, it, jest } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { request, type IncomingMessage } from 'node:http'
import { promisify } from 'node:util'
import { EXAMPLE, dockerOk, runAction, type ActionRun } from '../../support/action-runner.js'
import { getBuildArgs } from '../../../src/engine/buildx.js'
import { exportedImage } from '../../../src/run/acquire.js'
import { runBuild } from '../../../src/engine/docker.js'
import { Input, parseInputs } from '../../../src/inputs.js'
import type { Report } from '../../../src/report/report.js'
import { skipIf } from '../../support/skip.js'

// 300 s for a test or hook: the first build is the example Go service (about 90 s on a loaded 2-core machine); the rest are small.
jest.setTimeout(300_000)

const exec = promisify(execFile)

/** The engine under test, as the environment names it; the action must talk to the same one. */
const ENGINE_ENV: Record<string, string> = Object.fromEntries(
  ['DOCKER_HOST', 'DOCKER_CONFIG'].flatMap((name) => (process.env[name] ? [[name, process.env[name] as string]] : []))
)
const action = (inputs: Record<string, string>) => runAction(inputs, ENGINE_ENV)

async function readReport(run: ActionRun): Promise<Report> {
  return JSON.parse(await readFile(run.outputs['report'] as string, 'utf8')) as Report
}

/** The containerd image store keeps compressed blobs and multi-platform indexes; the classic one neither. */
async function imageStore(): Promise<'classic' | 'containerd'> {
  const status = await dockerOk(['info', '--format', '{{json .DriverStatus}}'])
  return status.includes('io.containerd.snapshotter') ? 'containerd' : 'classic'
}

/** Known before the tests are collected, so a test the store cannot run is skipped with its reason. */
const STORE = await imageStore()

/** What `docker save` holds for an image: manifest.json's first entry and every entry's size. */
async function savedArchive(ref: string): Promise<{ config: string; layers: string[]; sizes: Map<string, number> }> {
  const dir = await mkdtemp(join(tmpdir(), 'isg-store-'))
  const file = join(dir, 'image.tar')
  await dockerOk(['save', '-o', file, ref])
  const manifest = JSON.parse((await exec('tar', ['-xOf', file, 'manifest.json'])).stdout) as { Config: string; Layers: string[] }[]
  const listing = (await exec('tar', ['-tvf', file], { maxBuffer: 1 << 24 })).stdout.trim().split('\n')
  const sizes = new Map(listing.map((line) => line.split(/\s+/)).map((fields): [string, number] => [fields[5] ?? '', Number(fields[2])]))
  const [first] = manifest
  if (!first) throw new Error(`docker save ${ref} wrote an empty manifest.json`)
  return { config: first.Config, layers: first.Layers, sizes }
}

const digestIn = (path: string) => `sha256:${/([0-9a-f]{64})/.exec(path)?.[1] ?? ''}`

/** Whether the Node that runs the bundle can decompress zstd (Node 22.15+). */
async function actionNodeReadsZstd(): Promise<boolean> {
  const node = process.env['ISG_ACTION_NODE'] || 'node'
  const { stdout } = await exec(node, ['-p', "typeof require('node:zlib').createZstdDecompress"])
  return stdout.trim() === 'function'
}

describe('image store facts on the real engine', () => {
  let store: 'classic' | 'containerd'
  let built: ActionRun
  let report: Report

  beforeAll(async () => {
    store = await imageStore()
    built = await action({ context: EXAMPLE, network: 'none' })
    report = await readReport(built)
  })

  it('outputs an image-id the engine accepts, and keeps the config digest apart', async () => {
    expect(built.exitCode).toBe(0)
    const id = built.outputs['image-id'] as string
    expect((await dockerOk(['image', 'inspect', '--format', '{{.Id}}', id])).trim()).toBe(id)
    expect(report.image.id).toBe(id)
    const saved = await savedArchive(id)
    expect(report.image.configDigest).toBe(digestIn(saved.config))
    // Only the classic store names an image by its config; containerd names it by its index or manifest.
    if (store === 'classic') expect(report.image.configDigest).toBe(id)
    else expect(report.image.configDigest).not.toBe(id)
  })

  it('gives the same image-id for a local image as for the build that made it', async () => {
    const tag = 'isg-store-test/scratch:id'
    await dockerOk(['tag', built.outputs['image-id'] as string, tag])
    const run = await action({ image: tag })
    expect(run.exitCode).toBe(0)
    expect(run.outputs['image-id']).toBe(built.outputs['image-id'])
    expect(run.outputs['size']).toBe(built.outputs['size'])
  })

  it("says what size is against the engine's own figures on each store", async () => {
    const size = Number(built.outputs['size'])
    const inspected = Number((await dockerOk(['image', 'inspect', '--format', '{{.Size}}', built.outputs['image-id'] as string])).trim())
    if (store === 'classic') {
      expect(size).toBe(inspected)
      return
    }
    // containerd: inspect counts the stored (compressed) blobs and manifests; the snapshot's disk usage is the uncompressed figure.
    const compressed = Number(built.outputs['compressed-size'])
    expect(inspected).toBeGreaterThanOrEqual(compressed)
    expect(inspected - compressed).toBeLessThan(16_384)
    const unpacked = await unpackedSize(built.outputs['image-id'] as string)
    const entries = report.image.layers.reduce((total, layer) => total + layer.files + 1, 0)
    expect(unpacked).toBeGreaterThanOrEqual(size)
    expect(unpacked - size).toBeLessThan(4096 * (entries + report.image.layers.length))
  })

  it('takes exact compressed sizes from the blobs the engine holds, and marks estimates', async () => {
    const saved = await savedArchive(built.outputs['image-id'] as string)
    for (const [index, layer] of report.image.layers.entries()) {
      if (store === 'containerd') {
        expect(layer).toMatchObject({ compression: 'gzip', compressedExact: true })
        expect(layer.compressedSize).toBe(saved.sizes.get(saved.layers[index] ?? ''))
      } else {
        expect(layer).toMatchObject({ compression: 'none', compressedExact: false })
      }
    }
  })
})

/** A two-platform context that needs no RUN: each platform copies its own payload, so their sizes differ. */
async function payloadContext(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'isg-platforms-'))
  await writeFile(join(dir, 'Dockerfile'), 'FROM scratch\nARG TARGETARCH\nCOPY payload-$TARGETARCH /payload\n')
  await writeFile(join(dir, 'payload-amd64'), Buffer.alloc(1000, 'a'))
  await writeFile(join(dir, 'payload-arm64'), Buffer.alloc(3000, 'r'))
  return dir
}

describe('platform with image on the real engine', () => {
  const tag = 'isg-store-test/platforms:1'
  let has: string[]

  beforeAll(async () => {
    const context = await payloadContext()
    // Only the containerd store can load a multi-platform image; the classic one holds one platform per tag.
    has = (await imageStore()) === 'containerd' ? ['linux/amd64', 'linux/arm64'] : ['linux/arm64']
    await dockerOk(['buildx', 'build', '--progress', 'quiet', '--platform', has.join(','), '-t', tag, '--load', context])
  })

  it('measures the platform asked for', async () => {
    const run = await action({ image: tag, platform: 'linux/arm64' })
    expect(run.exitCode).toBe(0)
    const report = await readReport(run)
    expect(report.image.platform).toBe('linux/arm64')
    expect(report.image.size).toBe(3000)
    expect((await dockerOk(['image', 'inspect', '--format', '{{.Id}}', run.outputs['image-id'] as string])).trim()).toBe(
      run.outputs['image-id']
    )
  })

  it('names the input and lists the platforms the image has when it lacks the one asked for', async () => {
    const run = await action({ image: tag, platform: 'linux/s390x' })
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain(`::error::platform: image ${tag} has no linux/s390x image (it has ${has.join(', ')})`)
  })
})

describe('zstd layers on the real engine', () => {
  const tag = 'isg-store-test/zstd:1'
  const output = `type=image,name=${tag},compression=zstd,force-compression=true,oci-mediatypes=true`

  beforeAll(async () => {
    await dockerOk(['buildx', 'build', '--progress', 'quiet', '--output', output, await payloadContext()])
  })

  it('reads zstd blobs and measures them exactly; the classic store keeps the layers plain', async () => {
    const run = await action({ image: tag })
    const store = await imageStore()
    if (store === 'containerd' && !(await actionNodeReadsZstd())) {
      expect(run.stdout).toMatch(
        /^::error::layer blobs\/sha256\/[0-9a-f]{64} is zstd-compressed, which Node v[\d.]+ cannot read; run on Node 22\.15 or later/m
      )
      return
    }
    expect(run.exitCode).toBe(0)
    const report = await readReport(run)
    const saved = await savedArchive(tag)
    const [layer] = report.image.layers
    expect(layer?.size).toBe(1000)
    if (store === 'classic') {
      expect(layer).toMatchObject({ compression: 'none', compressedExact: false })
      return
    }
    expect(layer).toMatchObject({ compression: 'zstd', compressedExact: true })
    expect(layer?.compressedSize).toBe(saved.sizes.get(saved.layers[0] ?? ''))
  })
})

describe('the OCI-archive delivery on the real engine', () => {
  it('exports with --output type=oci where the store allows it, and measures every blob exactly', async () => {
    const context = await payloadContext()
    const dir = await mkdtemp(join(tmpdir(), 'isg-oci-'))
    const values: Partial<Record<Input, string>> = { [Input.Context]: context, [Input.SizeMetric]: 'uncompressed' }
    const inputs = parseInputs((name) => values[name] ?? '')
    const paths = {
      dockerfile: join(context, 'Dockerfile'),
      iidFile: join(dir, 'iid'),
      ociArchive: join(dir, 'image.oci.tar'),
      secretFiles: []
    }
    const lines: string[] = []
    const result = await runBuild(getBuildArgs(inputs, 'oci-archive', paths), {
      info: (line) => lines.push(line),
      warning: () => undefined,
      group: (_title, body) => body()
    })
    if ((await imageStore()) === 'classic') {
      // The classic store's docker driver has no OCI exporter: other drivers are how that store gets this path.
      expect(result.exitCode).not.toBe(0)
      return
    }
    expect(result.exitCode).toBe(0)
    const archive = await exportedImage(paths, { estimateCompressed: inputs.measureCompressed })
    expect(archive.id).toBe((await readFile(paths.iidFile, 'utf8')).trim())
    expect(archive.layers.map((layer) => layer.bytes.regular)).toEqual([1000])
    const manifest = await ociManifest(paths.ociArchive)
    expect(archive.configDigest).toBe(manifest.config.digest)
    expect(archive.layers.map((layer) => [layer.compression, layer.compressedExact, layer.compressedSize])).toEqual(
      manifest.layers.map((blob) => ['gzip', true, blob.size])
    )
  })
})

describe('the compressed estimate on the real engine', () => {
  const base = 'image-size-gate/alpine-like:latest'
  let layer: Report['image']['layers'][number] | undefined

  beforeAll(async () => {
    ;[layer] = (await readReport(await action({ image: base }))).image.layers
  })

  it('marks a plain layer’s compressed size as an estimate', () => {
    expect(layer).toMatchObject({ compression: 'none', compressedExact: false })
  })

  // Only the containerd store's docker driver can export: BuildKit gzips the same plain layer with the engine's Go.
  skipIf(STORE === 'classic', 'the classic store’s docker driver cannot export an OCI archive to compare with')(
    "is within 1% of the gzip blob the engine's own BuildKit writes for a plain layer",
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'isg-estimate-'))
      await writeFile(join(dir, 'Dockerfile'), `FROM ${base}\n`)
      const archive = join(dir, 'image.oci.tar')
      await dockerOk([
        'buildx',
        'build',
        '--progress',
        'quiet',
        '--output',
        `type=oci,dest=${archive},compression=gzip,force-compression=true`,
        dir
      ])
      const [blob] = (await ociManifest(archive)).layers
      const error = ((layer?.compressedSize ?? 0) - (blob?.size ?? 0)) / (blob?.size ?? 1)
      expect(Math.abs(error)).toBeLessThanOrEqual(0.01)
    }
  )
})

/** The one image manifest of a single-platform OCI archive, read with tar. */
async function ociManifest(file: string): Promise<{ config: { digest: string }; layers: { digest: string; size: number }[] }> {
  const index = JSON.parse((await exec('tar', ['-xOf', file, 'index.json'])).stdout) as { manifests: { digest: string }[] }
  const digest = index.manifests[0]?.digest ?? ''
  return JSON.parse((await exec('tar', ['-xOf', file, `blobs/sha256/${digest.slice(7)}`])).stdout) as Awaited<
    ReturnType<typeof ociManifest>
  >
}

/** The host platform's unpacked snapshot size, as the engine's image list reports it per platform (API 1.47+, `manifests=1`). */
async function unpackedSize(id: string): Promise<number> {
  const summaries = JSON.parse(await apiGet('/images/json?manifests=1')) as ImageSummary[]
  const summary = summaries.find((image) => image.Id === id)
  return Math.max(0, ...(summary?.Manifests ?? []).map((manifest) => manifest.ImageData?.Size?.Unpacked ?? 0))
}

interface ImageSummary {
  Id: string
  Manifests?: { ImageData?: { Size?: { Unpacked?: number } } }[]
}

/** A GET on the engine's own socket, for figures the CLI does not print. */
async function apiGet(path: string): Promise<string> {
  const socketPath = (process.env['DOCKER_HOST'] || 'unix:///var/run/docker.sock').replace(/^unix:\/\//, '')
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    request({ socketPath, path, headers: { host: 'docker' } }, resolve)
      .on('error', reject)
      .end()
  })
  const body = Buffer.concat(await response.toArray()).toString()
  if (response.statusCode !== 200) throw new Error(`GET ${path}: HTTP ${response.statusCode} ${body}`)
  return body
}
