/**
 * The action with `engine: podman` (bookworm's Podman 4.3, its private store from setup-podman.sh): the
 * Go toolchain gate, the pull request comparison against a Podman-built base, and how `podman image
 * inspect`'s Size relates to the action's size. No Docker engine is asked anything.
 */
import { beforeAll, describe, expect, it, jest } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import type { Report } from '../../../src/report/report.js'
import { EXAMPLE, runAction, type ActionRun } from '../../support/bundle.js'
import { makePullRequestRepo } from '../../support/git-fixture.js'
import { ACTIONS_BOT_LOGIN, FakeGitHubServer } from '../../support/github-server.js'
import { host, usePodmanStore } from '../../support/producers.js'

// 600 s for a test: each toolchain build compiles the example with go 1.19 under Buildah, 100 s measured at load 12.
jest.setTimeout(600_000)

const TOKEN = 'ghs_podmantoken0123456789'
const report = async (run: ActionRun) => JSON.parse(await readFile(run.outputs['report'] as string, 'utf8')) as Report
const podman = { engine: 'podman', network: 'none' }

/** `podman image inspect`'s Size and the per-layer tar sizes `podman history` lists, for the relation the README states. */
async function podmanFigures(id: string): Promise<{ size: number; tars: number }> {
  const size = Number((await host('podman', ['image', 'inspect', '--format', '{{.Size}}', id])).trim())
  const history = JSON.parse(await host('podman', ['history', '--format', 'json', id])) as { size: number }[]
  return { size, tars: history.reduce((sum, entry) => sum + entry.size, 0) }
}

beforeAll(async () => {
  await usePodmanStore()
})

describe('engine: podman, toolchain gate', () => {
  let single: ActionRun
  let multi: ActionRun

  beforeAll(async () => {
    single = await runAction({ ...podman, file: `${EXAMPLE}/Dockerfile.single-stage`, context: EXAMPLE })
    multi = await runAction({ ...podman, context: EXAMPLE, 'max-size': '25MB' })
  })

  it('fails the single-stage build, which ships the toolchain, naming it', async () => {
    expect(single.exitCode).toBe(1)
    expect(single.outputs['go-toolchain']).toBe('true')
    expect(single.stdout).toMatch(/^::error::image-size-gate failed: the image ships a Go toolchain/m)
    expect((await report(single)).goToolchain).toMatchObject({ found: true, goVersion: 'go1.19.8' })
  })

  it('passes the multi-stage build, with the same layer sizes and figures Podman itself gives', async () => {
    expect(multi.exitCode).toBe(0)
    expect(multi.outputs['go-toolchain']).toBe('false')
    const { image } = await report(multi)
    expect(image.layers.map((layer) => layer.dockerfileLine)).toEqual([12])
    expect(image.compressedExact).toBe(true)
    expect(multi.outputs['image-id']).toBe(image.configDigest)
  })

  it("relates podman image inspect's Size to the action's size: the layer tars plus a few KiB of metadata", async () => {
    for (const run of [single, multi]) {
      const { image } = await report(run)
      const figures = await podmanFigures(image.id)
      const metadata = figures.size - figures.tars
      expect(metadata).toBeGreaterThan(0)
      expect(metadata).toBeLessThan(16 << 10)
      // The tars hold headers and padding beyond the file bytes: 0.2% on a small image, 2.3% on the toolchain's many files.
      const above = (figures.size - image.size) / image.size
      process.stdout.write(`podman Size ${figures.size}, tars ${figures.tars}, size ${image.size}: ${(above * 100).toFixed(2)}% above\n`)
      expect(above).toBeGreaterThan(0)
      expect(above).toBeLessThan(image.size > 100e6 ? 0.03 : 0.005)
    }
  })
})

describe('engine: podman, a pull request', () => {
  it('compares with the base commit built by Podman, and comments the delta', async () => {
    const github = new FakeGitHubServer({ token: TOKEN })
    const api = await github.start()
    try {
      const app = 'a'.repeat(3000)
      const base = { Dockerfile: 'FROM scratch\nCOPY app.txt /app.txt\n', 'app.txt': app }
      const head = { Dockerfile: 'FROM image-size-gate/alpine-like:latest\nCOPY app.txt /app.txt\n', 'app.txt': app }
      const repo = await makePullRequestRepo(base, head, api.url, 21)
      const run = await runAction({ ...podman, 'github-token': TOKEN }, repo.env, [], repo.workspace)
      expect(run.exitCode).toBe(0)
      expect(Number(run.outputs['baseline-size'])).toBe(app.length)
      expect(Number(run.outputs['size-delta'])).toBe(Number(run.outputs['size']) - app.length)
      expect(run.stdout).toContain(`Building the base commit ${repo.baseSha.slice(0, 12)}`)
      const [comment] = github.comments({ owner: 'octo-org', repo: 'service', number: 21 })
      expect(comment?.user.login).toBe(ACTIONS_BOT_LOGIN)
      expect(comment?.body).toContain(run.outputs['comment-body'] as string)
      expect((await report(run)).baseline).toMatchObject({ source: 'build', ref: repo.baseSha, size: app.length, compressedExact: true })
    } finally {
      await api.close()
    }
  })
})
