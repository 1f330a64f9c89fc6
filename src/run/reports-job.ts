/**
 * A `reports` run: nothing is built. The reports other jobs wrote are read and checked, and made into one
 * combined report file, one comment and one job summary, with the verdict: every image that failed, every
 * report that could not be used, and too few reports, each in one sentence.
 */
import { combinedCommentBody } from '../github/pull-request.js'
import type { Log } from '../log.js'
import { renderCombinedSummary } from '../report/combined-summary.js'
import { entryName, sortEntries, type ReportEntry } from '../report/image-table.js'
import { showControls } from '../report/markdown.js'
import { verdictLine } from '../report/checks.js'
import { defaultReportPath, writeReportFile } from '../report/report-file.js'
import { Input } from '../inputs.js'
import type { RulePages } from '../report/rule-page.js'
import { readReports } from './report-files.js'

export interface ReportsJob {
  /** The `reports` globs, relative to the workspace. */
  patterns: string[]
  workspace: string
  /** How many report files must be found. */
  expectReports?: number
  /** The sticky comment's key. */
  key: string
  /** Where the comment and the summary link each finding's rule. */
  rulePages: RulePages
}

export interface ReportsOutcome {
  entries: ReportEntry[]
  /** Where the combined report was written; '' when there was nothing to combine. */
  reportPath: string
  comment: string
  summary: string
  /** One sentence per image that failed, report that could not be used, and missing report; [] when it passed. */
  failures: string[]
}

export async function runReportsJob(job: ReportsJob, log: Log): Promise<ReportsOutcome> {
  const read = await readReports(job.patterns, job.workspace)
  const problems = [...read.problems]
  // A glob that matches nothing is a mistake or a matrix that wrote nothing, never a pass.
  if (job.expectReports === undefined && read.files === 0) {
    problems.push(`${Input.Reports}: no report file matches ${job.patterns.map((pattern) => `'${pattern}'`).join(', ')} in the workspace`)
  }
  if (job.expectReports !== undefined && read.files < job.expectReports) {
    const found = read.files === 1 ? '1 was found' : `${read.files} were found`
    problems.push(
      `${Input.ExpectReports}: ${job.expectReports} report files were expected, but ${found}; a job may have died before writing its report`
    )
  }
  const { entries } = read
  log.info(
    `reports: ${entries.length} image report${entries.length === 1 ? '' : 's'} read from ${read.files} file${read.files === 1 ? '' : 's'}`
  )
  const reports = entries.map((entry) => entry.report)
  const reportPath =
    reports.length > 0
      ? await writeReportFile(
          { schemaVersion: 1, passed: problems.length === 0 && reports.every((report) => report.passed), platforms: reports },
          defaultReportPath()
        )
      : ''
  const failed = sortEntries(entries).filter((entry) => !entry.report.passed)
  const failures = [
    ...failed.map(
      (entry) => `${showControls(entryName(entry))} (${showControls(entry.report.image.platform)}): ${verdictLine(entry.report)}`
    ),
    ...problems
  ]
  return {
    entries,
    reportPath,
    comment: combinedCommentBody(entries, problems, job.key, job.rulePages),
    summary: renderCombinedSummary(entries, problems, job.rulePages),
    failures
  }
}
