import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { reportJsonSchema } from '../../../src/report/report-json-schema.js'
import { withValueAt } from '../../support/json-edit.js'
import { PUBLISHED_SCHEMA_PATH, publishedSchemaErrors } from '../../support/published-schema.js'
import { makeFullReport, makeReport } from '../../support/report-builder.js'

describe('the published JSON Schema of the report', () => {
  it('is what the zod schema generates (run `npm run schema` after changing it)', () => {
    expect(readFileSync(PUBLISHED_SCHEMA_PATH, 'utf8')).toBe(reportJsonSchema())
  })

  it('accepts a report with every part filled in, a bare one, and the multi-platform form', () => {
    expect(publishedSchemaErrors(makeFullReport())).toEqual([])
    expect(publishedSchemaErrors(makeReport())).toEqual([])
    expect(publishedSchemaErrors({ schemaVersion: 1, passed: false, platforms: [makeReport(), makeFullReport()] })).toEqual([])
  })

  it('rejects what the zod schema rejects, deep inside too', () => {
    expect(publishedSchemaErrors(withValueAt(makeFullReport(), ['image', 'layers', 0, 'size'], -1))).toContain(
      '/image/layers/0/size must be >= 0'
    )
    expect(publishedSchemaErrors(withValueAt(makeFullReport(), ['schemaVersion'], 2))).toContain('/schemaVersion must be equal to constant')
    expect(publishedSchemaErrors(withValueAt(makeFullReport(), ['binaries', 0, 'goAttribution', 'buckets', 0, 'name'], 7))).toContain(
      '/binaries/0/goAttribution/buckets/0/name must be string'
    )
    expect(publishedSchemaErrors({ schemaVersion: 1, passed: true, platforms: [] })).toContain(
      '/platforms must NOT have fewer than 1 items'
    )
  })
})
