import { afterEach, describe, expect, it } from '@jest/globals'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { UserError } from '../../../src/errors.js'
import { checkHistoryBranch, readDefaultBranch, readPullRequestEvent } from '../../../src/github/event.js'
import { upsertStickyComment } from '../../../src/github/github.js'
import { FakeGitHubServer } from '../../support/github-server.js'

const TOKEN = 'ghs_7Hq2ZkTestTokenNeverPrintMe0aB1cD2eF3'
const PR = { owner: 'acme', repo: 'shop', number: 12 }

let api: { url: string; close(): Promise<void> } | undefined

afterEach(async () => {
  await api?.close()
  api = undefined
})

describe('readPullRequestEvent', () => {
  /** Trimmed from a real `pull_request` (opened) webhook payload; values are GitHub's shapes. */
  function pullRequestPayload(headRepo: { full_name: string; fork: boolean } | null) {
    const base = { full_name: 'acme/shop', name: 'shop', fork: false, owner: { login: 'acme', type: 'Organization' } }
    return {
      action: 'opened',
      number: 12,
      pull_request: {
        url: 'https://api.github.com/repos/acme/shop/pulls/12',
        id: 1843201857,
        html_url: 'https://github.com/acme/shop/pull/12',
        number: 12,
        state: 'open',
        title: 'Slim the runtime image',
        user: { login: 'contributor', id: 583231, type: 'User' },
        draft: false,
        head: {
          label: headRepo ? `${headRepo.full_name.split('/')[0]}:slim-image` : 'unknown:slim-image',
          ref: 'slim-image',
          sha: '9c2f1e0a7d8b6c5e4f3a2b1c0d9e8f7a6b5c4d3e',
          repo: headRepo && { ...base, ...headRepo, name: 'shop', owner: { login: headRepo.full_name.split('/')[0], type: 'User' } }
        },
        base: { label: 'acme:main', ref: 'main', sha: '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d', repo: base },
        author_association: 'CONTRIBUTOR',
        merged: false,
        commits: 3,
        additions: 12,
        deletions: 40,
        changed_files: 2
      },
      repository: { ...base, id: 708195215, private: false, default_branch: 'main' },
      sender: { login: 'contributor', id: 583231, type: 'User' }
    }
  }

  async function eventFile(payload: unknown): Promise<string> {
    const path = join(await mkdtemp(join(tmpdir(), 'isg-event-')), 'event.json')
    await writeFile(path, JSON.stringify(payload, null, 2))
    return path
  }

  const actionsEnv = (path: string, name = 'pull_request'): NodeJS.ProcessEnv => ({
    GITHUB_EVENT_PATH: path,
    GITHUB_EVENT_NAME: name,
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_API_URL: 'https://ghe.example.com/api/v3'
  })

  it('reads a pull_request event from the same repository', async () => {
    const path = await eventFile(pullRequestPayload({ full_name: 'acme/shop', fork: false }))
    expect(await readPullRequestEvent(actionsEnv(path))).toEqual({
      target: { apiUrl: 'https://ghe.example.com/api/v3', owner: 'acme', repo: 'shop', number: 12 },
      baseSha: '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d',
      baseRef: 'main',
      headSha: '9c2f1e0a7d8b6c5e4f3a2b1c0d9e8f7a6b5c4d3e'
    })
  })

  it('reads pull_request_target, and a pull request whose fork was deleted (head.repo null), the same way', async () => {
    const fromFork = await eventFile(pullRequestPayload({ full_name: 'contributor/shop', fork: true }))
    expect(await readPullRequestEvent(actionsEnv(fromFork, 'pull_request_target'))).toMatchObject({ baseRef: 'main' })
    const deleted = await eventFile(pullRequestPayload(null))
    expect(await readPullRequestEvent(actionsEnv(deleted))).toMatchObject({ baseSha: '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d' })
  })

  it('falls back to the payload repository and the public API URL', async () => {
    const path = await eventFile(pullRequestPayload({ full_name: 'acme/shop', fork: false }))
    const event = await readPullRequestEvent({ GITHUB_EVENT_PATH: path, GITHUB_EVENT_NAME: 'pull_request' })
    expect(event?.target).toEqual({ apiUrl: 'https://api.github.com', owner: 'acme', repo: 'shop', number: 12 })
  })

  it('is undefined for a push event', async () => {
    const push = {
      ref: 'refs/heads/main',
      before: '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d',
      after: '9c2f1e0a',
      repository: { full_name: 'acme/shop' }
    }
    expect(await readPullRequestEvent(actionsEnv(await eventFile(push), 'push'))).toBeUndefined()
  })

  it('says which field a malformed payload lacks', async () => {
    const payload = pullRequestPayload({ full_name: 'acme/shop', fork: false })
    const path = await eventFile({ ...payload, pull_request: { ...payload.pull_request, base: {} } })
    await expect(readPullRequestEvent(actionsEnv(path))).rejects.toThrow(
      new UserError(
        `GITHUB_EVENT_PATH: '${path}' is not a pull_request event payload: pull_request.base.sha should be a commit SHA (40 or 64 hex digits), not missing`
      )
    )
  })

  it('says the payload is not JSON, naming GITHUB_EVENT_PATH', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'isg-event-')), 'event.json')
    await writeFile(path, '{"pull_request": ')
    await expect(readPullRequestEvent(actionsEnv(path))).rejects.toThrow(new UserError(`GITHUB_EVENT_PATH: '${path}' is not valid JSON`))
    await expect(readPullRequestEvent(actionsEnv(join(path, '..')))).rejects.toThrow(
      new UserError(`GITHUB_EVENT_PATH: '${join(path, '..')}' is a directory, not a regular file`)
    )
    await expect(readPullRequestEvent(actionsEnv(`${path}.gone`))).rejects.toThrow(
      new UserError(`GITHUB_EVENT_PATH: '${path}.gone' does not exist, so the pull_request event cannot be read`)
    )
  })

  const payload = pullRequestPayload({ full_name: 'acme/shop', fork: false })
  const pull = payload.pull_request
  it.each([
    ['a payload that is an array', [payload], 'the top level should be an object, not an array'],
    ['no pull_request', { ...payload, pull_request: undefined }, 'pull_request should be an object, not missing'],
    [
      'a number given as text',
      { ...payload, pull_request: { ...pull, number: '12' } },
      'pull_request.number should be a whole number > 0, not a string'
    ],
    ['a number of 0', { ...payload, pull_request: { ...pull, number: 0 } }, 'pull_request.number should be a whole number > 0, not 0'],
    [
      'a base sha that is an option',
      { ...payload, pull_request: { ...pull, base: { ...pull.base, sha: '--upload-pack=id' } } },
      'pull_request.base.sha should be a commit SHA (40 or 64 hex digits), not a string'
    ],
    [
      'an empty base ref',
      { ...payload, pull_request: { ...pull, base: { ...pull.base, ref: '' } } },
      'pull_request.base.ref should be a non-empty string, not an empty string'
    ]
  ])('rejects %s, naming the field', async (_name, value, problem) => {
    const path = await eventFile(value)
    await expect(readPullRequestEvent(actionsEnv(path))).rejects.toThrow(
      new UserError(`GITHUB_EVENT_PATH: '${path}' is not a pull_request event payload: ${problem}`)
    )
  })

  it('needs the payload repository only without GITHUB_REPOSITORY', async () => {
    const path = await eventFile({ ...payload, repository: undefined })
    expect((await readPullRequestEvent(actionsEnv(path)))?.target.repo).toBe('shop')
    await expect(readPullRequestEvent({ GITHUB_EVENT_PATH: path, GITHUB_EVENT_NAME: 'pull_request' })).rejects.toThrow(
      new UserError(`GITHUB_EVENT_PATH: '${path}' is not a pull_request event payload: repository should be an object, not missing`)
    )
  })

  it('says GITHUB_EVENT_PATH is missing for a pull_request event', async () => {
    await expect(readPullRequestEvent({ GITHUB_EVENT_NAME: 'pull_request' })).rejects.toThrow(
      new UserError('GITHUB_EVENT_PATH is not set, so the pull_request event cannot be read')
    )
  })

  it('gives a target that upsertStickyComment comments on', async () => {
    const github = new FakeGitHubServer({ token: TOKEN })
    api = await github.start()
    const path = await eventFile(pullRequestPayload({ full_name: 'acme/shop', fork: false }))
    const event = await readPullRequestEvent({ ...actionsEnv(path), GITHUB_API_URL: api.url })
    if (!event) throw new Error('expected a pull request event')
    const result = await upsertStickyComment(TOKEN, event.target, 'app', 'numbers', { retryDelayMs: 5, maxRetryDelayMs: 50 })
    expect(github.comments(PR).map((c) => c.id)).toEqual([result.id])
  })
})

describe('the history branch against the repository default branch', () => {
  it('refuses history: main when main is the default branch, on a push and on a pull request', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'isg-event-'))
    const path = join(dir, 'event.json')
    await writeFile(path, JSON.stringify({ ref: 'refs/heads/main', repository: { default_branch: 'main', name: 'shop' } }))
    const env = { GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: path }
    expect(await readDefaultBranch(env)).toBe('main')
    expect(() => checkHistoryBranch('main', 'main')).toThrow(
      new UserError(
        "history: 'main' is the repository's default branch; the size history needs a branch of its own, e.g. image-size-history"
      )
    )
    expect(() => checkHistoryBranch('image-size-history', 'main')).not.toThrow()
    expect(await readDefaultBranch({ GITHUB_EVENT_NAME: 'workflow_dispatch' })).toBeNull()
  })
})
