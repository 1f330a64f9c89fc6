import { mkdir, rename, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { MultiPlatformReport } from './platforms.js'
import type { Report } from './report.js'

/** The default report path: under RUNNER_TEMP in a workflow, the system temp dir elsewhere. */
export function defaultReportPath(): string {
  return join(process.env['RUNNER_TEMP'] || tmpdir(), 'image-size-gate', `report-${process.pid}-${Date.now()}.json`)
}

/** Writes the report atomically: a reader never sees a half-written file. */
export async function writeReportFile(report: Report | MultiPlatformReport, path: string): Promise<string> {
  await mkdir(dirname(path), { recursive: true })
  const partial = `${path}.partial`
  await writeFile(partial, `${JSON.stringify(report, null, 2)}\n`)
  await rename(partial, path)
  return path
}
