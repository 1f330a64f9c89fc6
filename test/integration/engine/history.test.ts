/**
 * The size history end to end on the engine: five pushes to main record their builds on the history
 * branch, then a pull request compares against its base's record without building the base, and its
 * trend has six points. And the CLI's --history-file.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseHistory } from '../../../src/history/history-file.js'
import type { Report } from '../../../src/report/report.js'
import { ENGINE, runAction, runCli, type ActionRun } from '../../support/action-runner.js'
import { ACTIONS_BOT_LOGIN, FakeGitHubServer } from '../../support/github-server.js'
import { git, makeHistoryRepo, shallowClone, type HistoryRepo } from '../../support/history-fixture.js'

// 300 s for a test or hook: a test records five main builds and runs a pull request: 45 s on a loaded 2-core machine.
jest.setTimeout(300_000)

const TOKEN = 'ghs_testtoken0123456789'
const BRANCH = 'image-size-history'
const PR = { owner: 'octo-org', repo: 'service', number: 12 }
const dockerfile = 'FROM scratch\nCOPY app.txt /app.txt\n'
const repository = { name: 'service', full_name: 'octo-org/service', default_branch: 'main', owner: { login: 'octo-org' } }

let github: FakeGitHubServer
let api: { url: string; close(): Promise<void> }
let repo: HistoryRepo

beforeAll(async () => {
  github = new FakeGitHubServer({ token: TOKEN })
  api = await github.start()
  repo = await makeHistoryRepo(5, (n) => ({ Dockerfile: dockerfile, 'app.txt': 'a'.repeat(1000 * n) }), { 'app.txt': 'a'.repeat(7000) })
})
afterAll(async () => api.close())

const runnerEnv = (workspace: string, event: string, eventPath: string, sha: string, ref: string) => ({
  GITHUB_EVENT_NAME: event,
  GITHUB_EVENT_PATH: eventPath,
  GITHUB_REPOSITORY: 'octo-org/service',
  GITHUB_API_URL: api.url,
  GITHUB_WORKSPACE: workspace,
  GITHUB_SHA: sha,
  GITHUB_REF: ref,
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_RUN_ID: '42'
})

/** A push to main at `sha`, in a depth=1 clone of that commit. */
async function pushRun(n: number): Promise<ActionRun> {
  const sha = repo.main[n] as string
  const workspace = await shallowClone(`file://${repo.origin}`, join(repo.root, `push-${n}`), 'main', { sha })
  const eventPath = join(repo.root, `push-${n}.json`)
  await writeFile(eventPath, JSON.stringify({ ref: 'refs/heads/main', after: sha, repository }))
  const env = runnerEnv(workspace, 'push', eventPath, sha, 'refs/heads/main')
  return runAction({ network: 'none', history: BRANCH, 'github-token': TOKEN }, env, [], workspace)
}

async function pullRequestRun(): Promise<ActionRun> {
  const workspace = await shallowClone(`file://${repo.origin}`, join(repo.root, 'pr'), 'feature')
  const eventPath = join(repo.root, 'pr.json')
  const side = (sha: string, ref: string) => ({ sha, ref, repo: repository })
  const pullRequest = { number: PR.number, base: side(repo.main[4] as string, 'main'), head: side(repo.feature, 'feature') }
  await writeFile(eventPath, JSON.stringify({ number: PR.number, pull_request: pullRequest, repository }))
  const env = runnerEnv(workspace, 'pull_request', eventPath, repo.feature, `refs/pull/${PR.number}/merge`)
  return runAction({ network: 'none', history: BRANCH, 'github-token': TOKEN, 'max-size': '10kB' }, env, [], workspace)
}

const indexEntry = (diffId: string) => `${diffId.replace(/^sha256:/, '')}.jsonl`
const indexOnOrigin = async () =>
  (await git(repo.origin, 'ls-tree', '--name-only', `${BRANCH}:layer-index`).catch(() => '')).split('\n').filter(Boolean)

describe(`size history (${ENGINE.label})`, () => {
  it('records five main builds, then compares a pull request with its base record, not building it, with six trend points', async () => {
    let last: ActionRun | undefined
    for (let n = 0; n < 5; n++) {
      const run = await pushRun(n)
      last = run
      expect(run.exitCode).toBe(0)
      expect(run.stdout).toContain(`history: added the record of ${repo.main[n]?.slice(0, 7)}`)
      expect(run.stdout).not.toMatch(/^::warning::history/m)
      // The token and its Basic form are masked, and appear nowhere else in the log.
      const basic = Buffer.from(`x-access-token:${TOKEN}`).toString('base64')
      expect(run.stdout).toContain(`::add-mask::${basic}`)
      expect(run.stdout.replace(/^::add-mask::.*$/gm, '')).not.toMatch(new RegExp(`${TOKEN}|${basic}`))
    }
    // On a push, the trend is the records up to and including this one.
    expect(last?.summary).toContain('#### Size trend')
    expect(last?.summary).toContain('    line [1, 2, 3, 4, 5]')
    const records = parseHistory(await git(repo.origin, 'show', `${BRANCH}:Dockerfile.jsonl`)).records
    expect(records.map((record) => [record.commit, record.platforms[0]?.size, record.runUrl])).toEqual(
      repo.main.map((sha, n) => [sha, 1000 * (n + 1), 'https://github.com/octo-org/service/actions/runs/42'])
    )
    expect(records.map((record) => record.parent)).toEqual([null, ...repo.main.slice(0, 4)])
    // The pushes left their plain layers' analyses in the layer index beside the records.
    const pushed = JSON.parse(await readFile(last?.outputs['report'] as string, 'utf8')) as Report
    const plain = pushed.image.layers.filter((layer) => layer.compression === 'none').map((layer) => indexEntry(layer.diffId))
    expect(await indexOnOrigin()).toEqual(expect.arrayContaining(plain))
    const tip = await git(repo.origin, 'rev-parse', BRANCH)
    const run = await pullRequestRun()
    expect(run.exitCode).toBe(0)
    expect(run.stdout).not.toContain('Building the base commit')
    const report = JSON.parse(await readFile(run.outputs['report'] as string, 'utf8')) as Report
    expect(report.baseline).toMatchObject({ source: 'history', ref: repo.main[4], size: 5000 })
    expect(run.outputs['size-delta']).toBe('2000')
    const [comment] = github.comments(PR)
    expect(comment?.user.login).toBe(ACTIONS_BOT_LOGIN)
    expect(comment?.body).toContain(`Compared with the recorded size of <code>${repo.main[4]?.slice(0, 7)}</code> from the size history`)
    // Five records and the head, in kB, with the 10 kB budget as the second line.
    expect(comment?.body).toContain('    line [1, 2, 3, 4, 5, 7]')
    expect(comment?.body).toContain('    line [10, 10, 10, 10, 10, 10]')
    expect(run.summary).toContain('    line [1, 2, 3, 4, 5, 7]')
    // With a baseline, the summary says everything once: the verdict, the layer table and the trend are not repeated.
    const once = (part: string) => run.summary.split(part).length - 1
    expect([
      once('image-size-gate passed'),
      once('| Layer | Size | Compressed | Instruction |'),
      once('    line [1, 2, 3, 4, 5, 7]')
    ]).toEqual([1, 1, 1])
    expect(run.summary).toContain('#### Against the baseline')
    // A pull request only reads the history: no record, and no layer index entry for its own new layer.
    expect(parseHistory(await git(repo.origin, 'show', `${BRANCH}:Dockerfile.jsonl`)).records).toHaveLength(5)
    expect(await git(repo.origin, 'rev-parse', BRANCH)).toBe(tip)
    expect(await indexOnOrigin()).not.toContain(indexEntry(report.image.layers[0]?.diffId ?? ''))
  })

  it('appends to a local --history-file from the CLI, skips a damaged line with a warning, and prints the last records', async () => {
    const file = join(repo.root, 'local.jsonl')
    await writeFile(file, '{"broken\n')
    const first = await runCli(['--image', 'image-size-gate/alpine-like:latest', '--no-compressed', '--history-file', file])
    expect(first.exitCode).toBe(0)
    expect(first.stderr).toContain(`warning: history: skipped line 1 of ${file}: it is not JSON`)
    const second = await runCli(['--image', 'image-size-gate/alpine-like:latest', '--no-compressed', '--history-file', file])
    expect(second.stdout).toMatch(/history: last 2 of 2 records, uncompressed\n {2}▄▄ {2}[^\n]+\n {2}[0-9a-f]{7} {2}/)
    const lines = (await readFile(file, 'utf8')).split('\n')
    expect(lines[0]).toBe('{"broken')
    const { records } = parseHistory(lines.join('\n'))
    expect(records).toHaveLength(2)
    expect(records[0]?.commit).toBe(await git(process.cwd(), 'rev-parse', 'HEAD'))
  })
})
