/**
 * Which pull request a workflow_run's reports may be posted on. The run that made them is untrusted (a
 * fork controls it), so the number they name is proven, not trusted: the API must say that pull request's
 * head is the event's `workflow_run.head_sha`, and every report must have been made from that commit.
 */
import { z } from 'zod'
import { messageOf } from '../errors.js'
import type { Log } from '../log.js'
import type { Report } from '../report/report.js'
import { CommitSha, checked } from '../schema.js'
import type { WorkflowRunEvent } from './event.js'
import { httpFailureOf } from './failure.js'
import { retryPolicy, type PullRequestTarget } from './github.js'
import { createClient } from './rest-client.js'

/** The pull request the reports may be posted on, or the one sentence saying why they may not. */
export type Proof = { target: PullRequestTarget } | { refusal: string }

const PullRequestHead = z.object({ head: z.object({ sha: CommitSha }) })

/** How long asking GitHub for the pull request may take, retries included. */
const PROOF_DEADLINE_MS = 60_000

export async function provePullRequest(run: WorkflowRunEvent, reports: readonly Report[], token: string, log: Log): Promise<Proof> {
  const claimed = claimedPullRequest(reports, run.headSha)
  if (typeof claimed === 'string') return { refusal: `no comment: ${claimed}` }
  const target = { apiUrl: run.apiUrl, owner: run.owner, repo: run.repo, number: claimed }
  try {
    const client = await createClient(token, run.apiUrl, retryPolicy(token, { deadlineMs: PROOF_DEADLINE_MS, log }))
    const { data } = await client.rest.pulls.get({ owner: run.owner, repo: run.repo, pull_number: claimed })
    const head = checked(PullRequestHead, data).head.sha
    if (head === run.headSha) return { target }
    return {
      refusal: `no comment: pull request #${claimed} is at ${head.slice(0, 7)}, not at ${run.headSha.slice(0, 7)}, the commit the reports were made from`
    }
  } catch (error) {
    const status = httpFailureOf(error)?.status
    const reason =
      status === 404
        ? `${run.owner}/${run.repo} has no pull request #${claimed}`
        : `GitHub did not say which commit pull request #${claimed} is at (${messageOf(error)})`
    return { refusal: `no comment: ${reason}` }
  }
}

/** The one pull request all reports name, made from `headSha`; or why there is none. */
function claimedPullRequest(reports: readonly Report[], headSha: string): number | string {
  const numbers = [...new Set(reports.map((report) => report.origin?.pullRequest ?? null))]
  const [only] = numbers
  if (numbers.length === 0) return 'there are no reports to post'
  if (only === null || only === undefined) return 'a report names no pull request (it was not made on a pull_request event)'
  if (numbers.length > 1)
    return `the reports name different pull requests (${numbers.map((number) => (number === null ? 'none' : `#${number}`)).join(', ')})`
  const other = reports.find((report) => report.origin?.commit !== headSha)
  if (other) {
    const commit = other.origin?.commit ? other.origin.commit.slice(0, 7) : 'an unknown commit'
    return `a report was made from ${commit}, not from ${headSha.slice(0, 7)}, the head of the workflow run`
  }
  return only
}
