/**
 * The same Go service, made by every producer that needs no Docker engine, read through the transport
 * syntax: the same layer sizes, findings and module attribution from each, and compressed sizes that are
 * the producer's own blobs, as skopeo reads them from the very same file.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Report } from '../../../src/report/report.js'
import { runCli } from '../../support/bundle.js'
import { GOMOD } from '../../support/go-fixtures.js'
import { forky, host, sharedDir, usePodmanStore } from '../../support/producers.js'

// 240 s for the set-up: two podman builds from scratch and ten archives of a 2 MB binary; 40 s measured under load.
jest.setTimeout(240_000)

/** A Go binary with a module beside the standard library, so attribution has something to tell. */
const SERVICE = join(GOMOD, 'app')

interface Produced {
  /** The `image` value, in the transport syntax. */
  location: string
  /** Whether its layer blobs are compressed, so their sizes are exact. */
  compressed: boolean
}

let dir: { host: string; inside: string }
let podmanId = ''
const produced = new Map<string, Produced>()
const reports = new Map<string, Report>()

async function analyse(args: string[]): Promise<Report> {
  const run = await runCli([...args, '--format', 'json', '--quiet'])
  if (run.exitCode !== 0 && run.stdout === '') throw new Error(`the CLI failed: ${run.stderr}`)
  return JSON.parse(run.stdout) as Report
}

/** A context with the service and a Dockerfile of `lines`. */
async function context(name: string, lines: string[]): Promise<string> {
  const path = join(dir.host, name)
  await mkdir(path, { recursive: true })
  await copyFile(SERVICE, join(path, 'service'))
  await writeFile(join(path, 'Dockerfile'), `${lines.join('\n')}\n`)
  return path
}

/** Every producer's file; each command is the one the closing note's table names. */
async function produce(): Promise<void> {
  const [h, i] = [dir.host, dir.inside]
  await mkdir(join(h, 'root'))
  await copyFile(SERVICE, join(h, 'root/service'))
  await host('tar', ['-C', join(h, 'root'), '--owner=0', '--group=0', '-cf', join(h, 'layer.tar'), 'service'])
  await forky('crane', ['append', '--oci-empty-base', '-f', `${i}/layer.tar`, '-t', 'acme/svc:1', '-o', `${i}/crane.tar`])
  produced.set('crane append', { location: `docker-archive:${h}/crane.tar:acme/svc:1`, compressed: true })
  await forky('skopeo', ['copy', '-q', `docker-archive:${i}/crane.tar`, `oci:${i}/skopeo-layout:svc`])
  produced.set('skopeo 1.22 copy to oci:', { location: `oci:${h}/skopeo-layout:svc`, compressed: true })
  await forky('skopeo', ['copy', '-q', `docker-archive:${i}/crane.tar`, `oci-archive:${i}/skopeo.oci.tar:svc`])
  produced.set('skopeo 1.22 copy to oci-archive:', { location: `oci-archive:${h}/skopeo.oci.tar`, compressed: true })
  await forky('umoci', ['init', '--layout', `${i}/umoci`])
  await forky('umoci', ['new', '--image', `${i}/umoci:svc`])
  await forky('umoci', ['insert', '--image', `${i}/umoci:svc`, `${i}/root/service`, '/service'])
  produced.set('umoci insert', { location: `oci:${h}/umoci:svc`, compressed: true })
  await producePodman()
}

async function producePodman(): Promise<void> {
  const h = dir.host
  const ctx = await context('ctx', ['FROM scratch', 'COPY service /service'])
  await host('podman', ['build', '-q', '--network', 'none', '--iidfile', join(h, 'iid'), ctx])
  podmanId = (await readFile(join(h, 'iid'), 'utf8')).trim()
  await host('podman', ['save', '-q', '--format', 'oci-archive', '-o', join(h, 'podman.oci.tar'), podmanId])
  produced.set('podman save --format oci-archive', { location: `oci-archive:${h}/podman.oci.tar`, compressed: true })
  await host('podman', ['save', '-q', '--format', 'docker-archive', '-o', join(h, 'podman.docker.tar'), podmanId])
  produced.set('podman save --format docker-archive', { location: `docker-archive:${h}/podman.docker.tar`, compressed: false })
  await host('podman', ['save', '-q', '--format', 'oci-dir', '-o', join(h, 'podman-oci-dir'), podmanId])
  produced.set('podman save --format oci-dir', { location: `oci:${h}/podman-oci-dir`, compressed: true })
  await host('buildah', ['push', '-q', podmanId, `oci-archive:${h}/buildah.oci.tar:svc`])
  produced.set('buildah push oci-archive:', { location: `oci-archive:${h}/buildah.oci.tar:svc`, compressed: true })
  await host('skopeo', ['copy', '-q', `containers-storage:${podmanId.replace(/^sha256:/, '')}`, `oci:${h}/skopeo9:svc`])
  produced.set('skopeo 1.9 copy from containers-storage:', { location: `oci:${h}/skopeo9`, compressed: true })
}

const LIST = `isg-test/list-${process.pid}`

/**
 * Several images in one file: an arm64 build beside the amd64 one, pushed as one multi-platform index
 * (`podman manifest push --all`), and copied as a second ref name into skopeo's layout.
 */
async function produceSeveral(): Promise<void> {
  const h = dir.host
  const ctx = await context('ctx-arm', ['FROM scratch', 'COPY service /service', 'COPY service /service-arm'])
  await host('podman', ['build', '-q', '--network', 'none', '--platform', 'linux/arm64', '--iidfile', join(h, 'iid-arm'), ctx])
  const arm = (await readFile(join(h, 'iid-arm'), 'utf8')).trim().replace(/^sha256:/, '')
  await host('podman', ['manifest', 'create', LIST])
  for (const id of [podmanId.replace(/^sha256:/, ''), arm]) await host('podman', ['manifest', 'add', LIST, `containers-storage:${id}`])
  await host('podman', ['manifest', 'push', '-q', '--all', LIST, `oci-archive:${h}/multi.oci.tar:svc`])
  await host('skopeo', ['copy', '-q', `containers-storage:${arm}`, `oci:${h}/skopeo-layout:two`])
}

/**
 * The layer blob sizes the producer wrote, not ours: an OCI manifest's, as skopeo reads it; for a
 * docker-archive, whose manifest.json has no sizes, the layer entries' sizes as tar lists them.
 */
async function blobSizes(location: string): Promise<number[]> {
  const [transport = '', path = ''] = location.split(':')
  if (transport !== 'docker-archive') {
    const manifest = JSON.parse(await host('skopeo', ['inspect', '--raw', location])) as { layers: { size: number }[] }
    return manifest.layers.map((layer) => layer.size)
  }
  const [saved] = JSON.parse(await host('tar', ['-xOf', path, 'manifest.json'])) as { Layers: string[] }[]
  const listing = (await host('tar', ['-tvf', path])).split('\n').map((line) => line.split(/\s+/))
  return (saved?.Layers ?? []).map((name) => Number(listing.find((fields) => fields[5] === name)?.[2]))
}

beforeAll(async () => {
  await usePodmanStore()
  dir = await sharedDir()
  await produce()
  for (const [name, { location }] of produced) reports.set(name, await analyse(['--image', location]))
  reports.set('engine: podman, image: <id>', await analyse(['--engine', 'podman', '--image', podmanId]))
  const built = await context('built', ['FROM scratch', 'COPY service /service'])
  reports.set('engine: podman, a build', await analyse(['--engine', 'podman', '--context', built, '--network', 'none']))
  await produceSeveral()
})

afterAll(async () => {
  await host('podman', ['manifest', 'rm', LIST]).catch(() => undefined)
  if (dir) await rm(dir.host, { recursive: true, force: true })
})

const names = () => [...reports.keys()]
const reportOf = (name: string) => reports.get(name) as Report

describe('the same Go service from every producer without Docker', () => {
  it('has the same layer sizes: the service binary, byte for byte', async () => {
    const size = (await stat(SERVICE)).size
    expect(reports.size).toBe(11)
    for (const name of names()) expect([name, reportOf(name).image.layers.map((layer) => layer.size)]).toEqual([name, [size]])
  })

  it('has the same findings', () => {
    const rules = (name: string) => reportOf(name).findings.map((finding) => `${finding.rule} ${finding.path ?? ''}`)
    for (const name of names()) expect([name, rules(name)]).toEqual([name, ['unstripped-binary /service', 'root-user ']])
  })

  it('has the same module attribution', () => {
    const modules = (name: string) => reportOf(name).binaries.map((binary) => binary.goAttribution?.modules)
    const reference = modules('crane append')
    expect(reference[0]?.map((module) => module.path)).toEqual(['std', 'github.com/google/uuid', 'example.com/app'])
    for (const name of names()) expect([name, modules(name)]).toEqual([name, reference])
  })

  it("takes compressed sizes from the producer's own blobs, exactly, where it compressed them", async () => {
    for (const [name, { location, compressed }] of produced) {
      const { image } = reportOf(name)
      if (!compressed) {
        expect([name, image.compressedExact, image.layers[0]?.compression]).toEqual([name, false, 'none'])
        continue
      }
      const sizes = await blobSizes(location)
      expect([name, image.compressedExact, image.layers.map((layer) => layer.compressedSize)]).toEqual([name, true, sizes])
    }
  })

  it('reads Podman-built images with its Dockerfile lines and exact sizes', () => {
    const built = reportOf('engine: podman, a build')
    expect(built.image.layers[0]).toMatchObject({ dockerfileLine: 2, compression: 'gzip', compressedExact: true })
    expect(built.image.id).toBe(podmanId)
  })
})

describe('files holding several images', () => {
  const layers = async (args: string[]) => (await analyse(args)).image.layers.length
  const refused = async (args: string[]) => {
    const run = await runCli([...args, '--quiet'])
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toBe('')
    return run.stderr
  }

  it('narrows a multi-platform index (podman manifest push --all) by platform', async () => {
    const multi = `oci-archive:${dir.host}/multi.oci.tar:svc`
    expect(await layers(['--image', multi, '--platform', 'linux/amd64'])).toBe(1)
    expect(await layers(['--image', multi, '--platform', 'linux/arm64'])).toBe(2)
    expect(await refused(['--image', multi])).toBe(
      `image-size-gate: image: ${multi}: the layout holds 2 images (svc linux/amd64, svc linux/arm64); choose one with :REF after the path (its ref name) or the platform input\n`
    )
    expect(await refused(['--image', multi, '--platform', 'linux/s390x'])).toBe(
      `image-size-gate: image: ${multi}: the archive has no image for platform linux/s390x (it has linux/amd64, linux/arm64)\n`
    )
  })

  // The svc image is crane's: its empty base config names no platform.
  it('narrows a layout of two ref names (skopeo copy … oci:DIR:REF) by REF', async () => {
    const layout = `oci:${dir.host}/skopeo-layout`
    expect(await layers(['--image', `${layout}:two`])).toBe(2)
    expect(await layers(['--image', `${layout}:svc`])).toBe(1)
    expect(await refused(['--image', layout])).toBe(
      `image-size-gate: image: ${layout}: the layout holds 2 images (svc unknown/unknown, two linux/arm64); choose one with :REF after the path (its ref name) or the platform input\n`
    )
    expect(await refused(['--image', `${layout}:three`])).toBe(
      `image-size-gate: image: ${layout}:three: the layout has no image named three (it has svc, two)\n`
    )
  })
})
