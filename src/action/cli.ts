#!/usr/bin/env node
import '../heap.js'
import { parseArgs } from 'node:util'
import { UserError, messageOf } from '../errors.js'
import { parseInputs } from '../inputs.js'
import { silentLog, type Log } from '../log.js'
import { combinedReport, runPlatforms } from '../run/platforms.js'
import { gatePlan } from '../run/plan.js'
import { historyLines } from '../history/history-text.js'
import { recordRun } from '../history/size-history.js'
import type { MultiPlatformReport, Report } from '../report/report.js'
import type { SizeMetric } from '../size.js'
import { stickyCommentText } from '../github/github.js'
import { commentBody, commentIdentity, type CommentIdentity } from '../github/pull-request.js'
import { DEFAULT_RULE_PAGES } from '../report/rule-page.js'
import { OutputFormat, cliOptions, flagHelp, flagReader, outputFormat } from './cli-flags.js'
import { renderText } from '../report/text.js'
import { checkReportPath, writeReportFile } from '../report/report-file.js'
import { openFileHistory, type FileHistory } from '../run/file-history.js'

const USAGE = `Usage: image-size-gate [options]

Builds a Dockerfile with docker buildx or podman (or analyses --image), measures every layer,
and exits 1 when the image is over --max-size or ships a Go toolchain. Every input of the
action is a flag of the same name.

${flagHelp().join('\n')}
`

const REPORT_FLAG = '--report'

const stderrLog: Log = {
  info: (line) => process.stderr.write(`${line}\n`),
  warning: (message) => process.stderr.write(`warning: ${message}\n`),
  group: async (title, body) => {
    process.stderr.write(`== ${title}\n`)
    return body()
  }
}

/** Without progress, but warnings still reach stderr: stdout keeps only the report. */
const quietLog: Log = { ...silentLog, warning: stderrLog.warning }

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: cliOptions(), strict: true, allowPositionals: false })
  if (values['help']) {
    process.stdout.write(USAGE)
    return 0
  }
  const format = outputFormat(stringFlag(values['format']), values['json'] === true)
  const parsed = parseInputs(flagReader(values))
  // The compressed metric needs compressed sizes, whatever --no-compressed says.
  const inputs = { ...parsed, measureCompressed: values['no-compressed'] !== true || parsed.sizeMetric === 'compressed' }
  const [plan, identity] = [gatePlan(inputs), commentIdentity(inputs, process.cwd(), process.cwd())]
  const reportPath = stringFlag(values['report'])
  if (reportPath) await checkReportPath(reportPath, REPORT_FLAG)
  const log = values['quiet'] === true || format !== OutputFormat.Text ? quietLog : stderrLog
  const historyFile = stringFlag(values['history-file'])
  const history = historyFile ? await openFileHistory(historyFile, inputs.context, log) : undefined
  const results = await runPlatforms(plan, log)
  const report = combinedReport(results)
  if (reportPath) await writeReportFile(report, reportPath, REPORT_FLAG)
  const reports = results.map((result) => result.report)
  const trend = history ? await recordLocally(history, reports, identity.key, plan.judge.sizeMetric) : []
  process.stdout.write(`${rendered(format, report, identity, trend)}\n`)
  return results.every((result) => result.report.passed) ? 0 : 1
}

function stringFlag(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

/** The run as text, as the report's JSON, or as the pull request comment the action would post for it. */
function rendered(format: OutputFormat, report: Report | MultiPlatformReport, identity: CommentIdentity, trend: string[]): string {
  if (format === OutputFormat.Json) return JSON.stringify(report, null, 2)
  const reports = 'platforms' in report ? report.platforms : [report]
  if (format === OutputFormat.Markdown) return stickyCommentText(identity.key, commentBody(reports, identity, DEFAULT_RULE_PAGES))
  const text = reports.map((one) => renderText(one, DEFAULT_RULE_PAGES))
  return [...text, ...(trend.length > 0 ? [trend.join('\n')] : [])].join('\n\n')
}

/** Appends this run's record, of the context's HEAD, to the history file and returns its last records as lines. */
async function recordLocally(history: FileHistory, reports: Report[], key: string, metric: SizeMetric): Promise<string[]> {
  const record = await recordRun(history, reports, { key, commit: history.head, runUrl: null })
  return historyLines([...history.records, record], metric, reports[0]?.image.platform ?? '')
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    // One sentence for the user; the stack only on request, and never for a user error.
    process.stderr.write(`image-size-gate: ${messageOf(error)}\n`)
    const debug = process.env['IMAGE_SIZE_GATE_DEBUG'] && !(error instanceof UserError) && error instanceof Error
    if (debug) process.stderr.write(`${error.stack}\n`)
    process.exitCode = 1
  }
)
