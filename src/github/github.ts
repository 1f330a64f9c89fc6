/**
 * The pull-request comment, through GitHub's REST issue-comments endpoints. This is the only module
 * that imports @actions/github.
 *
 * The comment is "sticky": a hidden marker carrying a key identifies it, so each key (an image, a
 * platform) has one comment that later runs update in place.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { getOctokit } from '@actions/github'
import { seconds } from '../duration.js'
import { messageOf } from '../errors.js'
import type { Log } from '../log.js'
import { oldestOf, planDuplicates, type StickyComment } from './sticky-comment.js'

export interface PullRequestTarget {
  /** The REST API root, e.g. GITHUB_API_URL (`https://api.github.com`). */
  apiUrl: string
  owner: string
  repo: string
  number: number
}

export interface CommentResult {
  action: 'created' | 'updated' | 'unchanged'
  /** The comment's html_url. */
  url: string
  id: number
}

/** Thrown when the token may not write comments (fork PRs: 403 "Resource not accessible by integration"). */
export class CommentPermissionError extends Error {
  override readonly name = 'CommentPermissionError'
}

/** Thrown when GitHub did not answer within the comment step's deadline; the gates alone decide. */
export class CommentTimeoutError extends Error {
  override readonly name = 'CommentTimeoutError'
}

export interface CommentOptions {
  /** Retries after a transient failure (5xx, 429, rate-limit 403); default 3. */
  retries?: number
  /** Base of the exponential backoff; default 1000. */
  retryDelayMs?: number
  /** Longest single wait, also for retry-after and rate-limit resets; default 30000. */
  maxRetryDelayMs?: number
  /** Longest wait for one request's whole answer, body included; default 30000. */
  requestTimeoutMs?: number
  /** Longest the whole step may take, retries and the duplicate clean-up included; default 120000. */
  deadlineMs?: number
  log?: Log
}

/** The login GitHub gives the Actions GITHUB_TOKEN, whose `GET /user` answers 403. */
const ACTIONS_BOT = 'github-actions[bot]'
// Methods that are safe to send twice; a POST is retried by re-checking for the comment instead.
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE'])
const WRITES = new Set(['POST', 'PATCH', 'DELETE'])
const SUMMARY_HINT = 'the job summary has the full report'
const READ_ONLY_HINT = `the token is read-only (as on pull requests from forks); ${SUMMARY_HINT}`

type Client = ReturnType<typeof getOctokit>

interface RetryPolicy {
  retries: number
  baseDelayMs: number
  maxDelayMs: number
  requestTimeoutMs: number
  deadline: Deadline
  log: Log | undefined
  token: string
}

/** The comment step's deadline: when it passes, every request and backoff in flight is aborted. */
class Deadline {
  private readonly controller = new AbortController()
  private readonly timer: NodeJS.Timeout

  constructor(readonly ms: number) {
    // Unref'd: a request in flight keeps the process alive, the deadline alone must not.
    this.timer = setTimeout(() => this.controller.abort(), ms).unref()
  }

  get signal(): AbortSignal {
    return this.controller.signal
  }

  get expired(): boolean {
    return this.controller.signal.aborted
  }

  /** Waits `ms`, or less if the deadline passes first; the caller's next request then stops. */
  async sleep(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.signal }).catch(() => undefined)
  }

  clear(): void {
    clearTimeout(this.timer)
  }
}

/**
 * A request with no complete answer in time: status 500 without a response, as @octokit/request
 * reports a network failure, so it is retried as one.
 */
class RequestTimeout extends Error {
  override readonly name = 'RequestTimeout'
  readonly status = 500

  constructor(
    readonly request: { method: string; url: string },
    timeoutMs: number
  ) {
    super(`no answer within ${seconds(timeoutMs)}`)
  }
}

/** A write and the comment it left. */
interface Written {
  action: CommentResult['action']
  comment: StickyComment
}

/** What the action needs from a failed request; @octokit/request-error's RequestError has this shape. */
interface HttpFailure {
  status: number
  message: string
  response?: { headers: Record<string, string | number | undefined>; data?: unknown }
  request?: { method?: string; url?: string }
}

/** A hidden HTML comment naming the key; any text is escaped so it cannot end the comment or the line. */
export function commentMarker(key: string): string {
  return `<!-- image-size-gate: key="${escapeKey(key)}" -->`
}

/** Percent-encodes `%`, quotes, angle brackets, line breaks and controls, and every `-` after a `-`. */
function escapeKey(key: string): string {
  return key.replace(/[\p{Cc}\p{Zl}\p{Zp}\p{Cs}%"<>]|(?<=-)-/gu, (char) =>
    Array.from(new TextEncoder().encode(char), (byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('')
  )
}

/** Creates or updates this key's comment on the pull request, or leaves it when the body is the same. */
export async function upsertStickyComment(
  token: string,
  target: PullRequestTarget,
  key: string,
  body: string,
  options: CommentOptions = {}
): Promise<CommentResult> {
  if (!token) throw new CommentPermissionError(`cannot comment on pull request #${target.number}: no GitHub token was given`)
  const policy = retryPolicy(token, options)
  const client = await createClient(token, target.apiUrl, policy)
  const marker = commentMarker(key)
  const text = `${marker}\n${body}`
  try {
    const login = await authenticatedLogin(client)
    const written = await writeSticky(client, target, { marker, login, text }, policy)
    return await settleDuplicates(client, target, { marker, login, text }, written, policy.log)
  } catch (error) {
    if (!policy.deadline.expired) throw commentFailure(error, target, token)
    const limit = seconds(policy.deadline.ms)
    throw new CommentTimeoutError(
      `cannot comment on pull request #${target.number}: GitHub at ${target.apiUrl} did not answer within ${limit}; ${SUMMARY_HINT}`
    )
  } finally {
    policy.deadline.clear()
  }
}

/** The marker, the account whose comments count, and the full text to write. */
interface Sticky {
  marker: string
  login: string
  text: string
}

/**
 * Updates the oldest of this account's marked comments, or creates one. A POST may have taken
 * effect before it failed, so its retry looks for the comment again.
 */
async function writeSticky(client: Client, target: PullRequestTarget, sticky: Sticky, policy: RetryPolicy): Promise<Written> {
  let attempts = 0
  return withRetries(
    async () => {
      const retrying = attempts++ > 0
      const existing = oldestOf(await listStickyComments(client, target, sticky))
      const result = await writeComment(client, target, existing, sticky.text)
      // Only a failed POST is retried here, so an identical comment found afterwards is the one it made.
      return retrying && result.action === 'unchanged' ? { ...result, action: 'created' } : result
    },
    policy,
    isRetryableCreate
  )
}

/**
 * Looks again after writing: a run racing this one may have created its own comment meanwhile.
 * The oldest is kept, carrying our text, and the others are deleted.
 */
async function settleDuplicates(
  client: Client,
  target: PullRequestTarget,
  sticky: Sticky,
  written: Written,
  log?: Log
): Promise<CommentResult> {
  const plan = planDuplicates(await listStickyComments(client, target, sticky), written.comment, sticky.text)
  const repo = { owner: target.owner, repo: target.repo }
  if (plan.rewrite) await client.rest.issues.updateComment({ ...repo, comment_id: plan.keep.id, body: sticky.text })
  for (const duplicate of plan.remove) await deleteComment(client, repo, duplicate.id)
  if (plan.remove.length > 0)
    log?.info(`deleted ${plan.remove.length} duplicate comment(s) left by a run racing this one; kept ${plan.keep.url}`)
  const action = plan.keep.id === written.comment.id ? written.action : plan.rewrite ? 'updated' : 'unchanged'
  return { action, url: plan.keep.url, id: plan.keep.id }
}

async function deleteComment(client: Client, repo: { owner: string; repo: string }, id: number): Promise<void> {
  try {
    await client.rest.issues.deleteComment({ ...repo, comment_id: id })
  } catch (error) {
    // The racing run may have deleted it first.
    if (httpFailureOf(error)?.status !== 404) throw error
  }
}

function retryPolicy(token: string, options: CommentOptions): RetryPolicy {
  return {
    retries: Math.floor(nonNegative(options.retries, 3)),
    baseDelayMs: nonNegative(options.retryDelayMs, 1000),
    maxDelayMs: nonNegative(options.maxRetryDelayMs, 30_000),
    requestTimeoutMs: nonNegative(options.requestTimeoutMs, 30_000),
    deadline: new Deadline(nonNegative(options.deadlineMs, 120_000)),
    log: options.log,
    token
  }
}

// A NaN retry count would otherwise never compare as exhausted and retry forever.
function nonNegative(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) ? Math.max(0, value) : fallback
}

/**
 * @actions/github v9 composes only rest-endpoint-methods and paginate-rest (no retry or throttling
 * plugin), so this hook is the single place a request is retried; pagination goes through it too.
 */
async function createClient(token: string, apiUrl: string, policy: RetryPolicy): Promise<Client> {
  // Loaded on first use: importing @actions/github parses GITHUB_EVENT_PATH, which event.ts checks first.
  const { getOctokit } = await import(/* webpackMode: "eager" */ '@actions/github')
  const silent = () => undefined
  const warn = (message: string) => policy.log?.warning(redact(message, token))
  const client = getOctokit(token, {
    baseUrl: apiUrl.replace(/\/+$/, ''),
    log: { debug: silent, info: silent, warn, error: warn }
  })
  client.hook.wrap('request', (request, requestOptions) => {
    const line = { method: String(requestOptions.method).toUpperCase(), url: String(requestOptions.url) }
    // The hooks before this one were bound to this very options object, so the signal is set on it, not passed.
    const send = async () =>
      within(policy, line, async (signal) => {
        requestOptions.request = { ...requestOptions.request, signal }
        return request(requestOptions)
      })
    return IDEMPOTENT.has(line.method) ? withRetries(send, policy, isTransient) : send()
  })
  return client
}

/** One request, aborted after requestTimeoutMs or when the deadline passes. */
async function within<T>(
  policy: RetryPolicy,
  line: { method: string; url: string },
  send: (signal: AbortSignal) => Promise<T>
): Promise<T> {
  policy.deadline.signal.throwIfAborted()
  const timeout = new AbortController()
  const timer = setTimeout(() => timeout.abort(), policy.requestTimeoutMs)
  const signal = AbortSignal.any([policy.deadline.signal, timeout.signal])
  try {
    const response = await send(signal)
    // @octokit/request swallows a JSON body cut short, so an aborted read must not pass as an answer.
    if (!signal.aborted) return response
  } catch (error) {
    if (!signal.aborted) throw error
  } finally {
    clearTimeout(timer)
  }
  policy.deadline.signal.throwIfAborted()
  throw new RequestTimeout(line, policy.requestTimeoutMs)
}

/** The account behind the token; an installation token (GITHUB_TOKEN) may not read `/user`. */
async function authenticatedLogin(client: Client): Promise<string> {
  try {
    const { data } = await client.rest.users.getAuthenticated()
    return data.login
  } catch (error) {
    const failure = httpFailureOf(error)
    if (failure && (failure.status === 401 || failure.status === 403) && !isRateLimited(failure)) return ACTIONS_BOT
    throw error
  }
}

/** Every comment by this account that starts with the marker, through all pages. */
async function listStickyComments(client: Client, target: PullRequestTarget, sticky: Sticky): Promise<StickyComment[]> {
  const parameters = { owner: target.owner, repo: target.repo, issue_number: target.number, per_page: 100 }
  const found: StickyComment[] = []
  for await (const page of client.paginate.iterator(client.rest.issues.listComments, parameters)) {
    for (const comment of page.data) {
      const body = comment.body ?? ''
      // Logins are case-insensitive; anyone else quoting the marker is left alone.
      if (comment.user?.login.toLowerCase() !== sticky.login.toLowerCase() || !body.startsWith(sticky.marker)) continue
      found.push({ id: comment.id, body, url: comment.html_url, createdAt: comment.created_at })
    }
  }
  return found
}

async function writeComment(
  client: Client,
  target: PullRequestTarget,
  existing: StickyComment | undefined,
  text: string
): Promise<Written> {
  const repo = { owner: target.owner, repo: target.repo }
  if (existing?.body === text) return { action: 'unchanged', comment: existing }
  const written = (action: Written['action'], data: { id: number; html_url: string; created_at: string }): Written => ({
    action,
    comment: { id: data.id, body: text, url: data.html_url, createdAt: data.created_at }
  })
  if (existing) return written('updated', (await client.rest.issues.updateComment({ ...repo, comment_id: existing.id, body: text })).data)
  return written('created', (await client.rest.issues.createComment({ ...repo, issue_number: target.number, body: text })).data)
}

/** Runs `attempt`, retrying the failures `shouldRetry` accepts, waiting as GitHub asks or backing off. */
async function withRetries<T>(attempt: () => Promise<T>, policy: RetryPolicy, shouldRetry: (failure: HttpFailure) => boolean): Promise<T> {
  for (let failures = 0; ; failures++) {
    try {
      return await attempt()
    } catch (error) {
      const failure = httpFailureOf(error)
      if (!failure || failures >= policy.retries || !shouldRetry(failure) || policy.deadline.expired) throw error
      const delayMs = retryDelayMs(failure, failures, policy, Date.now())
      const waiting = `retrying in ${(delayMs / 1000).toFixed(1)}s (retry ${failures + 1} of ${policy.retries})`
      policy.log?.info(redact(`${describeFailure(failure)}; ${waiting}`, policy.token))
      await policy.deadline.sleep(delayMs)
    }
  }
}

function isTransient(failure: HttpFailure): boolean {
  return failure.status >= 500 || failure.status === 429 || (failure.status === 403 && isRateLimited(failure))
}

function isRetryableCreate(failure: HttpFailure): boolean {
  return failure.request?.method?.toUpperCase() === 'POST' && isTransient(failure)
}

function isRateLimited(failure: HttpFailure): boolean {
  return header(failure, 'x-ratelimit-remaining') === '0' || /rate limit/i.test(gitHubMessage(failure))
}

/** retry-after wins, then a spent rate limit's reset time, else exponential backoff; all capped. */
function retryDelayMs(failure: HttpFailure, failures: number, policy: RetryPolicy, now: number): number {
  const retryAfter = header(failure, 'retry-after')
  const reset = Number(header(failure, 'x-ratelimit-reset'))
  let delay = policy.baseDelayMs * 2 ** failures
  if (retryAfter !== undefined && retryAfter.trim() !== '' && Number.isFinite(Number(retryAfter))) {
    delay = Number(retryAfter) * 1000
  } else if (retryAfter !== undefined && !Number.isNaN(Date.parse(retryAfter))) {
    delay = Date.parse(retryAfter) - now
  } else if (header(failure, 'x-ratelimit-remaining') === '0' && Number.isFinite(reset) && reset > 0) {
    delay = reset * 1000 - now
  }
  return Math.min(Math.max(0, delay), policy.maxDelayMs)
}

/** Turns a failure into the one-line error the caller reports; a refused write is a CommentPermissionError. */
function commentFailure(error: unknown, target: PullRequestTarget, token: string): Error {
  const prefix = `cannot comment on pull request #${target.number}`
  const failure = httpFailureOf(error)
  if (!failure) return new Error(redact(`${prefix}: ${messageOf(error)}`, token))
  if (isPermissionFailure(failure)) return new CommentPermissionError(`${prefix}: ${READ_ONLY_HINT}`)
  return new Error(redact(`${prefix}: ${describeFailure(failure)}`, token))
}

function isPermissionFailure(failure: HttpFailure): boolean {
  if (failure.status !== 403 && failure.status !== 404) return false
  if (isRateLimited(failure)) return false
  const writing = WRITES.has(failure.request?.method?.toUpperCase() ?? '')
  return writing || /resource not accessible by integration/i.test(gitHubMessage(failure))
}

/** e.g. `GET /user answered 502: Server Error`, on one line; no token ever appears in a request line. */
function describeFailure(failure: HttpFailure): string {
  const { method, url } = failure.request ?? {}
  const request = method && url ? `${method.toUpperCase()} ${pathOf(url)}` : 'a GitHub request'
  const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim()
  if (failure instanceof RequestTimeout) return `${request} got ${failure.message}`
  // Without a response, status 500 is @octokit/request's stand-in for a network error.
  if (!failure.response) return `${request} got no response: ${oneLine(rootMessage(failure))}`
  return `${request} answered ${failure.status}: ${oneLine(gitHubMessage(failure))}`
}

/**
 * The innermost cause's message, e.g. `connect ECONNREFUSED …` under fetch's bare "fetch failed".
 * Walked by shape, because `instanceof Error` fails for errors made in another realm (as under jest).
 */
function rootMessage(error: unknown): string {
  let message = messageOf(error)
  let current: unknown = error
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null && 'cause' in current; depth++) {
    current = current.cause
    const inner = typeof current === 'object' && current !== null && 'message' in current ? current.message : current
    if (typeof inner === 'string' && inner) message = inner
  }
  return message
}

function pathOf(url: string): string {
  try {
    const parsed = new URL(url)
    return parsed.pathname + parsed.search
  } catch {
    return url
  }
}

/** GitHub's own `message` and validation details (not RequestError's appended docs URL), else the error's. */
function gitHubMessage(failure: HttpFailure): string {
  const data = failure.response?.data
  if (typeof data !== 'object' || data === null || !('message' in data) || typeof data.message !== 'string') {
    return failure.message
  }
  const details = 'errors' in data && Array.isArray(data.errors) ? data.errors.map(detailOf).filter(Boolean) : []
  return details.length > 0 ? `${data.message}: ${details.join('; ')}` : data.message
}

function detailOf(error: unknown): string {
  if (typeof error === 'string') return error
  const message = typeof error === 'object' && error !== null && 'message' in error ? error.message : undefined
  return typeof message === 'string' ? message : ''
}

function header(failure: HttpFailure, name: string): string | undefined {
  const value = failure.response?.headers[name]
  return value === undefined ? undefined : String(value)
}

function httpFailureOf(error: unknown): HttpFailure | undefined {
  if (!(error instanceof Error) || !('status' in error) || typeof error.status !== 'number') return undefined
  return error as HttpFailure & Error
}

/**
 * Belt and braces: a token echoed back by a proxy or server must not reach a log or an error.
 * Real tokens are long; masking a few-letter test token would mangle every word that contains it.
 */
function redact(text: string, token: string): string {
  return token.length >= 8 ? text.split(token).join('***') : text
}
