/**
 * The report's published JSON Schema (docs/report.schema.json) as a real JSON-Schema validator (ajv, draft
 * 2020-12) reads it: tests hold reports against the file users get, not against the zod schema it came from.
 */
import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import type { MultiPlatformReport, Report } from '../../src/report/report.js'
import type { ActionRun } from './action-runner.js'

export const PUBLISHED_SCHEMA_PATH = resolve(import.meta.dirname, '../../docs/report.schema.json')

const ajv = new Ajv2020({ allErrors: true })
const validate = ajv.compile(JSON.parse(readFileSync(PUBLISHED_SCHEMA_PATH, 'utf8')) as object)

/** The validator's complaints about `report`, as one line each; [] when the published schema accepts it. */
export function publishedSchemaErrors(report: unknown): string[] {
  if (validate(report)) return []
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`)
}

/** The report a run of the bundle wrote (its `report` output); throws unless the published schema accepts it. */
export async function readReportOutput<T extends Report | MultiPlatformReport = Report>(run: ActionRun): Promise<T> {
  const path = run.outputs['report'] as string
  const report: unknown = JSON.parse(await readFile(path, 'utf8'))
  const errors = publishedSchemaErrors(report)
  if (errors.length > 0) throw new Error(`the report '${path}' does not match docs/report.schema.json: ${errors.join('; ')}`)
  return report as T
}
