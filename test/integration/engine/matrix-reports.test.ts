/**
 * One pull request of a monorepo, on the real engine. A matrix: three jobs of the bundle (two Dockerfiles,
 * one built for two platforms) each write their report without commenting, as matrix jobs upload
 * artifacts; one `reports` run posts one comment with four rows; a second round, where one image grew,
 * updates it; two aggregate runs racing leave one. A base refresh: the FROM image grows by 20 MB and the
 * Dockerfile's own layer does not; max-growth 1% passes on own-layers and fails on the image. One repository,
 * one REST server, every image built in beforeAll (the grown image once more, in its test).
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { ENGINE, annotations, dockerOk, runAction, type ActionRun } from '../../support/action-runner.js'
import { makePullRequestRepo, type PullRequestRepo } from '../../support/git-fixture.js'
import { FakeGitHubServer } from '../../support/github-server.js'
import type { Report } from '../../../src/report/report.js'

// 600 s for a test or hook: beforeAll builds base and head of three jobs and the refreshed base, on a loaded 2-core machine.
jest.setTimeout(600_000)

const TOKEN = 'ghs_matrix0123456789'
const PR = { owner: 'octo-org', repo: 'service', number: 71 }
const KEY = 'image-size-gate'
const OLD_BASE = 'image-size-gate/alpine-like:latest'
/** The fixture base plus a 20 MB layer: what a base-image refresh looks like to the pull request. */
const NEW_BASE = 'image-size-gate/alpine-like:refreshed'
const REFRESH_BYTES = 20_000_000

const api = (size: number) => ({
  'api/Dockerfile': 'FROM scratch AS runtime\nCOPY app.txt /app.txt\n\nFROM runtime AS debug\nCOPY debug.txt /debug.txt\n',
  'api/app.txt': 'a'.repeat(size),
  'api/debug.txt': 'd'.repeat(50_000)
})
const worker = { 'worker/Dockerfile': 'FROM scratch\nCOPY job.txt /job.txt\n', 'worker/job.txt': 'w'.repeat(40_000) }
const refresh = (base: string) => ({ 'refresh/Dockerfile': `FROM ${base}\nCOPY app.txt /app.txt\n`, 'refresh/app.txt': 'r'.repeat(30_000) })

/** The three jobs of the matrix: each is one run of the action with its own inputs. */
const JOBS: Record<string, Record<string, string>> = {
  api: { context: 'api', target: 'runtime', 'max-size': '1MB', 'warn-size': '900kB' },
  'api-debug': { context: 'api', target: 'debug', 'max-size': '1MB', 'warn-size': '60kB' },
  worker: { context: 'worker', platforms: 'linux/amd64,linux/arm64', 'max-size': '1MB' }
}

let github: FakeGitHubServer
let server: { url: string; close(): Promise<void> }
let repo: PullRequestRepo
let jobs: ActionRun[]
/** The refresh's gate, on each growth-scope. */
let scoped: { own: ActionRun; image: ActionRun }

/** Incompressible and the same on every run, so the layer's compressed size grows by its 20 MB and the build cache holds. */
function refreshPayload(): Buffer {
  const blocks: Buffer[] = []
  for (let i = 0, block = Buffer.alloc(32); i * 32 < REFRESH_BYTES; i++) blocks.push((block = createHash('sha256').update(block).digest()))
  return Buffer.concat(blocks).subarray(0, REFRESH_BYTES)
}

async function buildNewBase(): Promise<void> {
  const context = await mkdtemp(join(tmpdir(), 'isg-refresh-'))
  await writeFile(join(context, 'Dockerfile'), `FROM ${OLD_BASE}\nCOPY refresh.bin /usr/share/refresh.bin\n`)
  await writeFile(join(context, 'refresh.bin'), refreshPayload())
  await dockerOk(['buildx', 'build', '--progress', 'quiet', '--network', 'none', '-t', NEW_BASE, '--load', context])
  await rm(context, { recursive: true, force: true })
}

/** Each job's own checkout, as each runner of a matrix has one: jobs that share a clone race on its git worktrees. */
async function checkout(name: string): Promise<{ env: Record<string, string>; workspace: string }> {
  const workspace = join(dirname(repo.workspace), `job-${name}`)
  await promisify(execFile)('git', ['clone', '--quiet', '--depth=1', '--branch', 'feature', `file://${repo.origin}`, workspace]).catch(
    () => undefined
  )
  return { env: { ...repo.env, GITHUB_WORKSPACE: workspace }, workspace }
}

/** The refreshed Dockerfile's gate with max-growth 1% on one growth-scope. */
async function refreshGate(scope: string): Promise<ActionRun> {
  const { env, workspace } = await checkout(`refresh-${scope}`)
  const inputs = { context: 'refresh', network: 'none', 'max-growth': '1%', 'growth-scope': scope, comment: 'false', 'github-token': TOKEN }
  return runAction(inputs, env, [], workspace)
}

/** One matrix job: builds, writes its report, and the workflow copies it where the aggregate job downloads it. */
async function matrixJob(name: string): Promise<ActionRun> {
  const { env, workspace } = await checkout(name)
  const run = await runAction({ ...JOBS[name], network: 'none', comment: 'false', 'github-token': TOKEN }, env, [], workspace)
  await mkdir(join(repo.workspace, 'reports'), { recursive: true })
  await copyFile(run.outputs['report'] as string, join(repo.workspace, 'reports', `${name}.json`))
  return run
}

beforeAll(async () => {
  github = new FakeGitHubServer({ token: TOKEN })
  server = await github.start()
  const base = { ...api(10_000), ...worker, ...refresh(OLD_BASE) }
  repo = await makePullRequestRepo(base, { ...api(20_000), ...worker, ...refresh(NEW_BASE) }, server.url, PR.number)
  await buildNewBase()
  const [own, image, ...matrix] = await Promise.all([refreshGate('own-layers'), refreshGate('image'), ...Object.keys(JOBS).map(matrixJob)])
  ;[scoped, jobs] = [{ own: own as ActionRun, image: image as ActionRun }, matrix]
})
afterAll(async () => {
  await server.close()
  await dockerOk(['rmi', NEW_BASE]).catch(() => '')
})

const aggregate = (key?: string) =>
  runAction(
    { reports: 'reports/*.json', 'expect-reports': '3', 'github-token': TOKEN, ...(key ? { 'comment-key': key } : {}) },
    repo.env,
    [],
    repo.workspace
  )

/** The top table's rows, after its header. */
function tableRows(body: string): string[] {
  const lines = body.split('\n')
  const start = lines.indexOf('| Image | Platform | Size | Change | Budget | Verdict |') + 2
  return lines.slice(
    start,
    lines.findIndex((line, index) => index >= start && !line.startsWith('|'))
  )
}

describe(`a matrix of images, one comment (${ENGINE.label})`, () => {
  it('three jobs write reports without commenting; one reports run posts one comment with four rows', async () => {
    for (const job of jobs) expect([job.exitCode, job.outputs['comment-url'], job.stderr]).toEqual([0, '', ''])
    // warn-size on both sides: the debug image (70 kB) is over its 60 kB and warned, not failed; the runtime image is under its 900 kB.
    const warned = jobs.map((job) =>
      annotations(job.stdout).filter((annotation) => `${annotation.properties}${annotation.message}`.includes('size-warning'))
    )
    expect(warned.map((list) => list.map((annotation) => annotation.level))).toEqual([[], ['warning'], []])
    expect(warned[1]?.[0]?.message).toContain('image is 70.0 kB uncompressed, 10.0 kB over the warn-size of 60.0 kB')
    // The debug target is built on the runtime stage: both stages' layers are the Dockerfile's own, with their lines.
    const debug = JSON.parse(await readFile(join(repo.workspace, 'reports', 'api-debug.json'), 'utf8')) as Report
    expect(debug.image.layers.map((layer) => layer.dockerfileLine)).toEqual([2, 5])
    expect(github.comments(PR)).toEqual([])
    const run = await aggregate()
    expect(run.exitCode).toBe(0)
    expect(annotations(run.stdout).filter((annotation) => annotation.level !== 'notice')).toEqual([])
    const [comment, ...more] = github.comments(PR)
    expect(more).toEqual([])
    expect(comment?.body.startsWith(`<!-- image-size-gate: key="${KEY}" -->\n### ✅ image-size-gate: all 4 images passed`)).toBe(true)
    const rows = tableRows(comment?.body ?? '')
    // A warned image comes before those that only passed.
    expect(rows.map((row) => row.split(' | ').slice(0, 2).join(' | '))).toEqual([
      '| api/Dockerfile (target debug) | linux/amd64',
      '| api/Dockerfile (target runtime) | linux/amd64',
      '| worker/Dockerfile (linux/amd64, linux/arm64) | linux/amd64',
      '| worker/Dockerfile (linux/amd64, linux/arm64) | linux/arm64',
      '| **Total** | '
    ])
    expect(rows[0]).toContain('| 70.0 kB | +10.0 kB (+16.7%) | 1.00 MB (7.0%) | ⚠️ over warn-size |')
    expect(rows[1]).toContain('| 20.0 kB | +10.0 kB (+100.0%) | 1.00 MB (2.0%) | ✅ passed |')
    expect(rows[3]).toContain('| 40.0 kB | ±0 B (±0%) |')
    expect(run.outputs['comment-url']).toBe(comment?.html_url)
    expect(run.outputs['comment-body']).toBe(comment?.body.slice(comment.body.indexOf('\n') + 1))
  })

  it('a second round, where one image grew, updates that comment', async () => {
    const [before] = github.comments(PR)
    await writeFile(join(dirname(repo.workspace), 'job-api', 'api/app.txt'), 'a'.repeat(600_000))
    await matrixJob('api')
    const run = await aggregate()
    expect(run.exitCode).toBe(0)
    const [after, ...more] = github.comments(PR)
    expect(more).toEqual([])
    expect(after?.id).toBe(before?.id)
    // The warned image stays first; the grown one now leads the images that only passed.
    expect(tableRows(after?.body ?? '')[1]).toContain('| api/Dockerfile (target runtime) | linux/amd64 | 600 kB | +590 kB (+5900.0%) |')
  })

  it('two aggregate runs racing on a new comment leave exactly one', async () => {
    const race = { ...PR }
    github.slowListing(3_000)
    const runs = await Promise.all([aggregate('race'), aggregate('race')])
    github.slowListing(0)
    for (const run of runs) expect(run.exitCode).toBe(0)
    const raced = github.comments(race).filter((comment) => comment.body.startsWith('<!-- image-size-gate: key="race" -->'))
    expect(raced).toHaveLength(1)
    expect(runs.map((run) => run.outputs['comment-url'])).toEqual([raced[0]?.html_url, raced[0]?.html_url])
  })
})

describe(`a base-image refresh (${ENGINE.label})`, () => {
  /** The line that splits the change: the FROM image's part and this Dockerfile's. */
  const split = (run: ActionRun) => run.outputs['comment-body']?.split('\n').find((line) => line.includes('The base image changed'))

  it('growth-scope own-layers passes max-growth 1%, image fails it; the comment splits the change either way', () => {
    const { own, image } = scoped
    expect([own.exitCode, image.exitCode]).toEqual([0, 1])
    expect(image.stdout).toMatch(/^::error .*size-growth/m)
    const line = `⚠️ **The base image changed** (\`FROM\`): base image +20.0 MB (<code>${OLD_BASE}</code> → <code>${NEW_BASE}</code>), this Dockerfile's layers ±0 B (uncompressed).`
    expect([split(own), split(image)]).toEqual([line, line])
  })
})
