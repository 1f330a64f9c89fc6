import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { readFile, writeFile } from 'node:fs/promises'
import { ENGINE, annotations, dockerSize, runAction, type ActionRun } from '../../support/action-runner.js'
import { makePullRequestRepo } from '../../support/git-fixture.js'
import { ACTIONS_BOT_LOGIN, FakeGitHubServer } from '../../support/github-server.js'
import type { Report } from '../../../src/report/report.js'

// 300 s for a test or hook: a test builds a base and a head, a toolchain one among them: 51 s at most on a loaded 2-core machine.
jest.setTimeout(300_000)

const TOKEN = 'ghs_testtoken0123456789'
const APP = 'a'.repeat(3000)
const PR = { owner: 'octo-org', repo: 'service', number: 7 }
const scratch = { Dockerfile: 'FROM scratch\nCOPY app.txt /app.txt\n', 'app.txt': APP }
const alpine = { Dockerfile: 'FROM image-size-gate/alpine-like:latest\nCOPY app.txt /app.txt\n', 'app.txt': APP }

let github: FakeGitHubServer
let api: { url: string; close(): Promise<void> }

beforeAll(async () => {
  github = new FakeGitHubServer({ token: TOKEN })
  api = await github.start()
})
afterAll(async () => api.close())

/** One pull request run of the committed bundle, in a shallow clone, as a runner would do it. */
async function pullRequestRun(base: Record<string, string>, head: Record<string, string>, inputs: Record<string, string> = {}, number = 7) {
  const repo = await makePullRequestRepo(base, head, api.url, number)
  const run = await runAction({ network: 'none', 'github-token': TOKEN, ...inputs }, repo.env, [], repo.workspace)
  return { repo, run }
}

const comments = (number = 7) => github.comments({ ...PR, number })
const report = async (run: ActionRun) => JSON.parse(await readFile(run.outputs['report'] as string, 'utf8')) as Report

describe(`pull requests (${ENGINE.label})`, () => {
  it('comments the growth from scratch to alpine, with the right delta', async () => {
    const { run, repo } = await pullRequestRun(scratch, alpine)
    expect(run.exitCode).toBe(0)
    expect(Number(run.outputs['baseline-size'])).toBe(APP.length)
    expect(Number(run.outputs['size'])).toBe(await dockerSize(run.outputs['image-id'] as string))
    expect(Number(run.outputs['size-delta'])).toBe(Number(run.outputs['size']) - APP.length)
    expect(Number(run.outputs['compressed-size-delta'])).toBeGreaterThan(0)
    const [comment] = comments()
    expect(comments()).toHaveLength(1)
    expect(comment?.user.login).toBe(ACTIONS_BOT_LOGIN)
    expect(comment?.body).toContain('<!-- image-size-gate')
    expect(comment?.body).toContain(run.outputs['comment-body'] as string)
    expect(run.outputs['comment-url']).toBe(comment?.html_url)
    expect((await report(run)).baseline).toMatchObject({ source: 'build', ref: repo.baseSha, size: APP.length })
    // The workspace was shallow: the base commit had to be fetched, and the worktree is gone again.
    expect(run.stdout).toContain(`Building the base commit ${repo.baseSha.slice(0, 12)}`)
  })

  it('updates the same comment on a re-run, finding it past the first page', async () => {
    github.seed(
      { ...PR, number: 8 },
      Array.from({ length: 120 }, (_, i) => ({ login: 'reviewer', body: `looks good ${i}` }))
    )
    await pullRequestRun(scratch, alpine, {}, 8)
    github.seed(
      { ...PR, number: 8 },
      Array.from({ length: 130 }, (_, i) => ({ login: 'reviewer', body: `more ${i}` }))
    )
    const bigger = { ...alpine, 'app.txt': APP + 'b'.repeat(5000) }
    const { run } = await pullRequestRun(scratch, bigger, {}, 8)
    expect(run.exitCode).toBe(0)
    const mine = comments(8).filter((comment) => comment.user.login === ACTIONS_BOT_LOGIN)
    expect(mine).toHaveLength(1)
    expect(mine[0]?.body).toContain(run.outputs['comment-body'] as string)
    expect(github.requestsTo('PATCH', /\/issues\/comments\//).length).toBeGreaterThanOrEqual(1)
    expect(github.requestsTo('GET', /\/issues\/8\/comments$/).some((request) => request.query['page'] === '3')).toBe(true)
  })

  it('leaves a human who quoted the marker alone', async () => {
    await pullRequestRun(scratch, alpine, {}, 9)
    const [bot] = comments(9)
    github.seed({ ...PR, number: 9 }, [{ login: 'reviewer', body: `> ${bot?.body ?? ''}\n\nWhy did this grow?` }])
    await pullRequestRun(scratch, { ...alpine, 'app.txt': 'changed' }, {}, 9)
    const thread = comments(9)
    expect(thread).toHaveLength(2)
    expect(thread[1]?.body).toContain('Why did this grow?')
  })

  it('posts the comment for a toolchain PR, then fails the job', async () => {
    const golang = { Dockerfile: 'FROM image-size-gate/golang:1.19\nCOPY app.txt /app.txt\n', 'app.txt': APP }
    const { run } = await pullRequestRun(scratch, golang, {}, 10)
    expect(run.exitCode).toBe(1)
    expect(comments(10)).toHaveLength(1)
    expect(comments(10)[0]?.body).toContain('ships a Go toolchain')
    const commentAt = run.stdout.indexOf('pull request comment created')
    const failedAt = run.stdout.indexOf('::error::image-size-gate failed')
    expect(commentAt).toBeGreaterThan(-1)
    expect(failedAt).toBeGreaterThan(commentAt)
  })

  it('turns a read-only token into one warning; the gates alone decide', async () => {
    github.setReadOnly(true)
    try {
      const { run } = await pullRequestRun(scratch, alpine, {}, 11)
      expect(run.exitCode).toBe(0)
      const warnings = annotations(run.stdout).filter((a) => a.level === 'warning')
      expect(warnings).toHaveLength(1)
      expect(warnings[0]?.message).toContain('read-only')
      expect(run.summary).toContain('Against the baseline')
      expect(comments(11)).toHaveLength(0)
      expect(run.stdout + run.stderr).not.toContain(TOKEN)
    } finally {
      github.setReadOnly(false)
    }
  })

  it('retries one transient 502', async () => {
    github.inject({ status: 502, method: 'POST', path: /\/issues\/12\/comments$/ })
    const { run } = await pullRequestRun(scratch, alpine, {}, 12)
    expect(run.exitCode).toBe(0)
    expect(github.requestsTo('POST', /\/issues\/12\/comments$/)).toHaveLength(2)
    expect(comments(12)).toHaveLength(1)
  })

  it('says "new image" when the base has no Dockerfile, and passes', async () => {
    const { run } = await pullRequestRun({}, alpine, { 'max-growth': '1%' }, 13)
    expect(run.exitCode).toBe(0)
    expect(run.outputs['baseline-size']).toBe('')
    expect(run.outputs['size-delta']).toBe('')
    expect(comments(13)[0]?.body).toMatch(/new image/i)
  })

  it('fails when max-growth is exceeded', async () => {
    const { run } = await pullRequestRun(scratch, alpine, { 'max-growth': '10%' }, 14)
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/^::error::image-size-gate failed: the image grew more than max-growth allows/m)
    expect((await report(run)).growth).toMatchObject({ metric: 'uncompressed', limitKind: 'percent', limit: 10, passed: false })
  })

  it('compares with a local baseline-image instead of building the base', async () => {
    const { run } = await pullRequestRun(scratch, alpine, { 'baseline-image': 'image-size-gate/alpine-like:latest' }, 15)
    expect(run.exitCode).toBe(0)
    expect(Number(run.outputs['baseline-size'])).toBe(await dockerSize('image-size-gate/alpine-like:latest'))
    expect(Number(run.outputs['size-delta'])).toBe(APP.length)
    expect((await report(run)).baseline?.source).toBe('image')
    expect(run.stdout).not.toContain('Building the base commit')
    // The base image's one layer is the head's first: analysed once with the base, then proven by digest and reused.
    expect(run.stdout).toContain('reused 1 of 2 layers already analysed in this run')
  })

  it('builds the base from its Dockerfile when the head came from the image input', async () => {
    const { run } = await pullRequestRun(scratch, alpine, { image: 'image-size-gate/alpine-like:latest' }, 17)
    expect(run.exitCode).toBe(0)
    expect(Number(run.outputs['baseline-size'])).toBe(APP.length)
    expect(Number(run.outputs['size'])).toBe(await dockerSize('image-size-gate/alpine-like:latest'))
  })

  it('compares with a saved baseline-report', async () => {
    const first = await pullRequestRun(scratch, { ...scratch, 'NOTES.md': 'docs only\n' }, { baseline: 'none' }, 16)
    const saved = first.run.outputs['report'] as string
    const { run } = await pullRequestRun(scratch, alpine, { 'baseline-report': saved }, 16)
    expect(Number(run.outputs['baseline-size'])).toBe(APP.length)
    expect((await report(run)).baseline).toMatchObject({ source: 'report', ref: saved })
  })

  it("measures the head's compressed sizes itself, never taking them from a saved baseline-report, which a pull request can supply", async () => {
    const first = await pullRequestRun(scratch, alpine, { baseline: 'none' }, 18)
    const saved = first.run.outputs['report'] as string
    // A report that claims 1 B, exact, for the layer the head shares: had it been taken, a compressed budget would pass.
    const poisoned = JSON.parse(await readFile(saved, 'utf8')) as Report
    // The honest figure, read before the saved report (the same file) is poisoned.
    const before = poisoned.image.layers[0]?.compressedSize
    poisoned.image.layers = poisoned.image.layers.map((layer) => ({ ...layer, compressedSize: 1, compressedExact: true }))
    await writeFile(saved, JSON.stringify(poisoned))
    const { run } = await pullRequestRun(scratch, { ...alpine, 'app.txt': 'changed' }, { 'baseline-report': saved }, 18)
    const [shared, changed] = (await report(run)).image.layers
    expect(shared?.compressedFrom).toBeUndefined()
    expect(shared?.compressedSize).toBe(before)
    expect(changed?.compressedFrom).toBeUndefined()
    expect(run.stdout).not.toContain('reused the compressed sizes')
  })
})
