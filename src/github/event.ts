/**
 * The workflow's event payload (GITHUB_EVENT_PATH), read and checked here. @actions/github would parse
 * the same file when first imported and throw a bare SyntaxError, so the github module loads it only after this.
 */
import { UserError } from '../errors.js'
import type { PullRequestTarget } from './github.js'
import { readJsonFile } from '../json-file.js'
import { ShapeError, matching, nonEmptyString, object, positiveInteger, type Check } from '../shape.js'

export interface PullRequestEvent {
  target: PullRequestTarget
  baseSha: string
  baseRef: string
  /** The pull request's head commit: the trend's last point is named after it. */
  headSha: string
}

const EVENT_PATH = 'GITHUB_EVENT_PATH'
const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target'])

// The base SHA reaches `git fetch` and `git worktree add`: only hex, so it can never be read as an option.
const commitSha = matching(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/, 'a commit SHA (40 or 64 hex digits)')

/** The fields of a pull_request or pull_request_target payload that the action uses. */
const pullRequestPayload = object({
  pull_request: object({
    number: positiveInteger,
    base: object({ sha: commitSha, ref: nonEmptyString }),
    head: object({ sha: commitSha })
  })
})
const repositoryPayload = object({ repository: object({ owner: object({ login: nonEmptyString }), name: nonEmptyString }) })

/** The pull request a workflow runs for, or undefined for any other event (whose payload is not read). */
export async function readPullRequestEvent(env: NodeJS.ProcessEnv): Promise<PullRequestEvent | undefined> {
  const name = env['GITHUB_EVENT_NAME'] ?? ''
  if (!PULL_REQUEST_EVENTS.has(name)) return undefined
  const path = env[EVENT_PATH]
  if (!path) throw new UserError(`${EVENT_PATH} is not set, so the ${name} event cannot be read`)
  const file = await readJsonFile(path, EVENT_PATH)
  if (!file.found) throw new UserError(`${EVENT_PATH}: '${path}' does not exist, so the ${name} event cannot be read`)
  const check = <T>(shape: Check<T>): T => checked(shape, file.value, path, name)
  const { pull_request: pull } = check(pullRequestPayload)
  const [owner, repo] = ownerAndRepo(env['GITHUB_REPOSITORY']) ?? payloadRepository(check(repositoryPayload))
  return {
    target: { apiUrl: env['GITHUB_API_URL'] || 'https://api.github.com', owner, repo, number: pull.number },
    baseSha: pull.base.sha,
    baseRef: pull.base.ref,
    headSha: pull.head.sha
  }
}

function checked<T>(shape: Check<T>, value: unknown, path: string, event: string): T {
  try {
    return shape(value, '')
  } catch (error) {
    if (!(error instanceof ShapeError)) throw error
    throw new UserError(`${EVENT_PATH}: '${path}' is not a ${event} event payload: ${error.message}`)
  }
}

function ownerAndRepo(repository: string | undefined): [string, string] | undefined {
  const [owner, repo, ...rest] = (repository ?? '').split('/')
  return owner && repo && rest.length === 0 ? [owner, repo] : undefined
}

function payloadRepository(payload: { repository: { owner: { login: string }; name: string } }): [string, string] {
  return [payload.repository.owner.login, payload.repository.name]
}

/** A push to the repository's default branch: the one event whose run adds to the size history. */
export interface DefaultBranchPush {
  sha: string
  defaultBranch: string
}

const pushPayload = object({ repository: object({ default_branch: nonEmptyString }) })

/** The push this run is for when it went to the default branch; undefined for any other event or branch. */
export async function readDefaultBranchPush(env: NodeJS.ProcessEnv): Promise<DefaultBranchPush | undefined> {
  if (env['GITHUB_EVENT_NAME'] !== 'push') return undefined
  const path = env[EVENT_PATH]
  if (!path) throw new UserError(`${EVENT_PATH} is not set, so the push event cannot be read`)
  const file = await readJsonFile(path, EVENT_PATH)
  if (!file.found) throw new UserError(`${EVENT_PATH}: '${path}' does not exist, so the push event cannot be read`)
  const defaultBranch = checked(pushPayload, file.value, path, 'push').repository.default_branch
  if (env['GITHUB_REF'] !== `refs/heads/${defaultBranch}`) return undefined
  const sha = env['GITHUB_SHA'] ?? ''
  if (!/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(sha)) throw new UserError('GITHUB_SHA is not a commit SHA (40 or 64 hex digits)')
  return { sha, defaultBranch }
}
