/**
 * The report's JSON Schema, generated from its zod schema: `npm run schema` writes it to
 * docs/report.schema.json, and a unit test fails when the committed file is not what this generates.
 */
import { z } from 'zod'
import { ReportFile } from './report-schema.js'

/** Where the published schema lives in the repository. */
export const REPORT_JSON_SCHEMA_PATH = 'docs/report.schema.json'

/** The JSON Schema (draft 2020-12) of what a report file may hold, as the text committed to the repository. */
export function reportJsonSchema(): string {
  // `input`: what a reader accepts, so fields older writers left out are optional and unknown fields allowed.
  const schema = z.toJSONSchema(ReportFile, { target: 'draft-2020-12', io: 'input' })
  return `${JSON.stringify(schema, null, 2)}\n`
}
