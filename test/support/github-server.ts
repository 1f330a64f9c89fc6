/**
 * A local stand-in for the part of GitHub's REST API that the action uses: `GET /user` and the issue
 * comments endpoints. It is a real HTTP server on 127.0.0.1, so requests go through @actions/github's
 * own transport exactly as they would against api.github.com.
 *
 *   const github = new FakeGitHubServer({ token: 'ghs_test' })
 *   github.seed({ owner: 'acme', repo: 'shop', number: 7 }, [{ login: 'alice', body: 'hi' }])
 *   const { url, close } = await github.start()   // url is the GITHUB_API_URL to use
 *   …
 *   github.openPullRequest({ owner: 'acme', repo: 'shop', number: 7 }, headSha)   // GET /repos/acme/shop/pulls/7
 *   github.slowListing(5000)                                       // list comments as of arrival, answered 5 s later
 *   github.comments({ owner: 'acme', repo: 'shop', number: 7 })   // what is on the pull request now
 *   github.requests                                                // every request, in order
 *   await close()
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'

/** The login GitHub reports for the Actions GITHUB_TOKEN. */
export const ACTIONS_BOT_LOGIN = 'github-actions[bot]'

export interface FakeGitHubOptions {
  /** The only token accepted, as `token X` or `Bearer X`; anything else gets 401 Bad credentials. */
  token: string
  /** The account behind the token, as a PAT. Unset: behave like GITHUB_TOKEN (`GET /user` → 403, writes by github-actions[bot]). */
  viewer?: string
  /** Answer every POST, PATCH and DELETE with 403 "Resource not accessible by integration", as for a fork's pull request. */
  readOnly?: boolean
}

export interface PullRequestRef {
  owner: string
  repo: string
  number: number
}

/** A comment to place on a pull request before the test, written by any account. */
export interface SeedComment {
  login: string
  body: string
}

/** A failure answered instead of the real response, to the next `times` requests that match. */
export interface InjectedFailure {
  status: number
  /** How many matching requests fail; default 1. */
  times?: number
  method?: string
  /** Tested against the request path (without the query). */
  path?: RegExp
  /** GitHub's `message`; default a typical one for the status. */
  message?: string
  /** Extra response headers, e.g. `retry-after` or `x-ratelimit-remaining`. */
  headers?: Record<string, string>
  /** Carry out the request before answering the failure, as GitHub's gateway sometimes does on a 502. */
  applied?: boolean
}

export interface RecordedRequest {
  method: string
  path: string
  query: Record<string, string>
}

/** A comment as GitHub's REST API returns it (the fields the action could read). */
export interface IssueComment {
  id: number
  node_id: string
  url: string
  html_url: string
  issue_url: string
  body: string
  user: { login: string; id: number; type: 'User' | 'Bot' }
  author_association: string
  created_at: string
  updated_at: string
}

interface Reply {
  status: number
  body: unknown
  headers?: Record<string, string>
}

const COMMENTS_PATH = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/
const COMMENT_PATH = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/
const PULL_PATH = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/
const DOCS = 'https://docs.github.com/rest/issues/comments'
const MAX_BODY = 65536
// A fixed clock keeps created_at ordered and deterministic however fast the test runs.
const EPOCH = Date.UTC(2024, 4, 1, 12, 0, 0)

const DEFAULT_MESSAGES: Record<number, string> = {
  429: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
  500: 'Server Error',
  502: 'Server Error',
  503: 'Service Unavailable',
  422: 'Validation Failed'
}

export class FakeGitHubServer {
  /** Every request received, in order, including the ones that failed. */
  readonly requests: RecordedRequest[] = []
  /** Ids of the comments created through the API, in order, including those deleted since. */
  readonly createdIds: number[] = []
  readonly options: FakeGitHubOptions
  private readonly threads = new Map<string, IssueComment[]>()
  private readonly pulls = new Map<string, string>()
  private readonly failures: InjectedFailure[] = []
  private nextId = 2_000_000_001
  private tick = 0
  private listDelayMs = 0
  private server: Server | undefined

  constructor(options: FakeGitHubOptions) {
    this.options = { ...options }
  }

  /** Sets read-only mode, e.g. to turn a writable token read-only between two runs. */
  setReadOnly(readOnly: boolean): void {
    this.options.readOnly = readOnly
  }

  /**
   * Answers each comment listing `ms` after it arrives, with the comments as they were on arrival,
   * as a slow GitHub would; two runs listing at once then both see the pull request before either wrote.
   */
  slowListing(ms: number): void {
    this.listDelayMs = ms
  }

  /** Adds comments to a pull request, oldest first, after any already there. */
  seed(pr: PullRequestRef, comments: SeedComment[]): IssueComment[] {
    return comments.map((comment) => this.addComment(pr, comment.login, comment.body))
  }

  /** Makes `GET /repos/{owner}/{repo}/pulls/{number}` answer with this head commit, as an open pull request. */
  openPullRequest(pr: PullRequestRef, headSha: string): void {
    this.pulls.set(`${pr.owner}/${pr.repo}#${pr.number}`, headSha)
  }

  /** A copy of the pull request's comments, oldest first. */
  comments(pr: PullRequestRef): IssueComment[] {
    return structuredClone(this.thread(pr))
  }

  /** Queues a failure; queued failures are consumed in order by the requests they match. */
  inject(failure: InjectedFailure): void {
    this.failures.push({ ...failure, times: failure.times ?? 1 })
  }

  /** Requests made with this method whose path matches, for counting attempts. */
  requestsTo(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter((request) => request.method === method && path.test(request.path))
  }

  async start(): Promise<{ url: string; close(): Promise<void> }> {
    const server = createServer((request, response) => void this.handle(request, response))
    this.server = server
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      // Loopback only: the tests must never listen on, or talk to, any other address.
      server.listen(0, '127.0.0.1', () => resolve())
    })
    const { port } = server.address() as AddressInfo
    return { url: `http://127.0.0.1:${port}`, close: () => this.close() }
  }

  private async close(): Promise<void> {
    const server = this.server
    if (!server) return
    this.server = undefined
    // Keep-alive sockets from the client would otherwise hold close() open.
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', `http://${request.headers.host ?? '127.0.0.1'}`)
    const method = request.method ?? 'GET'
    this.requests.push({ method, path: url.pathname, query: Object.fromEntries(url.searchParams) })
    const text = await readBody(request)
    let reply: Reply
    try {
      reply = this.authorize(request) ?? this.failOrRoute(method, url, text)
    } catch (error) {
      reply = { status: 500, body: { message: `fake server bug: ${String(error)}` } }
    }
    if (method === 'GET' && COMMENTS_PATH.test(url.pathname) && this.listDelayMs > 0) await sleep(this.listDelayMs)
    send(response, reply, this.rateLimitHeaders())
  }

  private authorize(request: IncomingMessage): Reply | undefined {
    const match = /^(?:token|bearer) (.+)$/i.exec(request.headers.authorization ?? '')
    if (match?.[1] === this.options.token) return undefined
    return { status: 401, body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' } }
  }

  private failOrRoute(method: string, url: URL, text: string): Reply {
    const failure = this.takeFailure(method, url.pathname)
    if (!failure) return this.route(method, url, text)
    if (failure.applied) this.route(method, url, text)
    const message = failure.message ?? DEFAULT_MESSAGES[failure.status] ?? 'Error'
    return { status: failure.status, body: { message, documentation_url: DOCS }, headers: failure.headers ?? {} }
  }

  private takeFailure(method: string, path: string): InjectedFailure | undefined {
    const index = this.failures.findIndex(
      (failure) => (!failure.method || failure.method === method) && (!failure.path || failure.path.test(path))
    )
    const failure = this.failures[index]
    if (!failure) return undefined
    failure.times = (failure.times ?? 1) - 1
    if (failure.times <= 0) this.failures.splice(index, 1)
    return failure
  }

  private route(method: string, url: URL, text: string): Reply {
    const list = COMMENTS_PATH.exec(url.pathname)
    const one = COMMENT_PATH.exec(url.pathname)
    const pull = PULL_PATH.exec(url.pathname)
    if (method === 'GET' && url.pathname === '/user') return this.getUser()
    if (pull && method === 'GET') return this.getPull(prOf(pull))
    if (list && method === 'GET') return this.listComments(prOf(list), url)
    if (list && method === 'POST') return this.write(text, (body) => this.createComment(prOf(list), body))
    if (one && method === 'PATCH') return this.write(text, (body) => this.updateComment(one, body))
    if (one && method === 'DELETE') return this.deleteComment(one)
    return { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' } }
  }

  private getUser(): Reply {
    const login = this.options.viewer
    if (!login) {
      const documentation_url = 'https://docs.github.com/rest/users/users#get-the-authenticated-user'
      return { status: 403, body: { message: 'Resource not accessible by integration', documentation_url, status: '403' } }
    }
    return { status: 200, body: { login, id: userId(login), type: 'User', site_admin: false } }
  }

  /** The fields of GitHub's pull request object that identify it and its head; 404 for one never opened. */
  private getPull(pr: PullRequestRef): Reply {
    const sha = this.pulls.get(`${pr.owner}/${pr.repo}#${pr.number}`)
    if (!sha)
      return {
        status: 404,
        body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/pulls/pulls#get-a-pull-request', status: '404' }
      }
    const repo = { full_name: `${pr.owner}/${pr.repo}`, name: pr.repo, owner: { login: pr.owner } }
    const body = {
      url: `https://api.github.com/repos/${pr.owner}/${pr.repo}/pulls/${pr.number}`,
      html_url: `https://github.com/${pr.owner}/${pr.repo}/pull/${pr.number}`,
      number: pr.number,
      state: 'open',
      head: { label: `fork:feature`, ref: 'feature', sha, repo: { ...repo, full_name: `fork/${pr.repo}`, fork: true } },
      base: { label: `${pr.owner}:main`, ref: 'main', sha: '0'.repeat(40), repo }
    }
    return { status: 200, body }
  }

  private listComments(pr: PullRequestRef, url: URL): Reply {
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30))
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1)
    const thread = this.thread(pr)
    const items = thread.slice((page - 1) * perPage, page * perPage)
    const last = Math.max(1, Math.ceil(thread.length / perPage))
    const link = linkHeader(url, perPage, page, last)
    return { status: 200, body: items, headers: link ? { link } : {} }
  }

  private write(text: string, apply: (body: string) => Reply): Reply {
    if (this.options.readOnly) return readOnlyReply()
    const body = parseCommentBody(text)
    if (typeof body !== 'string') return body
    if (body.length > MAX_BODY) return tooLong()
    return apply(body)
  }

  private createComment(pr: PullRequestRef, body: string): Reply {
    const comment = this.addComment(pr, this.options.viewer ?? ACTIONS_BOT_LOGIN, body)
    this.createdIds.push(comment.id)
    return { status: 201, body: comment }
  }

  private updateComment(match: RegExpExecArray, body: string): Reply {
    const comment = this.findComment(match)?.comment
    if (!comment) return { status: 404, body: { message: 'Not Found', documentation_url: `${DOCS}#update-an-issue-comment` } }
    comment.body = body
    comment.updated_at = this.now()
    return { status: 200, body: comment }
  }

  /** `DELETE /repos/{owner}/{repo}/issues/comments/{id}`: 204 with no body, as GitHub answers. */
  private deleteComment(match: RegExpExecArray): Reply {
    if (this.options.readOnly) return readOnlyReply()
    const found = this.findComment(match)
    if (!found) return { status: 404, body: { message: 'Not Found', documentation_url: `${DOCS}#delete-an-issue-comment` } }
    found.thread.splice(found.thread.indexOf(found.comment), 1)
    return { status: 204, body: undefined }
  }

  private findComment(match: RegExpExecArray): { thread: IssueComment[]; comment: IssueComment } | undefined {
    const [, owner, repo, id] = match
    for (const [key, thread] of this.threads) {
      if (!key.startsWith(`${owner}/${repo}#`)) continue
      const comment = thread.find((candidate) => candidate.id === Number(id))
      if (comment) return { thread, comment }
    }
    return undefined
  }

  private addComment(pr: PullRequestRef, login: string, body: string): IssueComment {
    const id = this.nextId++
    const at = this.now()
    const comment: IssueComment = {
      id,
      node_id: `IC_kwDO${Buffer.from(`IssueComment:${id}`).toString('base64url')}`,
      url: `https://api.github.com/repos/${pr.owner}/${pr.repo}/issues/comments/${id}`,
      html_url: `https://github.com/${pr.owner}/${pr.repo}/pull/${pr.number}#issuecomment-${id}`,
      issue_url: `https://api.github.com/repos/${pr.owner}/${pr.repo}/issues/${pr.number}`,
      body,
      user: { login, id: userId(login), type: login.endsWith('[bot]') ? 'Bot' : 'User' },
      author_association: login.endsWith('[bot]') ? 'NONE' : 'CONTRIBUTOR',
      created_at: at,
      updated_at: at
    }
    this.thread(pr).push(comment)
    return comment
  }

  private thread(pr: PullRequestRef): IssueComment[] {
    const key = `${pr.owner}/${pr.repo}#${pr.number}`
    const existing = this.threads.get(key)
    if (existing) return existing
    const created: IssueComment[] = []
    this.threads.set(key, created)
    return created
  }

  private now(): string {
    return new Date(EPOCH + 1000 * this.tick++).toISOString().replace(/\.\d{3}Z$/, 'Z')
  }

  private rateLimitHeaders(): Record<string, string> {
    const used = this.requests.length
    return {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(Math.max(0, 5000 - used)),
      'x-ratelimit-used': String(used),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-resource': 'core'
    }
  }
}

function prOf(match: RegExpExecArray): PullRequestRef {
  return { owner: match[1] ?? '', repo: match[2] ?? '', number: Number(match[3]) }
}

/** GitHub's pagination header: next/last while there is more, prev/first after page 1. */
function linkHeader(url: URL, perPage: number, page: number, last: number): string {
  const at = (n: number) => {
    const target = new URL(url.pathname, url.origin)
    target.searchParams.set('per_page', String(perPage))
    target.searchParams.set('page', String(n))
    return target.toString()
  }
  const links: string[] = []
  if (page > 1) links.push(`<${at(page - 1)}>; rel="prev"`)
  if (page < last) links.push(`<${at(page + 1)}>; rel="next"`, `<${at(last)}>; rel="last"`)
  if (page > 1) links.push(`<${at(1)}>; rel="first"`)
  return links.join(', ')
}

function parseCommentBody(text: string): string | Reply {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return { status: 400, body: { message: 'Problems parsing JSON', documentation_url: DOCS, status: '400' } }
  }
  const body = typeof parsed === 'object' && parsed !== null ? (parsed as { body?: unknown }).body : undefined
  if (typeof body === 'string') return body
  return { status: 422, body: { message: 'Invalid request.\n\n"body" wasn\'t supplied.', documentation_url: DOCS, status: '422' } }
}

function readOnlyReply(): Reply {
  const documentation_url = `${DOCS}#create-an-issue-comment`
  return { status: 403, body: { message: 'Resource not accessible by integration', documentation_url, status: '403' } }
}

function tooLong(): Reply {
  const errors = [
    { resource: 'IssueComment', code: 'custom', field: 'body', message: `body is too long (maximum is ${MAX_BODY} characters)` }
  ]
  return { status: 422, body: { message: 'Validation Failed', errors, documentation_url: DOCS, status: '422' } }
}

/** A stable numeric id per login, as GitHub's user ids are. */
function userId(login: string): number {
  let hash = 7
  for (const char of login) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) % 100_000_000
  return hash + 1
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    request.on('error', reject)
  })
}

function send(response: ServerResponse, reply: Reply, rateLimit: Record<string, string>): void {
  // A 204 has neither a body nor a content type.
  const text = reply.body === undefined ? '' : JSON.stringify(reply.body)
  response.writeHead(reply.status, {
    ...(reply.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
    'x-github-media-type': 'github.v3; format=json',
    'x-github-api-version-selected': '2022-11-28',
    'x-github-request-id': `FAKE:${Math.random().toString(16).slice(2, 10).toUpperCase()}`,
    ...rateLimit,
    ...reply.headers,
    'content-length': String(Buffer.byteLength(text))
  })
  response.end(text)
}
