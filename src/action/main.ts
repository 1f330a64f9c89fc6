import { resolve } from 'node:path'
import * as core from '@actions/core'
import { UserError, messageOf } from '../errors.js'
import { workflowAnnotations, type Annotation } from '../github/annotation.js'
import { checkHistoryBranch, readDefaultBranch, readDefaultBranchPush, readPullRequestEvent } from '../github/event.js'
import { commentIdentity, postComment, type CommentPost } from '../github/pull-request.js'
import { basicCredential } from '../engine/git-store.js'
import { Output, parseInputs, type Inputs } from '../inputs.js'
import { showControls } from '../report/markdown.js'
import { rulePagesOf } from '../report/rule-page.js'
import { verdictLine } from '../report/checks.js'
import type { GateResult } from '../run/gate.js'
import { runJob, type Job, type JobOutcome } from '../run/job.js'
import { gatePlan } from '../run/plan.js'
import { worstResult } from '../run/platforms.js'
import { quietReason } from '../report/comment-threshold.js'
import type { Limit } from '../size.js'
import { runReports } from './reports.js'
import { actionLog, writeSummary } from './workflow.js'

/** What run() read: the job, and where its comment goes. */
interface Request {
  job: Job
  post: CommentPost
  commentThreshold: Limit | undefined
}

/** Reads the inputs, runs the gate on every platform, and writes the outputs: the verdict last, after the report. */
export async function run(): Promise<void> {
  try {
    const inputs = parseInputs((name) => core.getInput(name))
    if (inputs.reports.length > 0) return await runReports(inputs, process.env, actionLog)
    const request = await readRequest(inputs, process.env)
    const outcome = await runJob(request.job, actionLog)
    await writeOutputs(outcome, request)
  } catch (error) {
    if (!(error instanceof UserError) && error instanceof Error && error.stack) core.debug(error.stack)
    core.setFailed(messageOf(error))
  }
}

/** The inputs and the workflow's event, made once into what each stage needs. */
async function readRequest(inputs: Inputs, env: NodeJS.ProcessEnv): Promise<Request> {
  const event = await readPullRequestEvent(env)
  if (inputs.history) checkHistoryBranch(inputs.history, await readDefaultBranch(env))
  const push = inputs.history ? await readDefaultBranchPush(env) : undefined
  const identity = commentIdentity(inputs, env['GITHUB_WORKSPACE'] || process.cwd(), process.cwd())
  const token = inputs.githubToken
  // The size history fetches with the token: it and its Basic form are masked before git sees them.
  if (inputs.history && token) [token, basicCredential(token)].forEach((secret) => core.setSecret(secret))
  const job: Job = {
    plan: gatePlan(inputs),
    identity,
    baseCommit: event?.baseSha,
    headCommit: event?.headSha ?? push?.sha ?? env['GITHUB_SHA'] ?? '',
    // The repository holding the build context, as for building the base commit: actions/checkout may use a path.
    history: inputs.history ? { branch: inputs.history, token, workspace: resolve(inputs.context) } : undefined,
    record: push ? { commit: push.sha, runUrl: workflowRunUrl(env) } : undefined,
    pullRequest: event?.target.number,
    runUrl: workflowRunUrl(env),
    rulePages: rulePagesOf(env)
  }
  return { job, post: { enabled: inputs.comment, token, pullRequest: event?.target }, commentThreshold: inputs.commentThreshold }
}

/** The page of this workflow run, as the runner describes it; null outside a runner. */
function workflowRunUrl(env: NodeJS.ProcessEnv): string | null {
  const [server, repository, run] = [env['GITHUB_SERVER_URL'], env['GITHUB_REPOSITORY'], env['GITHUB_RUN_ID']]
  return server && repository && run ? `${server}/${repository}/actions/runs/${run}` : null
}

/** Outputs, annotations, the summary and the comment first; failing the job last, so a failed run is fully reported. */
async function writeOutputs(outcome: JobOutcome, request: Request): Promise<void> {
  const { results } = outcome
  setOutputs(outcome, worstResult(results, request.job.plan.judge.sizeMetric))
  annotate(workflowAnnotations(results, process.cwd(), request.job.rulePages))
  await writeSummary(outcome.summary)
  const post = {
    ...request.post,
    quiet: quietReason(
      results.map((result) => result.report),
      request.commentThreshold
    )
  }
  core.setOutput(Output.CommentUrl, (await postComment(post, request.job.identity.key, outcome.comment, actionLog)) ?? '')
  const failed = results.filter((result) => !result.report.passed)
  if (failed.length > 0) core.setFailed(failed.map((result) => prefixed(result, results.length)).join('\n'))
}

function prefixed(result: GateResult, platforms: number): string {
  return platforms > 1 ? `${showControls(result.report.image.platform)}: ${verdictLine(result.report)}` : verdictLine(result.report)
}

/** Outputs describe the worst platform; passed and go-toolchain cover all of them. */
function setOutputs(outcome: JobOutcome, worst: GateResult): void {
  const { results } = outcome
  const { image, baseline, delta } = worst.report
  const orEmpty = (value: number | null | undefined) => (value === null || value === undefined ? '' : value)
  core.setOutput(Output.ImageId, image.id)
  core.setOutput(Output.Size, image.size)
  core.setOutput(Output.CompressedSize, orEmpty(image.compressedSize))
  core.setOutput(Output.Layers, image.layers.length)
  core.setOutput(
    Output.GoToolchain,
    results.some((result) => result.report.goToolchain.found)
  )
  core.setOutput(
    Output.Passed,
    results.every((result) => result.report.passed)
  )
  core.setOutput(Output.Report, outcome.reportPath)
  core.setOutput(Output.BaselineSize, orEmpty(baseline?.size))
  core.setOutput(Output.BaselineCompressedSize, orEmpty(baseline?.compressedSize))
  core.setOutput(Output.SizeDelta, orEmpty(delta?.size))
  core.setOutput(Output.CompressedSizeDelta, orEmpty(delta?.compressedSize))
  core.setOutput(Output.CommentBody, outcome.comment)
}

function annotate(annotations: Annotation[]): void {
  for (const annotation of annotations) {
    const properties: core.AnnotationProperties = { title: annotation.title }
    if (annotation.file) properties.file = annotation.file
    if (annotation.line !== undefined) properties.startLine = annotation.line
    // @actions/core escapes %, CR and LF for the command; showing them keeps an image's name on one line.
    const message = showControls(annotation.message)
    if (annotation.severity === 'error') core.error(message, properties)
    else if (annotation.severity === 'warning') core.warning(message, properties)
    else core.notice(message, properties)
  }
}
