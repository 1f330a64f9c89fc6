import { afterEach, describe, expect, it } from '@jest/globals'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { inspect } from 'node:util'
import {
  CommentPermissionError,
  CommentTimeoutError,
  commentMarker,
  upsertStickyComment,
  type CommentOptions,
  type PullRequestTarget
} from '../../../src/github/github.js'
import type { Log } from '../../../src/log.js'
import { ACTIONS_BOT_LOGIN, FakeGitHubServer, type FakeGitHubOptions, type RecordedRequest } from '../../support/github-server.js'
import { startSilentServer } from '../../support/silent-server.js'

// Shaped like a real installation token so a leak would be recognisable.
const TOKEN = 'ghs_7Hq2ZkTestTokenNeverPrintMe0aB1cD2eF3'
const PR = { owner: 'acme', repo: 'shop', number: 12 }
const COMMENTS = /^\/repos\/acme\/shop\/issues\/12\/comments$/
const ONE_COMMENT = /^\/repos\/acme\/shop\/issues\/comments\/\d+$/
const FAST: CommentOptions = { retryDelayMs: 5, maxRetryDelayMs: 50 }

let github: FakeGitHubServer
let api: { url: string; close(): Promise<void> } | undefined

async function serve(options: Partial<FakeGitHubOptions> = {}): Promise<FakeGitHubServer> {
  github = new FakeGitHubServer({ token: TOKEN, ...options })
  api = await github.start()
  return github
}

afterEach(async () => {
  await api?.close()
  api = undefined
})

function target(): PullRequestTarget {
  if (!api) throw new Error('serve() first')
  return { apiUrl: api.url, ...PR }
}

function upsert(key: string, body: string, options: CommentOptions = FAST) {
  return upsertStickyComment(TOKEN, target(), key, body, options)
}

/** A log that keeps every line, to assert on retries and on what must never be printed. */
function recordingLog(): Log & { lines: string[] } {
  const lines: string[] = []
  return {
    lines,
    info: (line) => lines.push(line),
    warning: (message) => lines.push(`warning: ${message}`),
    group: (_title, body) => body()
  }
}

const writes = (requests: RecordedRequest[]) => requests.filter((r) => ['POST', 'PATCH', 'DELETE'].includes(r.method))
const humans = (count: number) => Array.from({ length: count }, (_, i) => ({ login: `reviewer${i % 7}`, body: `LGTM ${i}` }))

describe('commentMarker', () => {
  it('keeps a plain key readable', () => {
    expect(commentMarker('services/api/Dockerfile linux/amd64')).toBe('<!-- image-size-gate: key="services/api/Dockerfile linux/amd64" -->')
  })

  it('escapes text that would end the comment, the quoted value or the line', () => {
    const marker = commentMarker('a"b-->\nc<!--d%')
    expect(marker).toBe('<!-- image-size-gate: key="a%22b-%2D%3E%0Ac%3C!-%2Dd%25" -->')
    expect(marker.indexOf('-->')).toBe(marker.length - 3)
  })

  it('gives different keys different markers', () => {
    const keys = ['a', 'A', 'a ', 'a"', 'a%22', 'a--', 'a-%2D', 'a\n', 'a\r\n']
    expect(new Set(keys.map(commentMarker)).size).toBe(keys.length)
  })
})

describe('upsertStickyComment', () => {
  it('creates the comment on the first run, as github-actions[bot] with GITHUB_TOKEN', async () => {
    await serve()
    const result = await upsert('app', '## Image size\n42 MB')
    const comments = github.comments(PR)
    expect(comments).toHaveLength(1)
    expect(comments[0]?.body).toBe(`${commentMarker('app')}\n## Image size\n42 MB`)
    expect(comments[0]?.user.login).toBe(ACTIONS_BOT_LOGIN)
    expect(result).toEqual({ action: 'created', id: comments[0]?.id, url: comments[0]?.html_url })
    // The second listing looks for a comment a racing run may have created meanwhile.
    expect(github.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /user',
      'GET /repos/acme/shop/issues/12/comments',
      'POST /repos/acme/shop/issues/12/comments',
      'GET /repos/acme/shop/issues/12/comments'
    ])
    expect(github.requests[1]?.query).toEqual({ per_page: '100' })
  })

  it('updates its own comment in place when it sits on page 3 of a busy pull request', async () => {
    await serve()
    github.seed(PR, humans(250))
    const first = await upsert('app', 'old numbers')
    const before = github.requests.length
    const second = await upsert('app', 'new numbers')
    const run = github.requests.slice(before)
    expect(second).toEqual({ action: 'updated', id: first.id, url: first.url })
    expect(github.comments(PR)).toHaveLength(251)
    expect(github.comments(PR).at(-1)?.body).toBe(`${commentMarker('app')}\nnew numbers`)
    expect(run.filter((r) => COMMENTS.test(r.path)).map((r) => r.query['page'])).toEqual([undefined, '2', '3', undefined, '2', '3'])
    expect(writes(run)).toEqual([{ method: 'PATCH', path: `/repos/acme/shop/issues/comments/${first.id}`, query: {} }])
  })

  it('writes nothing when the body is unchanged', async () => {
    await serve()
    const first = await upsert('app', 'same')
    const updatedAt = github.comments(PR)[0]?.updated_at
    const before = github.requests.length
    const second = await upsert('app', 'same')
    expect(second).toEqual({ action: 'unchanged', id: first.id, url: first.url })
    expect(writes(github.requests.slice(before))).toEqual([])
    expect(github.comments(PR)[0]?.updated_at).toBe(updatedAt)
  })

  it('leaves alone a human or another bot quoting its marker, and creates its own', async () => {
    await serve()
    const quoted = `${commentMarker('app')}\nwhy did this grow?`
    const [human, otherBot] = github.seed(PR, [
      { login: 'alice', body: quoted },
      { login: 'renovate[bot]', body: quoted }
    ])
    const result = await upsert('app', 'numbers')
    const comments = github.comments(PR)
    expect(result.action).toBe('created')
    expect(comments.map((c) => [c.id, c.user.login, c.body])).toEqual([
      [human?.id, 'alice', quoted],
      [otherBot?.id, 'renovate[bot]', quoted],
      [result.id, ACTIONS_BOT_LOGIN, `${commentMarker('app')}\nnumbers`]
    ])
  })

  it('matches the account `GET /user` names when the token is a PAT', async () => {
    await serve({ viewer: 'release-robot' })
    const [actionsComment] = github.seed(PR, [{ login: ACTIONS_BOT_LOGIN, body: `${commentMarker('app')}\nold` }])
    const created = await upsert('app', 'first')
    const updated = await upsert('app', 'second')
    const comments = github.comments(PR)
    expect(created.action).toBe('created')
    expect(updated).toEqual({ action: 'updated', id: created.id, url: created.url })
    expect(comments.map((c) => [c.user.login, c.body])).toEqual([
      [ACTIONS_BOT_LOGIN, `${commentMarker('app')}\nold`],
      ['release-robot', `${commentMarker('app')}\nsecond`]
    ])
    expect(comments[0]?.id).toBe(actionsComment?.id)
  })

  it('keeps one comment per key', async () => {
    await serve()
    const amd64 = await upsert('app linux/amd64', 'amd64 v1')
    const arm64 = await upsert('app linux/arm64', 'arm64 v1')
    const again = await upsert('app linux/amd64', 'amd64 v2')
    expect(arm64.id).not.toBe(amd64.id)
    expect(again).toMatchObject({ action: 'updated', id: amd64.id })
    expect(github.comments(PR).map((c) => c.body)).toEqual([
      `${commentMarker('app linux/amd64')}\namd64 v2`,
      `${commentMarker('app linux/arm64')}\narm64 v1`
    ])
  })

  it('updates the oldest of several of its own comments, so links to it stay valid, and deletes the others', async () => {
    await serve()
    const marker = commentMarker('app')
    const [older, , newer] = github.seed(PR, [
      { login: ACTIONS_BOT_LOGIN, body: `${marker}\nfirst run` },
      { login: 'alice', body: `${marker}\nquoted` },
      { login: ACTIONS_BOT_LOGIN, body: `${marker}\nfrom a racing run` }
    ])
    const result = await upsert('app', 'now')
    expect(result).toEqual({ action: 'updated', id: older?.id, url: older?.html_url })
    expect(github.comments(PR).map((c) => [c.id, c.body])).toEqual([
      [older?.id, `${marker}\nnow`],
      [expect.any(Number), `${marker}\nquoted`]
    ])
    expect(writes(github.requests)).toEqual([
      { method: 'PATCH', path: `/repos/acme/shop/issues/comments/${older?.id}`, query: {} },
      { method: 'DELETE', path: `/repos/acme/shop/issues/comments/${newer?.id}`, query: {} }
    ])
  })

  it('leaves one comment, the oldest, when two runs race and both find none', async () => {
    await serve()
    // Both listings are answered as of their arrival, before either run has written.
    github.slowListing(300)
    const [first, second] = await Promise.all([upsert('app', 'run one'), upsert('app', 'run two')])
    const comments = github.comments(PR)
    expect(github.createdIds).toHaveLength(2)
    expect(comments.map((c) => c.id)).toEqual([github.createdIds[0]])
    expect([first.id, second.id]).toEqual([comments[0]?.id, comments[0]?.id])
    expect([first.url, second.url]).toEqual([comments[0]?.html_url, comments[0]?.html_url])
    expect([`${commentMarker('app')}\nrun one`, `${commentMarker('app')}\nrun two`]).toContain(comments[0]?.body)
  })

  it('carries its text into the older comment and deletes its own when a racing run created first', async () => {
    await serve()
    github.slowListing(300)
    const marker = commentMarker('app')
    // This run lists (stale: empty), then a racing run's comment lands before this run creates its own.
    const racing = upsert('app', 'mine')
    while (github.requestsTo('GET', COMMENTS).length === 0) await new Promise((resolve) => setTimeout(resolve, 5))
    const [theirs] = github.seed(PR, [{ login: ACTIONS_BOT_LOGIN, body: `${marker}\ntheirs` }])
    const result = await racing
    expect(result).toEqual({ action: 'updated', id: theirs?.id, url: theirs?.html_url })
    expect(github.comments(PR).map((c) => [c.id, c.body])).toEqual([[theirs?.id, `${marker}\nmine`]])
    expect(github.requestsTo('POST', COMMENTS)).toHaveLength(1)
    expect(github.requestsTo('DELETE', ONE_COMMENT)).toHaveLength(1)
  })

  it('throws CommentPermissionError and writes nothing with a read-only token', async () => {
    await serve({ readOnly: true })
    await expect(upsert('app', 'numbers')).rejects.toThrow(
      new CommentPermissionError(
        'cannot comment on pull request #12: the token is read-only (as on pull requests from forks); the job summary has the full report'
      )
    )
    await expect(upsert('app', 'numbers')).rejects.toBeInstanceOf(CommentPermissionError)
    expect(github.comments(PR)).toEqual([])
    expect(github.requestsTo('POST', COMMENTS)).toHaveLength(2)
  })

  it('throws CommentPermissionError without a token, before any request', async () => {
    await serve()
    await expect(upsertStickyComment('', target(), 'app', 'numbers', FAST)).rejects.toThrow(
      new CommentPermissionError('cannot comment on pull request #12: no GitHub token was given')
    )
    expect(github.requests).toEqual([])
  })

  it('treats an unusable retry count as the default, not as endless retries', async () => {
    await serve()
    github.inject({ status: 502, times: 100, method: 'GET', path: /^\/user$/ })
    await expect(upsert('app', 'numbers', { ...FAST, retries: Number.NaN })).rejects.toThrow(/GET \/user answered 502/)
    expect(github.requestsTo('GET', /^\/user$/)).toHaveLength(4)
  })

  it('throws CommentPermissionError when its existing comment may not be edited', async () => {
    await serve({ readOnly: true })
    github.seed(PR, [{ login: ACTIONS_BOT_LOGIN, body: `${commentMarker('app')}\nold` }])
    await expect(upsert('app', 'new')).rejects.toBeInstanceOf(CommentPermissionError)
    expect(github.requestsTo('PATCH', ONE_COMMENT)).toHaveLength(1)
    expect(github.comments(PR)[0]?.body).toBe(`${commentMarker('app')}\nold`)
  })

  it('retries a 502 while listing, logs it, and ends with one comment', async () => {
    await serve()
    github.inject({ status: 502, method: 'GET', path: COMMENTS })
    const log = recordingLog()
    const result = await upsert('app', 'numbers', { ...FAST, log })
    expect(result.action).toBe('created')
    expect(github.comments(PR)).toHaveLength(1)
    expect(github.requestsTo('GET', COMMENTS)).toHaveLength(3)
    expect(log.lines).toEqual([
      'GET /repos/acme/shop/issues/12/comments?per_page=100 answered 502: Server Error; retrying in 0 s (retry 1 of 3)'
    ])
  })

  it('retries a 502 on create by looking again, so a create that took effect is not duplicated', async () => {
    await serve()
    github.inject({ status: 502, method: 'POST', path: COMMENTS, applied: true })
    const result = await upsert('app', 'numbers')
    expect(github.comments(PR)).toHaveLength(1)
    expect(result).toEqual({ action: 'created', id: github.comments(PR)[0]?.id, url: github.comments(PR)[0]?.html_url })
    expect(github.requestsTo('POST', COMMENTS)).toHaveLength(1)
  })

  it('retries a 502 on create that did not take effect, and creates exactly one comment', async () => {
    await serve()
    github.inject({ status: 502, method: 'POST', path: COMMENTS })
    const result = await upsert('app', 'numbers')
    expect(result.action).toBe('created')
    expect(github.comments(PR)).toHaveLength(1)
    expect(github.requestsTo('POST', COMMENTS)).toHaveLength(2)
  })

  it('gives up after the configured retries, each request retried by one layer only', async () => {
    await serve()
    github.inject({ status: 503, times: 100, method: 'GET', path: /^\/user$/ })
    await expect(upsert('app', 'numbers', { ...FAST, retries: 2 })).rejects.toThrow(
      'cannot comment on pull request #12: GET /user answered 503: Service Unavailable'
    )
    expect(github.requestsTo('GET', /^\/user$/)).toHaveLength(3)
    expect(github.requestsTo('GET', COMMENTS)).toHaveLength(0)
  })

  it('honours retry-after: 0 over a long backoff', async () => {
    await serve()
    github.inject({ status: 429, method: 'GET', path: COMMENTS, headers: { 'retry-after': '0' } })
    const log = recordingLog()
    const started = Date.now()
    const result = await upsert('app', 'numbers', { retryDelayMs: 60_000, maxRetryDelayMs: 60_000, log })
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(result.action).toBe('created')
    expect(github.requestsTo('GET', COMMENTS)).toHaveLength(3)
    expect(log.lines[0]).toMatch(/answered 429: .*secondary rate limit.*; retrying in 0 s \(retry 1 of 3\)$/)
  }, 10_000)

  it('waits as many seconds as retry-after asks', async () => {
    await serve()
    github.inject({ status: 429, method: 'GET', path: /^\/user$/, headers: { 'retry-after': '1' } })
    const started = Date.now()
    await upsert('app', 'numbers', { retryDelayMs: 1 })
    expect(Date.now() - started).toBeGreaterThanOrEqual(950)
    expect(github.requestsTo('GET', /^\/user$/)).toHaveLength(2)
  })

  it('retries a spent primary rate limit, waiting for the reset but no longer than the cap', async () => {
    await serve()
    const reset = String(Math.floor(Date.now() / 1000) + 3600)
    const headers = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }
    github.inject({ status: 403, method: 'GET', path: COMMENTS, headers, message: 'API rate limit exceeded for installation ID 1.' })
    const log = recordingLog()
    const result = await upsert('app', 'numbers', { retryDelayMs: 1, maxRetryDelayMs: 200, log })
    expect(result.action).toBe('created')
    expect(log.lines).toEqual([expect.stringMatching(/answered 403: API rate limit exceeded.*; retrying in 0\.2 s/)])
  }, 10_000)

  it('retries a secondary rate limit 403 even while requests remain', async () => {
    await serve()
    const message = 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'
    github.inject({ status: 403, method: 'POST', path: COMMENTS, message })
    const result = await upsert('app', 'numbers')
    expect(result.action).toBe('created')
    expect(github.requestsTo('POST', COMMENTS)).toHaveLength(2)
    expect(github.comments(PR)).toHaveLength(1)
  })

  it('does not retry a 422, and says what GitHub rejected', async () => {
    await serve()
    const attempt = upsert('app', 'x'.repeat(70_000))
    await expect(attempt).rejects.toThrow(
      'cannot comment on pull request #12: POST /repos/acme/shop/issues/12/comments answered 422: Validation Failed: body is too long (maximum is 65536 characters)'
    )
    await expect(attempt).rejects.not.toBeInstanceOf(CommentPermissionError)
    expect(github.requestsTo('POST', COMMENTS)).toHaveLength(1)
  })

  it('does not retry a 403 that is not a rate limit while listing', async () => {
    await serve()
    github.inject({ status: 403, method: 'GET', path: COMMENTS, message: 'Resource not accessible by integration', times: 5 })
    await expect(upsert('app', 'numbers')).rejects.toBeInstanceOf(CommentPermissionError)
    expect(github.requestsTo('GET', COMMENTS)).toHaveLength(1)
  })

  it('never puts the token in an error or a log line', async () => {
    const leaks: string[] = []
    const collect = async (run: (log: Log) => Promise<unknown>) => {
      const log = recordingLog()
      const error = await run(log).then(
        () => new Error('expected a failure'),
        (caught: unknown) => caught
      )
      leaks.push(String(error), inspect(error, { depth: null, showHidden: true }), ...log.lines)
      return error
    }
    await serve()
    // A server or proxy that echoes the token back must still not get it printed.
    github.inject({ status: 502, times: 100, message: `upstream rejected token ${TOKEN}` })
    const echoed = await collect((log) => upsert('app', 'numbers', { ...FAST, retries: 2, log }))
    expect(String(echoed)).toContain('upstream rejected token ***')
    await api?.close()
    await serve({ readOnly: true })
    await collect((log) => upsert('app', 'numbers', { ...FAST, log }))
    await collect((log) => upsert('app', 'y'.repeat(70_000), { ...FAST, log }))
    await collect((log) => upsertStickyComment(`${TOKEN}x`, target(), 'app', 'numbers', { ...FAST, log }))
    await api?.close()
    await collect((log) => upsert('app', 'numbers', { ...FAST, retries: 1, log }))
    expect(leaks.length).toBeGreaterThan(10)
    expect(leaks.filter((text) => text.includes(TOKEN))).toEqual([])
  })

  it('reports a server that cannot be reached in one line', async () => {
    await serve()
    const url = target().apiUrl
    await api?.close()
    api = undefined
    const attempt = upsertStickyComment(TOKEN, { ...PR, apiUrl: url }, 'app', 'numbers', { ...FAST, retries: 1 })
    await expect(attempt).rejects.toThrow(/^cannot comment on pull request #12: GET \/user got no response: .*ECONNREFUSED/)
  })
})

describe('upsertStickyComment against a GitHub that does not answer', () => {
  const hung = (apiUrl: string, options: CommentOptions) => upsertStickyComment(TOKEN, { ...PR, apiUrl }, 'app', 'numbers', options)

  it('gives up on each request after its timeout, retrying it as a network failure', async () => {
    const silent = await startSilentServer()
    try {
      const started = Date.now()
      await expect(hung(silent.url, { ...FAST, retries: 1, requestTimeoutMs: 200 })).rejects.toThrow(
        new Error('cannot comment on pull request #12: GET /user got no answer within 0.2 s')
      )
      expect(Date.now() - started).toBeLessThan(3_000)
      expect(silent.connections).toBeGreaterThanOrEqual(2)
    } finally {
      await silent.close()
    }
  }, 10_000)

  it('counts a body that never ends as no answer', async () => {
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': '100' })
      response.write('{"login":')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      await expect(hung(url, { ...FAST, retries: 0, requestTimeoutMs: 300 })).rejects.toThrow(
        new Error('cannot comment on pull request #12: GET /user got no answer within 0.3 s')
      )
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  }, 10_000)

  it('stops the whole step at its deadline with one CommentTimeoutError', async () => {
    const silent = await startSilentServer()
    try {
      const started = Date.now()
      const attempt = hung(silent.url, { ...FAST, requestTimeoutMs: 30_000, deadlineMs: 500 })
      await expect(attempt).rejects.toThrow(
        new CommentTimeoutError(
          `cannot comment on pull request #12: GitHub at ${silent.url} did not answer within 0.5 s; the job summary has the full report`
        )
      )
      await expect(attempt).rejects.toBeInstanceOf(CommentTimeoutError)
      expect(Date.now() - started).toBeLessThan(2_000)
    } finally {
      await silent.close()
    }
  }, 10_000)

  it('cuts a long retry-after short at the deadline', async () => {
    await serve()
    github.inject({ status: 429, method: 'GET', path: COMMENTS, headers: { 'retry-after': '60' } })
    const started = Date.now()
    const attempt = upsert('app', 'numbers', { maxRetryDelayMs: 60_000, deadlineMs: 500 })
    await expect(attempt).rejects.toBeInstanceOf(CommentTimeoutError)
    expect(Date.now() - started).toBeLessThan(2_000)
    expect(github.comments(PR)).toEqual([])
  }, 10_000)
})
