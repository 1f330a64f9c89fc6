/**
 * What a failed GitHub request says, on one line: the request, GitHub's own message or the network
 * cause, and never the token.
 */
import { seconds } from '../duration.js'
import { messageOf } from '../errors.js'

/** What the action needs from a failed request; @octokit/request-error's RequestError has this shape. */
export interface HttpFailure {
  status: number
  message: string
  response?: { headers: Record<string, string | number | undefined>; data?: unknown }
  request?: { method?: string; url?: string }
}

/**
 * A request with no complete answer in time: status 500 without a response, as @octokit/request
 * reports a network failure, so it is retried as one.
 */
export class RequestTimeout extends Error {
  override readonly name = 'RequestTimeout'
  readonly status = 500

  constructor(
    readonly request: { method: string; url: string },
    timeoutMs: number
  ) {
    super(`no answer within ${seconds(timeoutMs)}`)
  }
}

export function httpFailureOf(error: unknown): HttpFailure | undefined {
  if (!(error instanceof Error) || !('status' in error) || typeof error.status !== 'number') return undefined
  return error as HttpFailure & Error
}

export function isRateLimited(failure: HttpFailure): boolean {
  return header(failure, 'x-ratelimit-remaining') === '0' || /rate limit/i.test(gitHubMessage(failure))
}

/** e.g. `GET /user answered 502: Server Error`, on one line; no token ever appears in a request line. */
export function describeFailure(failure: HttpFailure): string {
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
export function gitHubMessage(failure: HttpFailure): string {
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

export function header(failure: HttpFailure, name: string): string | undefined {
  const value = failure.response?.headers[name]
  return value === undefined ? undefined : String(value)
}

/**
 * Belt and braces: a token echoed back by a proxy or server must not reach a log or an error.
 * Real tokens are long; masking a few-letter test token would mangle every word that contains it.
 */
export function redact(text: string, token: string): string {
  return token.length >= 8 ? text.split(token).join('***') : text
}
