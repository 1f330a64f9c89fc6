#!/usr/bin/env node
import '../heap.js'
import { parseArgs } from 'node:util'
import { UserError, messageOf } from '../errors.js'
import { Input, parseInputs } from '../inputs.js'
import { silentLog, type Log } from '../log.js'
import { combinedReport, runPlatforms } from '../run/platforms.js'
import { gatePlan } from '../run/plan.js'
import { historyLines } from '../history/history-text.js'
import { recordRun } from '../history/size-history.js'
import type { Report } from '../report/report.js'
import type { SizeMetric } from '../size.js'
import { commentIdentity } from '../github/pull-request.js'
import { DEFAULT_RULE_PAGES } from '../report/rule-page.js'
import { renderText } from '../report/text.js'
import { checkReportPath, writeReportFile } from '../report/report-file.js'
import { openFileHistory, type FileHistory } from '../run/file-history.js'

const USAGE = `Usage: image-size-gate [options]

Builds a Dockerfile with docker buildx (or analyses --image), measures every layer,
and exits 1 when the image is over --max-size or ships a Go toolchain.

  --context DIR              build context (default .)
  --file PATH                Dockerfile (default CONTEXT/Dockerfile)
  --target STAGE             stage to build
  --build-arg KEY=VALUE      build argument (repeatable)
  --platform OS/ARCH         platform to build
  --platforms LIST           several platforms, comma separated; each is built and judged
  --builder NAME             buildx builder
  --cache-from SPEC          (repeatable)
  --cache-to SPEC            (repeatable)
  --secret ID=VALUE          (repeatable)
  --network MODE             network for RUN (e.g. none)
  --image REF                analyse this local image instead of building
  --max-size SIZE            budget, e.g. 25MB, 25MiB, 0.5GB
  --size-metric METRIC       uncompressed (default) or compressed
  --fail-on-go-toolchain B   true (default) or false
  --baseline-report PATH     compare with a report saved by an earlier run; its layers'
                             compressed sizes are reused for layers of the same content
  --no-compressed            skip measuring compressed sizes (faster)
  --report PATH              write the JSON report to PATH
  --history-file PATH        append this run's record (the context's git HEAD) to a JSON-lines
                             size history and print its last records with a sparkline
  --json                     print the JSON report instead of text
  --quiet                    no build progress on stderr
  --help                     show this help
`

const OPTIONS = {
  context: { type: 'string' },
  file: { type: 'string' },
  target: { type: 'string' },
  'build-arg': { type: 'string', multiple: true },
  platform: { type: 'string' },
  platforms: { type: 'string' },
  builder: { type: 'string' },
  'cache-from': { type: 'string', multiple: true },
  'cache-to': { type: 'string', multiple: true },
  secret: { type: 'string', multiple: true },
  network: { type: 'string' },
  image: { type: 'string' },
  'max-size': { type: 'string' },
  'size-metric': { type: 'string' },
  'fail-on-go-toolchain': { type: 'string' },
  'baseline-report': { type: 'string' },
  'no-compressed': { type: 'boolean' },
  report: { type: 'string' },
  'history-file': { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean' }
} as const

/** Flags named after inputs whose CLI spelling differs. */
const FLAG_FOR: Partial<Record<Input, string>> = {
  [Input.BuildArgs]: 'build-arg',
  [Input.Secrets]: 'secret'
}

const REPORT_FLAG = '--report'

const stderrLog: Log = {
  info: (line) => process.stderr.write(`${line}\n`),
  warning: (message) => process.stderr.write(`warning: ${message}\n`),
  group: async (title, body) => {
    process.stderr.write(`== ${title}\n`)
    return body()
  }
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false })
  if (values.help) {
    process.stdout.write(USAGE)
    return 0
  }
  const read = (name: Input): string => {
    const value = (values as Record<string, string | string[] | boolean | undefined>)[FLAG_FOR[name] ?? name]
    return Array.isArray(value) ? value.join('\n') : typeof value === 'string' ? value : ''
  }
  const parsed = parseInputs(read)
  // The compressed metric needs compressed sizes, whatever --no-compressed says.
  const inputs = { ...parsed, measureCompressed: !values['no-compressed'] || parsed.sizeMetric === 'compressed' }
  const [plan, { key }] = [gatePlan(inputs), commentIdentity(inputs, process.cwd(), process.cwd())]
  if (values.report) await checkReportPath(values.report, REPORT_FLAG)
  const log = values.quiet || values.json ? silentLog : stderrLog
  const history = values['history-file'] ? await openFileHistory(values['history-file'], inputs.context, log) : undefined
  const results = await runPlatforms(plan, log)
  const report = combinedReport(results)
  if (values.report) await writeReportFile(report, values.report, REPORT_FLAG)
  const reports = results.map((result) => result.report)
  const trend = history ? await recordLocally(history, reports, key, plan.judge.sizeMetric) : []
  const text = [...reports.map((report) => renderText(report, DEFAULT_RULE_PAGES)), ...(trend.length > 0 ? [trend.join('\n')] : [])].join(
    '\n\n'
  )
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${text}\n`)
  return results.every((result) => result.report.passed) ? 0 : 1
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
