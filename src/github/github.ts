/**
 * The pull-request comment, through GitHub's REST issue-comments endpoints (github/ alone imports
 * @actions/github, in rest-client.ts).
 *
 * The comment is "sticky": a hidden marker carrying a key identifies it, so each key (an image, a
 * platform) has one comment that later runs update in place.
 */
import { Deadline } from '../deadline.js'
import { seconds } from '../duration.js'
import { messageOf } from '../errors.js'
import type { Log } from '../log.js'
import { describeFailure, gitHubMessage, httpFailureOf, isRateLimited, redact, type HttpFailure } from './failure.js'
import { createClient, isTransient, withRetries, type Client, type RetryPolicy } from './rest-client.js'
import { oldestOf, planDuplicates, type StickyComment } from './sticky-comment.js'

export interface PullRequestTarget {
  /** The REST API root, e.g. GITHUB_API_URL (`https://api.github.com`). */
  apiUrl: string
  owner: string
  repo: string
  number: number
}

export interface CommentResult {
  /** `not-created`: there was no comment to update and `create` was false. */
  action: 'created' | 'updated' | 'unchanged' | 'not-created'
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
  /** When false, an existing comment is updated but none is created (comment-threshold); default true. */
  create?: boolean
  log?: Log
}

/** The login GitHub gives the Actions GITHUB_TOKEN, whose `GET /user` answers 403. */
const ACTIONS_BOT = 'github-actions[bot]'
const WRITES = new Set(['POST', 'PATCH', 'DELETE'])
const SUMMARY_HINT = 'the job summary has the full report'
const READ_ONLY_HINT = `the token is read-only (as on pull requests from forks); ${SUMMARY_HINT}`

/** A write and the comment it left. */
interface Written {
  action: CommentResult['action']
  comment: StickyComment
}

/** A hidden HTML comment naming the key; any text is escaped so it cannot end the comment or the line. */
export function commentMarker(key: string): string {
  return `<!-- image-size-gate: key="${escapeKey(key)}" -->`
}

/** The comment exactly as it is posted: the marker, then the body; another CI's note can carry the same text. */
export function stickyCommentText(key: string, body: string): string {
  return `${commentMarker(key)}\n${body}`
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
  const text = stickyCommentText(key, body)
  try {
    const login = await authenticatedLogin(client)
    const sticky = { marker, login, text, create: options.create ?? true }
    const written = await writeSticky(client, target, sticky, policy)
    if (!written) return { action: 'not-created', url: '', id: 0 }
    return await settleDuplicates(client, target, sticky, written, policy.log)
  } catch (error) {
    if (!policy.deadline.expired) throw commentFailure(error, target, token)
    const limit = seconds(policy.deadline.ms)
    throw new CommentTimeoutError(
      `cannot comment on pull request #${target.number}: GitHub at ${target.apiUrl} did not answer within ${limit}; ${SUMMARY_HINT}`
    )
  }
}

/** The marker, the account whose comments count, and the full text to write. */
interface Sticky {
  marker: string
  login: string
  text: string
  /** Whether a comment may be created when there is none to update. */
  create: boolean
}

/**
 * Updates the oldest of this account's marked comments, or creates one. A POST may have taken
 * effect before it failed, so its retry looks for the comment again.
 */
async function writeSticky(client: Client, target: PullRequestTarget, sticky: Sticky, policy: RetryPolicy): Promise<Written | null> {
  let attempts = 0
  return withRetries(
    async () => {
      const retrying = attempts++ > 0
      const existing = oldestOf(await listStickyComments(client, target, sticky))
      if (!existing && !sticky.create) return null
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

/** How requests are bounded and retried, from the options' values or their defaults. */
export function retryPolicy(token: string, options: CommentOptions): RetryPolicy {
  return {
    retries: Math.floor(nonNegative(options.retries, 3)),
    baseDelayMs: nonNegative(options.retryDelayMs, 1000),
    maxDelayMs: nonNegative(options.maxRetryDelayMs, 30_000),
    requestTimeoutMs: nonNegative(options.requestTimeoutMs, 30_000),
    deadline: Deadline.in(nonNegative(options.deadlineMs, 120_000)),
    log: options.log,
    token
  }
}

// A NaN retry count would otherwise never compare as exhausted and retry forever.
function nonNegative(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) ? Math.max(0, value) : fallback
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

function isRetryableCreate(failure: HttpFailure): boolean {
  return failure.request?.method?.toUpperCase() === 'POST' && isTransient(failure)
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
