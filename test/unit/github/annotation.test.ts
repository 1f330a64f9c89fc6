import { describe, expect, it } from '@jest/globals'
import { workflowAnnotations, type AnnotatedReport } from '../../../src/github/annotation.js'
import type { Finding } from '../../../src/findings/finding.js'
import { makeReport } from '../../support/report-builder.js'
import { DEFAULT_RULE_PAGES as RULE_PAGES, rulePagesOf } from '../../../src/report/rule-page.js'

/** A platform's report with a warning on Dockerfile line 3 for each message. */
function result(platform: string, messages: string[]): AnnotatedReport {
  const findings = messages.map((message): Finding => ({ rule: 'build-cache', severity: 'warning', message, line: 3 }))
  return { report: makeReport({ platform }, { findings }), dockerfile: '/work/Dockerfile' }
}

describe('workflowAnnotations', () => {
  const amd64 = result('linux/amd64', ['same', 'amd64 only'])
  const arm64 = result('linux/arm64', ['same'])

  const page = ' (https://github.com/image-size-gate/image-size-gate/blob/main/docs/rules/build-cache.md)'

  it('says each annotation once, with the platforms it holds for', () => {
    expect(workflowAnnotations([amd64, arm64], '/work', RULE_PAGES).map((a) => a.message)).toEqual([
      `linux/amd64, linux/arm64: same${page}`,
      `linux/amd64: amd64 only${page}`
    ])
    expect(workflowAnnotations([amd64], '/work', RULE_PAGES).map((a) => a.message)).toEqual([`same${page}`, `amd64 only${page}`])
  })

  it("names the finding's rule in its title and links the rule's page at the action's own ref", () => {
    const pages = rulePagesOf({ GITHUB_ACTION_REPOSITORY: 'acme/image-size-gate', GITHUB_ACTION_REF: 'v0' })
    expect(workflowAnnotations([amd64], '/work', pages)[0]).toEqual({
      severity: 'warning',
      title: 'image-size-gate: build-cache',
      message: 'same (https://github.com/acme/image-size-gate/blob/v0/docs/rules/build-cache.md)',
      file: 'Dockerfile',
      line: 3
    })
  })
})
