/**
 * The workflow's event payload (GITHUB_EVENT_PATH), read and checked here. @actions/github would parse
 * the same file when first imported and throw a bare SyntaxError, so the github module loads it only after this.
 */
import { z } from 'zod'
import { UserError } from '../errors.js'
import type { PullRequestTarget } from './github.js'
import { readJsonFile } from '../json-file.js'
import { COMMIT_SHA_PATTERN, CommitSha, checked } from '../schema.js'

export interface PullRequestEvent {
  target: PullRequestTarget
  baseSha: string
  baseRef: string
  /** The pull request's head commit: the trend's last point is named after it. */
  headSha: string
}

const EVENT_PATH = 'GITHUB_EVENT_PATH'
const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target'])

const NonEmptyString = z.string({ error: 'a non-empty string' }).min(1, { error: 'a non-empty string' })
const PositiveInteger = z.int({ error: 'a whole number > 0' }).min(1, { error: 'a whole number > 0' })

/** The fields of a pull_request or pull_request_target payload that the action uses; the base SHA reaches git. */
const PullRequestPayload = z.object({
  pull_request: z.object({
    number: PositiveInteger,
    base: z.object({ sha: CommitSha, ref: NonEmptyString }),
    head: z.object({ sha: CommitSha })
  })
})
const RepositoryPayload = z.object({ repository: z.object({ owner: z.object({ login: NonEmptyString }), name: NonEmptyString }) })

/** The pull request a workflow runs for, or undefined for any other event (whose payload is not read). */
export async function readPullRequestEvent(env: NodeJS.ProcessEnv): Promise<PullRequestEvent | undefined> {
  const name = env['GITHUB_EVENT_NAME'] ?? ''
  if (!PULL_REQUEST_EVENTS.has(name)) return undefined
  const path = env[EVENT_PATH]
  if (!path) throw new UserError(`${EVENT_PATH} is not set, so the ${name} event cannot be read`)
  const named = ownerAndRepo(env['GITHUB_REPOSITORY'])
  const parse = (value: unknown) => {
    const { pull_request: pull } = checked(PullRequestPayload, value)
    return { pull, repository: named ?? payloadRepository(checked(RepositoryPayload, value)) }
  }
  const payload = await readJsonFile(path, EVENT_PATH, { what: `a ${name} event payload`, parse })
  if (!payload) throw new UserError(`${EVENT_PATH}: '${path}' does not exist, so the ${name} event cannot be read`)
  const { pull } = payload
  const [owner, repo] = payload.repository
  return {
    target: { apiUrl: env['GITHUB_API_URL'] || 'https://api.github.com', owner, repo, number: pull.number },
    baseSha: pull.base.sha,
    baseRef: pull.base.ref,
    headSha: pull.head.sha
  }
}

function ownerAndRepo(repository: string | undefined): [string, string] | undefined {
  const [owner, repo, ...rest] = (repository ?? '').split('/')
  return owner && repo && rest.length === 0 ? [owner, repo] : undefined
}

function payloadRepository(payload: z.infer<typeof RepositoryPayload>): [string, string] {
  return [payload.repository.owner.login, payload.repository.name]
}

/** A push to the repository's default branch: the one event whose run adds to the size history. */
export interface DefaultBranchPush {
  sha: string
  defaultBranch: string
}

const PushPayload = z.object({ repository: z.object({ default_branch: NonEmptyString }) })

/** The push this run is for when it went to the default branch; undefined for any other event or branch. */
export async function readDefaultBranchPush(env: NodeJS.ProcessEnv): Promise<DefaultBranchPush | undefined> {
  if (env['GITHUB_EVENT_NAME'] !== 'push') return undefined
  const path = env[EVENT_PATH]
  if (!path) throw new UserError(`${EVENT_PATH} is not set, so the push event cannot be read`)
  const parse = (value: unknown) => checked(PushPayload, value).repository.default_branch
  const defaultBranch = await readJsonFile(path, EVENT_PATH, { what: 'a push event payload', parse })
  if (defaultBranch === null) throw new UserError(`${EVENT_PATH}: '${path}' does not exist, so the push event cannot be read`)
  if (env['GITHUB_REF'] !== `refs/heads/${defaultBranch}`) return undefined
  const sha = env['GITHUB_SHA'] ?? ''
  if (!COMMIT_SHA_PATTERN.test(sha)) throw new UserError('GITHUB_SHA is not a commit SHA (40 or 64 hex digits)')
  return { sha, defaultBranch }
}

const RepositoryDefaultBranch = z.object({ repository: z.object({ default_branch: NonEmptyString }) })

/** The repository's default branch, as every event's payload names it; null without a readable payload that does. */
export async function readDefaultBranch(env: NodeJS.ProcessEnv): Promise<string | null> {
  const path = env[EVENT_PATH]
  if (!path) return null
  const parse = (value: unknown) => RepositoryDefaultBranch.safeParse(value).data?.repository.default_branch ?? null
  return (await readJsonFile(path, EVENT_PATH, { what: 'an event payload', parse })) ?? null
}

/** The size history goes to a branch of its own: never into the default branch's code. */
export function checkHistoryBranch(branch: string, defaultBranch: string | null): void {
  if (branch !== '' && branch === defaultBranch) {
    throw new UserError(
      `history: '${branch}' is the repository's default branch; the size history needs a branch of its own, e.g. image-size-history`
    )
  }
}

/** A workflow_run event: the run it follows, whose head commit a pull request must be at to get its reports. */
export interface WorkflowRunEvent {
  apiUrl: string
  owner: string
  repo: string
  /** The head commit of the run that made the reports (`workflow_run.head_sha`). */
  headSha: string
}

// workflow_run.pull_requests is empty for a fork's pull request, so the number is never taken from here.
const WorkflowRunPayload = z.object({ workflow_run: z.object({ head_sha: CommitSha }) })

/** The workflow_run this run follows, or undefined for any other event (whose payload is not read). */
export async function readWorkflowRunEvent(env: NodeJS.ProcessEnv): Promise<WorkflowRunEvent | undefined> {
  if (env['GITHUB_EVENT_NAME'] !== 'workflow_run') return undefined
  const path = env[EVENT_PATH]
  if (!path) throw new UserError(`${EVENT_PATH} is not set, so the workflow_run event cannot be read`)
  const named = ownerAndRepo(env['GITHUB_REPOSITORY'])
  const parse = (value: unknown) => ({
    headSha: checked(WorkflowRunPayload, value).workflow_run.head_sha,
    repository: named ?? payloadRepository(checked(RepositoryPayload, value))
  })
  const payload = await readJsonFile(path, EVENT_PATH, { what: 'a workflow_run event payload', parse })
  if (!payload) throw new UserError(`${EVENT_PATH}: '${path}' does not exist, so the workflow_run event cannot be read`)
  const [owner, repo] = payload.repository
  return { apiUrl: env['GITHUB_API_URL'] || 'https://api.github.com', owner, repo, headSha: payload.headSha }
}
