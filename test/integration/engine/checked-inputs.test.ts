import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, symlink, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EXAMPLE, runAction, runCli, type ActionRun } from '../../support/action-runner.js'
import { makePullRequestRepo } from '../../support/git-fixture.js'
import { FakeGitHubServer } from '../../support/github-server.js'

// 120 s for a test or hook: a test builds one or two small images: 14 s at most on a loaded 2-core machine.
jest.setTimeout(120_000)

const IMAGE = 'image-size-gate/alpine-like:latest'
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m

/**
 * A file or input checked before use: one `::error::` line with exactly `message`, exit 1, no stack trace,
 * and nothing half-written: no outputs, no summary, no report under RUNNER_TEMP, and nothing analysed.
 */
async function expectRejectedUpFront(run: ActionRun, runnerTemp: string, message: string): Promise<void> {
  expect(run.exitCode).toBe(1)
  expect(run.stdout.split('\n').filter((line) => line.startsWith('::error'))).toEqual([`::error::${message}`])
  expect(run.stdout + run.stderr).not.toMatch(STACK_FRAME)
  expect(run.outputs).toEqual({})
  expect(run.summary).toBe('')
  expect(await readdir(runnerTemp)).not.toContain('image-size-gate')
  expect(run.stdout).not.toMatch(/Analysing|docker buildx build/)
}

/** Runs the bundle with its own RUNNER_TEMP, so the test can look for anything written there. */
async function runChecked(inputs: Record<string, string>, env: Record<string, string> = {}) {
  const runnerTemp = await mkdtemp(join(tmpdir(), 'isg-runner-'))
  return { run: await runAction(inputs, { RUNNER_TEMP: runnerTemp, ...env }), runnerTemp }
}

async function tempFile(name: string, text: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'isg-input-')), name)
  await writeFile(path, text)
  return path
}

describe('a baseline-report is checked before anything is analysed', () => {
  const layer = {
    diffId: 'sha256:aa',
    size: 5,
    compressedSize: null,
    compressedExact: false,
    files: 1,
    createdBy: null,
    instruction: null,
    dockerfileLine: null
  }
  const image = {
    id: 'sha256:0123',
    platform: 'linux/amd64',
    size: 5,
    compressedSize: 3,
    compressedExact: true,
    layers: [layer],
    paths: []
  }

  it.each([
    ['null', null, 'the top level should be an object, not null'],
    ['platforms that are a string', { platforms: 'x' }, 'platforms should be a non-empty array, not a string'],
    ['a platform that is null', { schemaVersion: 1, passed: true, platforms: [null] }, 'platforms[0] should be an object, not null'],
    ['layers that are numbers', { schemaVersion: 1, image: { ...image, layers: [1, 2] } }, 'image.layers[0] should be an object, not 1'],
    ['a layer that is null', { schemaVersion: 1, image: { ...image, layers: [null] } }, 'image.layers[0] should be an object, not null'],
    [
      'a size that is text',
      { schemaVersion: 1, image: { ...image, size: '5 MB' } },
      'image.size should be a whole number ≥ 0, not a string'
    ]
  ])('%s', async (_name, value, problem) => {
    const path = await tempFile('report.json', JSON.stringify(value))
    const { run, runnerTemp } = await runChecked({ image: IMAGE, 'baseline-report': path })
    await expectRejectedUpFront(run, runnerTemp, `baseline-report: '${path}' is not an image-size-gate report: ${problem}`)
  })

  it('a 600 MB file has its own message, and is not read', async () => {
    const path = await tempFile('report.json', '')
    await truncate(path, 600_000_000)
    const { run, runnerTemp } = await runChecked({ image: IMAGE, 'baseline-report': path })
    await expectRejectedUpFront(run, runnerTemp, `baseline-report: '${path}' is 600 MB, over the 64 MiB limit for a JSON file`)
  })

  it('a directory is not a cache miss', async () => {
    const path = await mkdtemp(join(tmpdir(), 'isg-input-'))
    const { run, runnerTemp } = await runChecked({ image: IMAGE, 'baseline-report': path })
    await expectRejectedUpFront(run, runnerTemp, `baseline-report: '${path}' is a directory, not a regular file`)
  })
})

describe('GITHUB_EVENT_PATH is checked before @actions/github reads it', () => {
  it('a pull_request payload that is not JSON', async () => {
    const path = await tempFile('event.json', 'not json\n')
    const { run, runnerTemp } = await runChecked({ image: IMAGE }, { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: path })
    await expectRejectedUpFront(run, runnerTemp, `GITHUB_EVENT_PATH: '${path}' is not valid JSON`)
  })

  it('a pull_request payload whose base sha is not a commit', async () => {
    const sha = 'a'.repeat(40)
    const payload = {
      pull_request: { number: 7, base: { sha: '--upload-pack=false', ref: 'main', repo: { full_name: 'o/r' } }, head: { sha, repo: null } }
    }
    const path = await tempFile('event.json', JSON.stringify(payload))
    const { run, runnerTemp } = await runChecked(
      { image: IMAGE },
      { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: path, GITHUB_REPOSITORY: 'o/r' }
    )
    const problem = 'pull_request.base.sha should be a commit SHA (40 or 64 hex digits), not a string'
    await expectRejectedUpFront(run, runnerTemp, `GITHUB_EVENT_PATH: '${path}' is not a pull_request event payload: ${problem}`)
  })

  it('a push event never reads the payload, so a broken one does not matter', async () => {
    const path = await tempFile('event.json', 'not json\n')
    const { run } = await runChecked({ image: IMAGE }, { GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: path })
    expect(run.exitCode).toBe(0)
    expect(run.outputs['passed']).toBe('true')
    expect(run.stdout + run.stderr).not.toMatch(STACK_FRAME)
  })
})

describe('inputs are checked before anything is built', () => {
  it.each([
    [{ 'max-size': '0' }, "max-size: '0' is 0 bytes; give a size above zero, e.g. 25MB"],
    [{ 'max-size': '1e305TB' }, "max-size: '1e305TB' is too large to be a size; use e.g. 25MB or 2GB"],
    [{ 'max-growth': '1e305TB' }, "max-growth: '1e305TB' is too large to be a size; use e.g. 25MB or 2GB"],
    [{ 'max-wasted': '1e305TB' }, "max-wasted: '1e305TB' is too large to be a size; use e.g. 25MB or 2GB"],
    [
      { platforms: 'linux/amd64,,linux/arm64' },
      "platforms: 'linux/amd64,,linux/arm64' has an empty entry; separate platforms with one comma"
    ],
    [
      { platforms: 'linux/amd64\nlinux' },
      "platforms: 'linux' is not a platform; use os/arch or os/arch/variant, e.g. linux/amd64 or linux/arm/v7"
    ],
    [{ platforms: 'linux/arm64\nlinux/amd64\nlinux/arm64' }, "platforms: 'linux/arm64' is listed twice; list each platform once"],
    [{ 'comment-key': 'k'.repeat(101) }, 'comment-key: the key is 101 characters long; give at most 100'],
    [{ 'comment-key': 'api\u202Eetad' }, 'comment-key: the key contains the unprintable character U+202E; use printable text on one line']
  ])('%p', async (inputs, message) => {
    const { run, runnerTemp } = await runChecked({ context: EXAMPLE, network: 'none', ...inputs })
    await expectRejectedUpFront(run, runnerTemp, message)
  })
})

describe('the CLI checks --report before building, and leaves no partial file', () => {
  async function expectRefused(dir: string, path: string, kind: string): Promise<void> {
    const before = (await readdir(dir)).sort()
    const run = await runCli(['--image', IMAGE, '--no-compressed', '--quiet', '--report', path])
    expect(run.exitCode).toBe(1)
    expect(run.stderr).toBe(`image-size-gate: --report: '${path}' is ${kind}; give the path of a regular file\n`)
    expect(run.stdout).toBe('')
    expect((await readdir(dir)).sort()).toEqual(before)
  }

  it.each(['a directory', 'a FIFO', 'a device', 'a symbolic link'])('%s', async (kind) => {
    const dir = await mkdtemp(join(tmpdir(), 'isg-report-'))
    const path = join(dir, 'report.json')
    if (kind === 'a directory') await mkdir(path)
    if (kind === 'a FIFO') execFileSync('mkfifo', [path])
    // A null device of our own: never the real /dev/null.
    if (kind === 'a device') execFileSync('mknod', ['-m', '666', path, 'c', '1', '3'])
    if (kind === 'a symbolic link') await symlink(await tempFile('kept.json', 'kept\n'), path)
    const type = (await lstat(path)).mode
    await expectRefused(dir, path, kind)
    expect((await lstat(path)).mode).toBe(type)
    if (kind === 'a symbolic link') expect(await readFile(await readlink(path), 'utf8')).toBe('kept\n')
  })

  it('writes a regular file, atomically, with nothing left beside it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'isg-report-'))
    const run = await runCli(['--image', IMAGE, '--no-compressed', '--quiet', '--report', join(dir, 'out', 'report.json')])
    expect(run.exitCode).toBe(0)
    expect(await readdir(join(dir, 'out'))).toEqual(['report.json'])
  })
})

describe('matrix jobs over platforms keep one comment each', () => {
  const TOKEN = 'ghs_testtoken0123456789'
  let github: FakeGitHubServer
  let api: { url: string; close(): Promise<void> }

  beforeAll(async () => {
    github = new FakeGitHubServer({ token: TOKEN })
    api = await github.start()
  })
  afterAll(async () => api.close())

  it('platforms: linux/amd64 and platforms: linux/arm64 do not overwrite each other', async () => {
    const files = { Dockerfile: 'FROM scratch\nCOPY app.txt /app.txt\n', 'app.txt': 'app\n' }
    const repo = await makePullRequestRepo(files, { ...files, 'app.txt': 'app v2\n' }, api.url, 21)
    for (const platforms of ['linux/amd64', 'linux/arm64']) {
      const run = await runAction({ network: 'none', baseline: 'none', 'github-token': TOKEN, platforms }, repo.env, [], repo.workspace)
      expect(run.exitCode).toBe(0)
    }
    const comments = github.comments({ owner: 'octo-org', repo: 'service', number: 21 })
    expect(comments.map((comment) => comment.body.split('\n')[0])).toEqual([
      '<!-- image-size-gate: key="Dockerfile (linux/amd64)" -->',
      '<!-- image-size-gate: key="Dockerfile (linux/arm64)" -->'
    ])
  })
})
