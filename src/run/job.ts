/**
 * One run of the action between reading its inputs and writing its outputs: the size history opened,
 * every platform gated, the report file written, the trend drawn, the comment and the job summary
 * composed, and a push's record appended.
 */
import { commentBody, type CommentIdentity } from '../github/pull-request.js'
import { trendCharts } from '../history/trend-points.js'
import { recordRun } from '../history/size-history.js'
import type { Log } from '../log.js'
import { defaultReportPath, writeReportFile } from '../report/report-file.js'
import type { RulePages } from '../report/rule-page.js'
import { renderSummary } from '../report/summary.js'
import type { ReportOrigin } from '../report/report-schema.js'
import { COMMIT_SHA_PATTERN } from '../schema.js'
import { openBranchHistory, type BranchSettings } from './branch-history.js'
import { freshAnalyses } from './acquire.js'
import type { GateResult } from './gate.js'
import { combinedReport, runPlatforms, type GatePlan } from './platforms.js'

/** What the action was asked to do, each part in the terms of the stage that uses it. */
export interface Job {
  plan: GatePlan
  /** The comment's key and title; the key names the size history's file too. */
  identity: CommentIdentity
  /** The pull request's base commit, when the workflow runs for a pull request. */
  baseCommit?: string
  /** The commit the trend ends with: the pull request's head, else the commit the workflow runs for. */
  headCommit: string
  /** The size history's branch; none when the history input is empty. */
  history?: Omit<BranchSettings, 'key'>
  /** A push to the default branch: its commit is recorded in the size history, with the workflow run's page. */
  record?: { commit: string; runUrl: string | null }
  /** The pull request the workflow runs for, when it does: each report names it, for a `reports` run to prove. */
  pullRequest?: number
  /** This workflow run's page; null outside a runner. */
  runUrl: string | null
  /** Where the comment and the summary link each finding's rule. */
  rulePages: RulePages
}

export interface JobOutcome {
  results: GateResult[]
  /** Where the JSON report was written. */
  reportPath: string
  /** The pull request comment's markdown, without its marker. */
  comment: string
  /** The job summary's markdown. */
  summary: string
}

export async function runJob(job: Job, log: Log): Promise<JobOutcome> {
  const { plan, identity } = job
  const history = job.history ? await openBranchHistory({ ...job.history, key: identity.key }, log) : undefined
  // A pull request reads the index and never writes it: the run that records is the one that may.
  const layerIndex = history?.layerIndex(job.record !== undefined)
  const sources = { baseCommit: job.baseCommit, history, ...(layerIndex ? { layerIndex } : {}) }
  const results = (await runPlatforms(plan, log, sources)).map((result) => ({
    ...result,
    report: { ...result.report, origin: originOf(job) }
  }))
  const reports = results.map((result) => result.report)
  const reportPath = await writeReportFile(combinedReport(results), defaultReportPath())
  const trendOptions = { metric: plan.judge.sizeMetric, budget: plan.judge.maxSize ?? null }
  const trends = history ? trendCharts(history.records, reports, job.headCommit, trendOptions) : []
  if (history && job.record) await recordRun(history, reports, { key: identity.key, ...job.record })
  if (layerIndex?.writable) await layerIndex.add(freshAnalyses(), log)
  return {
    results,
    reportPath,
    comment: commentBody(reports, identity, job.rulePages, trends),
    summary: renderSummary(reports, job.rulePages, trends)
  }
}

/** Which image of which run each report is, so a `reports` run can name it and prove its pull request. */
function originOf(job: Job): ReportOrigin {
  const { key, title } = job.identity
  const commit = COMMIT_SHA_PATTERN.test(job.headCommit) ? job.headCommit : null
  return { key, title, commit, pullRequest: job.pullRequest ?? null, runUrl: job.runUrl }
}
