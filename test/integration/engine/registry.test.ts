import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ENGINE, dockerOk, runAction } from '../../support/action-runner.js'
import { makePullRequestRepo } from '../../support/git-fixture.js'
import type { Report } from '../../../src/report/report.js'

// 120 s for a test or hook: a local registry, a push and one small build per test: 8 s for the file on a loaded 2-core machine.
jest.setTimeout(120_000)

/** A free loopback port, found by letting the kernel pick one. */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return typeof address === 'object' && address ? address.port : 0
}

async function waitForRegistry(url: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const ok = await fetch(`${url}/v2/`).then(
      (response) => response.ok,
      () => false
    )
    if (ok) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`registry at ${url} did not start`)
}

let registry: ChildProcess
let ref: string

// A real registry (Debian's docker-registry, distribution 2.8) on loopback, started by the test.
beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'isg-registry-'))
  const port = await freePort()
  await writeFile(
    join(dir, 'config.yml'),
    `version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/data\nhttp:\n  addr: 127.0.0.1:${port}\n`
  )
  registry = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: 'ignore' })
  await waitForRegistry(`http://127.0.0.1:${port}`)
  ref = `127.0.0.1:${port}/isg/alpine-like:base`
  await dockerOk(['tag', 'image-size-gate/alpine-like:latest', ref])
  await dockerOk(['push', ref])
  // Only the registry has it now, so the action must read it from there without pulling.
  await dockerOk(['rmi', ref])
})

afterAll(() => {
  registry.kill()
})

describe(`a registry baseline (${ENGINE.label})`, () => {
  it('reads the manifest without pulling: compressed sizes exact, uncompressed unknown', async () => {
    const alpine = { Dockerfile: 'FROM image-size-gate/alpine-like:latest\nCOPY app.txt /app.txt\n', 'app.txt': 'x'.repeat(5000) }
    const repo = await makePullRequestRepo({}, alpine, 'http://127.0.0.1:9')
    const run = await runAction(
      { network: 'none', 'baseline-image': ref, comment: 'false', 'size-metric': 'compressed', 'max-growth': '50%' },
      repo.env,
      [],
      repo.workspace
    )
    expect(run.exitCode).toBe(0)
    const manifest = JSON.parse(await dockerOk(['buildx', 'imagetools', 'inspect', '--raw', ref])) as { layers: { size: number }[] }
    const exact = manifest.layers.reduce((total, layer) => total + layer.size, 0)
    expect(run.outputs['baseline-compressed-size']).toBe(String(exact))
    expect(run.outputs['baseline-size']).toBe('')
    expect(run.outputs['size-delta']).toBe('')
    expect(Number(run.outputs['compressed-size-delta'])).toBe(Number(run.outputs['compressed-size']) - exact)
    const report = JSON.parse(await readFile(run.outputs['report'] as string, 'utf8')) as Report
    expect(report.baseline).toMatchObject({ source: 'image', ref, size: null, compressedExact: true, paths: null })
    expect(report.growth).toMatchObject({ metric: 'compressed', passed: true })
    expect(run.outputs['comment-body']).toContain('–')
    expect(await dockerOk(['image', 'ls', '--quiet', ref])).toBe('')
  })
})
