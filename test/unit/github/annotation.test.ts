import { describe, expect, it } from '@jest/globals'
import { workflowAnnotations, type AnnotatedReport } from '../../../src/github/annotation.js'
import type { Finding } from '../../../src/findings/finding.js'
import { makeReport } from '../../support/report-builder.js'

/** A platform's report with a warning on Dockerfile line 3 for each message. */
function result(platform: string, messages: string[]): AnnotatedReport {
  const findings = messages.map((message): Finding => ({ rule: 'build-cache', severity: 'warning', message, line: 3 }))
  return { report: makeReport({ platform }, { findings }), dockerfile: '/work/Dockerfile' }
}

describe('workflowAnnotations', () => {
  const amd64 = result('linux/amd64', ['same', 'amd64 only'])
  const arm64 = result('linux/arm64', ['same'])

  it('says each annotation once, with the platforms it holds for', () => {
    expect(workflowAnnotations([amd64, arm64], '/work').map((a) => a.message)).toEqual([
      'linux/amd64, linux/arm64: same',
      'linux/amd64: amd64 only'
    ])
    expect(workflowAnnotations([amd64], '/work').map((a) => a.message)).toEqual(['same', 'amd64 only'])
    expect(workflowAnnotations([amd64], '/work')[0]).toEqual({ severity: 'warning', message: 'same', file: 'Dockerfile', line: 3 })
  })
})
