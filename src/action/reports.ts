/**
 * The action's `reports` mode: the reports of many images in, one comment and one job summary out, the
 * verdict last. On workflow_run the pull request is proven before anything is posted.
 */
import * as core from '@actions/core'
import { readPullRequestEvent, readWorkflowRunEvent } from '../github/event.js'
import type { PullRequestTarget } from '../github/github.js'
import { provePullRequest } from '../github/pull-request-proof.js'
import { postComment } from '../github/pull-request.js'
import { Output, type Inputs } from '../inputs.js'
import type { Log } from '../log.js'
import { quietReason } from '../report/comment-threshold.js'
import type { Report } from '../report/report.js'
import { rulePagesOf } from '../report/rule-page.js'
import { runReportsJob } from '../run/reports-job.js'
import { writeSummary } from './workflow.js'

/** The sticky comment's key in this mode, unless comment-key says otherwise: one comment for all images. */
export const DEFAULT_REPORTS_KEY = 'image-size-gate'

export async function runReports(inputs: Inputs, env: NodeJS.ProcessEnv, log: Log): Promise<void> {
  const key = inputs.commentKey || DEFAULT_REPORTS_KEY
  const workspace = env['GITHUB_WORKSPACE'] || process.cwd()
  // Both events are read before anything else, so a bad payload fails first and leaves nothing half-written.
  const pullRequest = await readPullRequestEvent(env)
  const workflowRun = pullRequest ? undefined : await readWorkflowRunEvent(env)
  const job = {
    patterns: inputs.reports,
    workspace,
    key,
    rulePages: rulePagesOf(env),
    ...(inputs.expectReports ? { expectReports: inputs.expectReports } : {})
  }
  const outcome = await runReportsJob(job, log)
  const reports = outcome.entries.map((entry) => entry.report)
  core.setOutput(Output.Passed, outcome.failures.length === 0)
  core.setOutput(Output.Report, outcome.reportPath)
  core.setOutput(Output.CommentBody, outcome.comment)
  await writeSummary(outcome.summary)
  const target = inputs.comment ? (pullRequest?.target ?? (await provenTarget(workflowRun, reports, inputs.githubToken, log))) : undefined
  const post = {
    enabled: inputs.comment,
    token: inputs.githubToken,
    pullRequest: target,
    quiet: quietReason(reports, inputs.commentThreshold)
  }
  core.setOutput(Output.CommentUrl, (await postComment(post, key, outcome.comment, log)) ?? '')
  if (outcome.failures.length > 0) core.setFailed(outcome.failures.join('\n'))
}

/** On workflow_run, the pull request the reports name, once the API proves it; otherwise one warning and none. */
async function provenTarget(
  run: Awaited<ReturnType<typeof readWorkflowRunEvent>>,
  reports: readonly Report[],
  token: string,
  log: Log
): Promise<PullRequestTarget | undefined> {
  if (!run || !token) return undefined
  const proof = await provePullRequest(run, reports, token, log)
  if ('target' in proof) return proof.target
  log.warning(proof.refusal)
  return undefined
}
