/**
 * The layer index on the real engine, through the CLI's --layer-cache: a layer it holds gives the same
 * report as the layer analysed afresh, and a poisoned entry (a toolchain left out, a compressed size of
 * 1 B) changes neither the verdict nor shows a false exact figure. The image is loaded from a generated
 * archive, so its layers stay plain on every store (the containerd store keeps what it is given).
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Report } from '../../../src/report/report.js'
import { ENGINE, dockerOk, runCli } from '../../support/action-runner.js'
import { goElf } from '../../support/elf-writer.js'
import { makeDockerSave, makeTar, sha256 } from '../../support/tar-writer.js'

// 120 s for a test or hook: five CLI runs on a small image, 20 s on a loaded 2-core machine.
jest.setTimeout(120_000)

const token = `${process.pid}-${Date.now()}`
const toolchain = makeTar([
  { path: 'usr/local/go', type: 'directory' },
  { path: 'usr/local/go/VERSION', content: `go1.19.8 ${token}\n` },
  { path: 'usr/local/go/bin/go', content: goElf({ goPath: 'cmd/go' }), mode: 0o755 },
  { path: 'usr/local/bin/go', type: 'symlink', linkname: '../go/bin/go' },
  { path: 'etc/motd', content: 'x'.repeat(200_000) }
])
const app = makeTar([{ path: 'app', content: `app ${token}\n` }])
const history = [{ created_by: 'ADD go.tar / # buildkit' }, { created_by: 'COPY app /app # buildkit' }]

let dir: string
let image: string
let reports = 0

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'isg-layer-index-'))
  await writeFile(join(dir, 'image.tar'), makeDockerSave({ layers: [toolchain, app], history, entrypoint: ['/app'] }))
  image = /Loaded image ID: (sha256:[0-9a-f]{64})/.exec(await dockerOk(['load', '-i', join(dir, 'image.tar')]))?.[1] as string
})
afterAll(async () => {
  await dockerOk(['image', 'rm', '--force', image]).catch(() => '')
  await rm(dir, { recursive: true, force: true })
})

async function analyse(cache: string | undefined, budget = '100MB'): Promise<{ report: Report; exitCode: number; stderr: string }> {
  // --report, not --json, which would silence the warnings on stderr.
  const file = join(dir, `report-${++reports}.json`)
  const args = [
    '--image',
    image,
    '--report',
    file,
    '--max-size',
    budget,
    '--size-metric',
    'compressed',
    ...(cache ? ['--layer-cache', cache] : [])
  ]
  const run = await runCli(args)
  return { report: JSON.parse(await readFile(file, 'utf8')) as Report, exitCode: run.exitCode, stderr: run.stderr }
}

/** The report without what says where each layer's analysis came from, which is all that may differ. */
const withoutOrigin = (report: Report) => ({
  ...report,
  image: { ...report.image, layers: report.image.layers.map((layer) => ({ ...layer, analysisFrom: undefined, compressedFrom: undefined })) }
})
const entryOf = (cache: string) => join(cache, `${sha256(toolchain).slice(7)}.jsonl`)

describe(`the layer index (${ENGINE.label})`, () => {
  it('gives the same report for a layer it holds as for the layer analysed afresh, and says which layers came from it', async () => {
    const cache = join(dir, 'same')
    const fresh = await analyse(cache)
    expect(await readdir(cache)).toEqual(expect.arrayContaining([`${sha256(toolchain).slice(7)}.jsonl`, `${sha256(app).slice(7)}.jsonl`]))
    const indexed = await analyse(cache)
    expect(fresh.exitCode).toBe(1)
    expect(fresh.report.goToolchain.found).toBe(true)
    expect(indexed.exitCode).toBe(1)
    expect(JSON.parse(JSON.stringify(withoutOrigin(indexed.report)))).toEqual(JSON.parse(JSON.stringify(fresh.report)))
    expect(indexed.report.image.layers.map((layer) => layer.analysisFrom)).toEqual([`layer cache ${cache}`, `layer cache ${cache}`])
    // Reused figures are estimates from the cache, never exact.
    expect(indexed.report.image.compressedExact).toBe(false)
    expect(indexed.report.image.layers.every((layer) => layer.compressedFrom === `layer cache ${cache}`)).toBe(true)
  })

  it('cannot hide a toolchain: an entry that leaves out the go binary (counts fixed) is refused and the layer analysed afresh', async () => {
    const cache = join(dir, 'poisoned')
    const honest = await analyse(cache)
    const lines = (await readFile(entryOf(cache), 'utf8')).split('\n').filter(Boolean)
    const kept = lines.filter((line) => !line.startsWith('["usr/local/go/bin/go",'))
    const header = JSON.parse(kept[0] ?? '{}') as { entries: number; files: number; bytes: { regular: number } }
    const goBytes = goElf({ goPath: 'cmd/go' }).length
    const fixed = {
      ...header,
      entries: header.entries - 1,
      files: header.files - 1,
      bytes: { ...header.bytes, regular: header.bytes.regular - goBytes }
    }
    await writeFile(entryOf(cache), [JSON.stringify(fixed), ...kept.slice(1), ''].join('\n'))
    const run = await runCli(['--image', image, '--layer-cache', cache])
    expect(run.stderr.split('does not list the files the layer holds')).toHaveLength(2)
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain('go toolchain')
    const again = await analyse(cache)
    expect(again.report.goToolchain).toEqual(honest.report.goToolchain)
    // The wrong entry was replaced by the fresh analysis: the layer comes from the index again, honestly.
    expect(again.report.image.layers[0]?.analysisFrom).toBe(`layer cache ${cache}`)
  })

  it('cannot pass a compressed budget by a compressed size of 1 B: the figure is refused, measured, and not shown as exact', async () => {
    const cache = join(dir, 'one-byte')
    const honest = await analyse(cache, '1kB')
    expect(honest.exitCode).toBe(1)
    const text = await readFile(entryOf(cache), 'utf8')
    await writeFile(entryOf(cache), text.replace(/"compressed":\{"size":\d+/, '"compressed":{"size":1'))
    const poisoned = await analyse(cache, '1kB')
    expect(poisoned.exitCode).toBe(1)
    expect(poisoned.report.budget).toEqual(honest.report.budget)
    expect(poisoned.report.image.compressedSize).toBe(honest.report.image.compressedSize)
    expect(poisoned.report.image.layers[0]?.compressedExact).toBe(false)
    expect(poisoned.report.image.layers[0]?.compressedFrom).toBeUndefined()
    // One warning says so, naming the figure; the rest of the entry still stands in for the layer.
    expect(
      poisoned.stderr.match(/a compressed size of 1 B, but the layer is \d+ B and no gzip of it is under \d+ B; measured instead/g)
    ).toHaveLength(1)
    expect(poisoned.report.image.layers[0]?.analysisFrom).toBe(`layer cache ${cache}`)
  })
})
