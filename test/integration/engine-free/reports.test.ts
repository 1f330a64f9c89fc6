/**
 * The `reports` mode of the bundle, run as the Actions runner runs it, against the local GitHub REST
 * server: many reports in, one comment out; reports from another workflow run treated as untrusted (each
 * bad file named in one sentence, names escaped, the pull request proven before anything is posted);
 * expect-reports and comment-threshold on both sides. The reports are generated and pass the schema.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { mkdir, mkdtemp, readFile, symlink, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseReportFile } from '../../../src/report/report-schema.js'
import type { Report } from '../../../src/report/report.js'
import { annotations, runAction, type ActionRun } from '../../support/action-runner.js'
import { FakeGitHubServer } from '../../support/github-server.js'
import { expectInert } from '../../support/inert-markdown.js'
import { imageReport, imageReports } from '../../support/report-set.js'

// 120 s for a test: a run of the bundle reads and renders 100 reports in about 3 s; the slowest test runs it three times.
jest.setTimeout(120_000)

const TOKEN = 'ghs_reportsmode0123456789'
const REPO = { owner: 'octo-org', repo: 'monorepo' }
const HEAD = 'a1'.repeat(20)
let github: FakeGitHubServer
let api: { url: string; close(): Promise<void> }

beforeAll(async () => {
  github = new FakeGitHubServer({ token: TOKEN })
  api = await github.start()
})
afterAll(async () => api.close())

/** A workspace with each report written as `reports/<name>` (a string is written as it is). */
async function workspace(files: Record<string, Report | string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'isg-reports-'))
  await mkdir(join(dir, 'reports'))
  for (const [name, contents] of Object.entries(files)) {
    await writeFile(join(dir, 'reports', name), typeof contents === 'string' ? contents : JSON.stringify(contents))
  }
  return dir
}

/** The event payload for `name`: a pull request's, or a workflow_run whose head is `head`. */
async function event(dir: string, name: 'pull_request' | 'workflow_run', number: number, head = HEAD): Promise<Record<string, string>> {
  const repository = { name: REPO.repo, owner: { login: REPO.owner }, default_branch: 'main' }
  const payload =
    name === 'pull_request'
      ? { number, repository, pull_request: { number, base: { sha: '0'.repeat(40), ref: 'main' }, head: { sha: head } } }
      : { action: 'completed', repository, workflow_run: { id: 99, event: 'pull_request', head_sha: head, pull_requests: [] } }
  const path = join(dir, '..', `${dir.split('/').pop()}-event.json`)
  await writeFile(path, JSON.stringify(payload))
  return {
    GITHUB_EVENT_NAME: name,
    GITHUB_EVENT_PATH: path,
    GITHUB_REPOSITORY: `${REPO.owner}/${REPO.repo}`,
    GITHUB_API_URL: api.url,
    GITHUB_WORKSPACE: dir
  }
}

async function reportsRun(dir: string, env: Record<string, string>, inputs: Record<string, string> = {}): Promise<ActionRun> {
  return runAction({ reports: 'reports/*.json', 'github-token': TOKEN, ...inputs }, env, [], dir)
}

const pr = (number: number) => ({ ...REPO, number })
const errors = (run: ActionRun) => annotations(run.stdout).filter((annotation) => annotation.level === 'error')
const warnings = (run: ActionRun) => annotations(run.stdout).filter((annotation) => annotation.level === 'warning')
const withoutCharts = (text: string) => text.replace(/```mermaid\n[\s\S]*?\n```/g, '')

describe('reports mode: one comment for 100 images', () => {
  it('posts one sticky comment under the limit, fails naming the images over budget, and writes the combined report', async () => {
    const reports = imageReports(100, 20)
    const dir = await workspace(Object.fromEntries(reports.map((report, index) => [`image-${index}.json`, report])))
    const env = await event(dir, 'pull_request', 41)
    const run = await reportsRun(dir, env, { 'expect-reports': '100' })
    const [comment, ...more] = github.comments(pr(41))
    expect(more).toEqual([])
    expect(
      comment?.body.startsWith('<!-- image-size-gate: key="image-size-gate" -->\n### ❌ image-size-gate: 5 of 100 images failed')
    ).toBe(true)
    expect(comment?.body.length).toBeLessThanOrEqual(65_536)
    expect(comment?.body.endsWith(run.outputs['comment-body'] as string)).toBe(true)
    expect(run.outputs['comment-url']).toBe(comment?.html_url)
    expect(run.exitCode).toBe(1)
    expect(run.outputs['passed']).toBe('false')
    const failed = errors(run)[0]?.message.split('%0A') ?? []
    expect(failed).toHaveLength(5)
    expect(failed[0]).toBe(
      'services/service-001/Dockerfile (linux/amd64): image-size-gate failed: the image is over the size budget (30.1 MB uncompressed, 15.1 MB compressed)'
    )
    const combined = parseReportFile(JSON.parse(await readFile(run.outputs['report'] as string, 'utf8')))
    expect('platforms' in combined && combined.platforms.length).toBe(100)
    expect(run.summary.split('<details><summary>').length - 1).toBe(100)
    expect(run.stderr).not.toMatch(/at \w+ \(/)
  })
})

describe('reports from another workflow run (workflow_run): untrusted data', () => {
  it('posts on the pull request the API proves, with hostile names escaped and every bad file named once', async () => {
    const hostile = '</details><img src=x onerror=alert(1)> @octocat\n## approved\n<!-- image-size-gate: key="other" -->'
    const good = imageReport({ title: hostile, size: 12_000_000, pullRequest: 8, commit: HEAD })
    const future = { ...imageReport({ title: 'future', size: 1, pullRequest: 8, commit: HEAD }), schemaVersion: 2 }
    const negative = JSON.stringify(imageReport({ title: 'negative', size: 5, pullRequest: 8, commit: HEAD })).replace(
      '"size":5,',
      '"size":-1,'
    )
    const dir = await workspace({
      'good.json': good,
      'future.json': JSON.stringify(future),
      'nan.json': '{"schemaVersion":1,"image":{"size":NaN}}',
      'negative.json': negative
    })
    await writeFile(join(dir, 'reports', 'huge.json'), '')
    await truncate(join(dir, 'reports', 'huge.json'), 100 * 1000 ** 2)
    const outside = await mkdtemp(join(tmpdir(), 'isg-outside-'))
    await writeFile(join(outside, 'secret.json'), JSON.stringify(good))
    await symlink(join(outside, 'secret.json'), join(dir, 'reports', 'link.json'))
    github.openPullRequest(pr(8), HEAD)
    const run = await reportsRun(dir, await event(dir, 'workflow_run', 0))
    expect(run.exitCode).toBe(1)
    const sentences = errors(run)[0]?.message.split('%0A') ?? []
    expect(sentences.sort()).toEqual(
      [
        "reports: 'reports/future.json' is not an image-size-gate report: schemaVersion should be 1, not 2",
        "reports: 'reports/huge.json' is 100 MB, over the 16 MiB limit for a JSON file",
        "reports: 'reports/link.json' is a symbolic link; reports are read only as regular files inside the workspace",
        "reports: 'reports/nan.json' is not valid JSON",
        "reports: 'reports/negative.json' is not an image-size-gate report: image.size should be a whole number ≥ 0, not -1"
      ].sort()
    )
    const [comment, ...more] = github.comments(pr(8))
    expect(more).toEqual([])
    expectInert(withoutCharts(comment?.body ?? ''))
    expect(comment?.body.split('<!--')).toHaveLength(2)
    expect(comment?.body).toContain('| &#60;/details&#62;&#60;img src=x onerror=alert(1)&#62; @&#8203;octocat&#92;n&#35;&#35; approved')
    expect(comment?.body).toContain("- reports: 'reports/huge.json' is 100 MB, over the 16 MiB limit for a JSON file")
  })

  it.each([
    [
      'another pull request',
      { pullRequest: 9, commit: HEAD },
      'no comment: pull request #9 is at b2b2b2b, not at a1a1a1a, the commit the reports were made from'
    ],
    [
      'another head commit',
      { pullRequest: 8, commit: 'c3'.repeat(20) },
      'no comment: a report was made from c3c3c3c, not from a1a1a1a, the head of the workflow run'
    ],
    ['a pull request that does not exist', { pullRequest: 404, commit: HEAD }, 'no comment: octo-org/monorepo has no pull request #404'],
    [
      'no pull request at all',
      { pullRequest: null, commit: HEAD },
      'no comment: a report names no pull request (it was not made on a pull_request event)'
    ]
  ])('posts nothing for reports that name %s, in one sentence', async (_what, origin, sentence) => {
    github.openPullRequest(pr(9), 'b2'.repeat(20))
    const report = imageReport({ title: 'api', size: 1_000_000 })
    const dir = await workspace({ 'api.json': { ...report, origin: { ...(report.origin as NonNullable<Report['origin']>), ...origin } } })
    const before = github.requestsTo('POST', /\/comments$/).length
    const run = await reportsRun(dir, await event(dir, 'workflow_run', 0))
    expect(warnings(run).map((warning) => warning.message)).toEqual([sentence])
    expect(github.requestsTo('POST', /\/comments$/).length).toBe(before)
    expect(github.requestsTo('PATCH', /\/comments\/\d+$/).length).toBe(0)
    expect(run.exitCode).toBe(0)
    expect(run.outputs['comment-url']).toBe('')
  })
})

describe('expect-reports', () => {
  it('fails naming the count when a matrix job wrote no report, and passes when all are there', async () => {
    const dir = await workspace({
      'a.json': imageReport({ title: 'a', size: 2_000_000 }),
      'b.json': imageReport({ title: 'b', size: 3_000_000 })
    })
    const env = await event(dir, 'pull_request', 51)
    const short = await reportsRun(dir, env, { 'expect-reports': '3', comment: 'false' })
    expect(short.exitCode).toBe(1)
    expect(errors(short).map((error) => error.message)).toEqual([
      'expect-reports: 3 report files were expected, but 2 were found; a job may have died before writing its report'
    ])
    const all = await reportsRun(dir, env, { 'expect-reports': '2', comment: 'false' })
    expect([all.exitCode, all.outputs['passed']]).toEqual([0, 'true'])
  })

  it('without it, a glob that matches no report fails the step, naming the glob', async () => {
    const dir = await workspace({})
    const none = await runAction(
      { reports: 'reports/*.json\nmore/*.json', comment: 'false' },
      await event(dir, 'pull_request', 52),
      [],
      dir
    )
    expect([none.exitCode, none.outputs['passed']]).toEqual([1, 'false'])
    expect(errors(none).map((error) => error.message)).toEqual([
      "reports: no report file matches 'reports/*.json', 'more/*.json' in the workspace"
    ])
  })
})

describe('comment-threshold', () => {
  it('creates no comment when every image moved less, creates one when one moved more, and keeps updating it', async () => {
    const quiet = (size: number) => imageReport({ title: 'api', size, base: 10_000_000 })
    const dir = await workspace({ 'api.json': quiet(10_050_000) })
    const env = await event(dir, 'pull_request', 61)
    const below = await reportsRun(dir, env, { 'comment-threshold': '1%' })
    expect(github.comments(pr(61))).toEqual([])
    expect(below.stdout).toContain('no pull request comment: the image changed by less than the comment-threshold of 1%')
    expect([below.exitCode, below.outputs['comment-url']]).toEqual([0, ''])
    await writeFile(join(dir, 'reports', 'api.json'), JSON.stringify(quiet(10_200_000)))
    const above = await reportsRun(dir, env, { 'comment-threshold': '100kB' })
    expect(github.comments(pr(61))).toHaveLength(1)
    expect(above.outputs['comment-url']).toBe(github.comments(pr(61))[0]?.html_url)
    await writeFile(join(dir, 'reports', 'api.json'), JSON.stringify(quiet(10_010_000)))
    const settled = await reportsRun(dir, env, { 'comment-threshold': '1%' })
    const [comment, ...more] = github.comments(pr(61))
    expect(more).toEqual([])
    expect(comment?.body).toContain('| api | linux/amd64 | 10.0 MB | +10.0 kB (+0.1%) |')
    expect(settled.outputs['comment-url']).toBe(comment?.html_url)
  })
})
