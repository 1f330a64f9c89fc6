import { resolve } from 'node:path'
import * as core from '@actions/core'
import { UserError, messageOf } from '../errors.js'
import type { Annotation, GateResult } from '../report/judge.js'
import { readDefaultBranchPush, readPullRequestEvent, type DefaultBranchPush } from '../github/event.js'
import { basicCredential } from '../engine/git-store.js'
import { recordOf } from '../history/record.js'
import { trendMetric, trendPoints } from '../history/trend-points.js'
import { trendChart } from '../report/trend.js'
import { Output, parseInputs, type Inputs } from '../inputs.js'
import type { Log } from '../log.js'
import { escapeText, showControls } from '../report/markdown.js'
import { combinedAnnotations, combinedReport, runPlatforms, worstResult } from '../run/platforms.js'
import { commentBody, commentIdentity, postComment } from '../github/pull-request.js'
import { renderMarkdown, renderPlatformsMarkdown, verdictLine } from '../report/render.js'
import { defaultReportPath, writeReportFile } from '../report/report-file.js'
import type { Report } from '../report/report.js'
import { openGitHistory, recordContext, type GitHistory } from '../run/history.js'

const actionLog: Log = {
  info: (line) => core.info(line),
  warning: (message) => core.warning(message),
  group: (title, body) => core.group(title, body)
}

/** Reads inputs, runs the gate per platform, reports and comments, and only then fails if the gates say so. */
export async function run(): Promise<void> {
  try {
    const inputs = parseInputs((name) => core.getInput(name))
    const event = await readPullRequestEvent(process.env)
    const base = event ? { sha: event.baseSha, ref: event.baseRef } : undefined
    const identity = commentIdentity(inputs, process.env['GITHUB_WORKSPACE'] || process.cwd(), process.cwd())
    const push = inputs.history ? await readDefaultBranchPush(process.env) : undefined
    const history = inputs.history ? await openHistory(inputs, identity.key) : undefined
    const results = await runPlatforms(inputs, actionLog, base, history)
    const reportPath = await writeReportFile(combinedReport(results), defaultReportPath())
    const trends = history ? trendCharts(history, results, inputs, event?.headSha ?? push?.sha ?? process.env['GITHUB_SHA'] ?? '') : []
    const body = commentBody(
      results.map((result) => result.report),
      identity,
      trends
    )
    setOutputs(results, worstResult(results, inputs.sizeMetric), reportPath, body)
    annotate(combinedAnnotations(results))
    await writeSummary(results, body, trends)
    core.setOutput(Output.CommentUrl, (await postComment(inputs, event, identity.key, body, actionLog)) ?? '')
    if (history && push) await recordRun(history, results, identity.key, push)
    const failed = results.filter((result) => !result.report.passed)
    if (failed.length > 0) core.setFailed(failed.map((result) => prefixed(result, results.length)).join('\n'))
  } catch (error) {
    if (!(error instanceof UserError) && error instanceof Error && error.stack) core.debug(error.stack)
    core.setFailed(messageOf(error))
  }
}

/** The history branch, read with the job's token; the token and its Basic form are masked first. */
async function openHistory(inputs: Inputs, key: string): Promise<GitHistory> {
  if (inputs.githubToken) {
    core.setSecret(inputs.githubToken)
    core.setSecret(basicCredential(inputs.githubToken))
  }
  // The repository holding the build context, as for building the base: actions/checkout may use a path.
  return openGitHistory({ branch: inputs.history, key, token: inputs.githubToken, workspace: resolve(inputs.context) }, actionLog)
}

/** Per platform, the last records and this run's head as a chart on the budget's metric ('' for none). */
function trendCharts(history: GitHistory, results: GateResult[], inputs: Inputs, head: string): string[] {
  const options = { metric: trendMetric(inputs.sizeMetric), budget: inputs.maxSize ?? null }
  return results.map((result) => trendChart(trendPoints(history.records, result.report, head, inputs.sizeMetric), options))
}

/** ' · linux/arm64' when there are several platforms to tell apart. */
function platformOf(reports: Report[], index: number): string {
  return reports.length > 1 ? ` · ${escapeText(reports[index]?.image.platform ?? '')}` : ''
}

/** A push to the default branch adds this run's record; failing to only warns. */
async function recordRun(history: GitHistory, results: GateResult[], key: string, push: DefaultBranchPush): Promise<void> {
  const context = await recordContext(history, key, push.sha, process.env)
  await history.append(
    recordOf(
      results.map((result) => result.report),
      context
    )
  )
}

function prefixed(result: GateResult, platforms: number): string {
  return platforms > 1 ? `${showControls(result.report.image.platform)}: ${verdictLine(result.report)}` : verdictLine(result.report)
}

/** Outputs describe the worst platform; passed and go-toolchain cover all of them. */
function setOutputs(results: GateResult[], worst: GateResult, reportPath: string, body: string): void {
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
  core.setOutput(Output.Report, reportPath)
  core.setOutput(Output.BaselineSize, orEmpty(baseline?.size))
  core.setOutput(Output.BaselineCompressedSize, orEmpty(baseline?.compressedSize))
  core.setOutput(Output.SizeDelta, orEmpty(delta?.size))
  core.setOutput(Output.CompressedSizeDelta, orEmpty(delta?.compressedSize))
  core.setOutput(Output.CommentBody, body)
}

function annotate(annotations: Annotation[]): void {
  for (const annotation of annotations) {
    const properties: core.AnnotationProperties = { title: 'image-size-gate' }
    if (annotation.file) properties.file = annotation.file
    if (annotation.line !== undefined) properties.startLine = annotation.line
    // @actions/core escapes %, CR and LF for the command; showing them keeps an image's name on one line.
    const message = showControls(annotation.message)
    if (annotation.severity === 'error') core.error(message, properties)
    else if (annotation.severity === 'warning') core.warning(message, properties)
    else core.notice(message, properties)
  }
}

/** The summary is cosmetic: failing to write it warns and never changes the verdict. */
async function writeSummary(results: GateResult[], comment: string, trends: readonly string[]): Promise<void> {
  try {
    const reports = results.map((result) => result.report)
    const [only] = reports
    const main = only && reports.length === 1 ? renderMarkdown(only) : renderPlatformsMarkdown(reports)
    const trend = trends.map((chart, index) => (chart ? `\n\n#### Size trend${platformOf(reports, index)}\n\n${chart}` : '')).join('')
    const comparison = reports.some((report) => report.baseline) ? `\n\n#### Against the baseline\n\n${comment}` : ''
    await core.summary.addRaw(main + trend + comparison, true).write()
  } catch (error) {
    core.warning(`could not write the job summary: ${messageOf(error)}`)
  }
}
