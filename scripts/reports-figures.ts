/**
 * The figures of the `reports` mode: the combined comment's length for 1, 4, 20 and 100 images, and the
 * wall time of one run of the bundle (dist/index.js, under the node running this script) reading and
 * rendering 100 reports, the median of RUNS runs. The reports are the generated ones the tests use.
 * Run: npm run build && npm run figures:reports; for the action's node24, run build/reports-figures/index.js with it.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { commentMarker } from '../src/github/github.js'
import { combinedCommentBody } from '../src/github/pull-request.js'
import { COMMENT_BODY_LIMIT } from '../src/report/comment.js'
import { DEFAULT_RULE_PAGES } from '../src/report/rule-page.js'
import { imageReports } from '../test/support/report-set.js'

const KEY = 'image-size-gate'
const RUNS = 5
const BUNDLE = resolve('dist/index.js')

function commentLengths(): void {
  for (const count of [1, 4, 20, 100]) {
    const entries = imageReports(count).map((report, index) => ({ file: `reports/${index}.json`, report }))
    const body = `${commentMarker(KEY)}\n${combinedCommentBody(entries, [], KEY, DEFAULT_RULE_PAGES)}`
    const left = Number(/_The details of (\d+) images? are left out/.exec(body)?.[1] ?? 0)
    console.log(
      `comment of ${count} image(s): ${body.length} characters of ${COMMENT_BODY_LIMIT}; ${count - left} sections, ${left} left out`
    )
  }
}

/** One run of the bundle in reports mode, as the runner starts it; its wall time in milliseconds. */
function timedRun(workspace: string): number {
  const temp = mkdtempSync(join(tmpdir(), 'isg-figures-run-'))
  const [output, summary] = [join(temp, 'output'), join(temp, 'summary')]
  writeFileSync(output, '')
  writeFileSync(summary, '')
  const env = {
    PATH: process.env['PATH'] ?? '',
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    RUNNER_TEMP: temp,
    GITHUB_WORKSPACE: workspace,
    INPUT_REPORTS: 'reports/*.json',
    INPUT_COMMENT: 'false'
  }
  const start = process.hrtime.bigint()
  const run = spawnSync(process.execPath, [BUNDLE], { cwd: workspace, env, encoding: 'utf8' })
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6
  if (run.status !== 0 || !readFileSync(output, 'utf8').includes('passed<<'))
    throw new Error(`the bundle failed: ${run.stdout}${run.stderr}`)
  rmSync(temp, { recursive: true, force: true })
  return elapsed
}

function reportsRunTime(): void {
  const workspace = mkdtempSync(join(tmpdir(), 'isg-figures-'))
  mkdirSync(join(workspace, 'reports'))
  const reports = imageReports(100)
  reports.forEach((report, index) => writeFileSync(join(workspace, 'reports', `image-${index}.json`), JSON.stringify(report)))
  const times = Array.from({ length: RUNS }, () => timedRun(workspace)).sort((a, b) => a - b)
  const bytes = reports.reduce((sum, report) => sum + JSON.stringify(report).length, 0)
  console.log(
    `reports run of 100 reports (${(bytes / 1e6).toFixed(2)} MB of JSON), node ${process.version}: median ${Math.round(times[RUNS >> 1] ?? 0)} ms of ${RUNS} runs (${times.map(Math.round).join(', ')} ms)`
  )
  rmSync(workspace, { recursive: true, force: true })
}

commentLengths()
reportsRunTime()
