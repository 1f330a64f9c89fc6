/** Writes the report's published JSON Schema (`npm run schema`); bundled by ncc, run from the repository root. */
import { writeFileSync } from 'node:fs'
import { REPORT_JSON_SCHEMA_PATH, reportJsonSchema } from '../src/report/report-json-schema.js'

writeFileSync(REPORT_JSON_SCHEMA_PATH, reportJsonSchema())
console.log(`wrote ${REPORT_JSON_SCHEMA_PATH}`)
