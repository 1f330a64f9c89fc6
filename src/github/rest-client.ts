/**
 * The REST client the comment step talks through: every request is bounded by its own timeout and by
 * the step's deadline, and safe requests are retried after transient failures, waiting as GitHub asks.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { getOctokit } from '@actions/github'
import type { Deadline } from '../deadline.js'
import { seconds } from '../duration.js'
import type { Log } from '../log.js'
import { RequestTimeout, describeFailure, header, httpFailureOf, isRateLimited, redact, type HttpFailure } from './failure.js'

export type Client = ReturnType<typeof getOctokit>

/** How requests are bounded and retried; the deadline is the whole step's. */
export interface RetryPolicy {
  retries: number
  baseDelayMs: number
  maxDelayMs: number
  requestTimeoutMs: number
  deadline: Deadline
  log: Log | undefined
  token: string
}

// Methods that are safe to send twice; a POST is retried by re-checking for the comment instead.
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE'])

/**
 * @actions/github v9 composes only rest-endpoint-methods and paginate-rest (no retry or throttling
 * plugin), so this hook is the single place a request is retried; pagination goes through it too.
 */
export async function createClient(token: string, apiUrl: string, policy: RetryPolicy): Promise<Client> {
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

/** Runs `attempt`, retrying the failures `shouldRetry` accepts, waiting as GitHub asks or backing off. */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  policy: RetryPolicy,
  shouldRetry: (failure: HttpFailure) => boolean
): Promise<T> {
  for (let failures = 0; ; failures++) {
    try {
      return await attempt()
    } catch (error) {
      const failure = httpFailureOf(error)
      if (!failure || failures >= policy.retries || !shouldRetry(failure) || policy.deadline.expired) throw error
      const delayMs = retryDelayMs(failure, failures, policy, Date.now())
      const waiting = `retrying in ${seconds(delayMs)} (retry ${failures + 1} of ${policy.retries})`
      policy.log?.info(redact(`${describeFailure(failure)}; ${waiting}`, policy.token))
      // A backoff ends early when the deadline passes; the next request then stops.
      await sleep(delayMs, undefined, { signal: policy.deadline.signal }).catch(() => undefined)
    }
  }
}

export function isTransient(failure: HttpFailure): boolean {
  return failure.status >= 500 || failure.status === 429 || (failure.status === 403 && isRateLimited(failure))
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
