import { describe, expect, it } from '@jest/globals'
import { commentMarker } from '../../../src/github/github.js'
import { Input, parseInputs } from '../../../src/inputs.js'
import { commentBody, commentIdentity } from '../../../src/github/pull-request.js'
import type { Finding } from '../../../src/findings/finding.js'
import { makeReport } from '../../support/report-builder.js'
import { DEFAULT_RULE_PAGES as RULE_PAGES } from '../../../src/report/rule-page.js'

const WORKSPACE = '/home/runner/work/shop/shop'
const inputs = (values: Partial<Record<Input, string>>) =>
  parseInputs((name) => (name === Input.Context ? `${WORKSPACE}/services/api` : (values[name] ?? '')))

describe('commentIdentity', () => {
  it('names the Dockerfile, relative to the workspace', () => {
    expect(commentIdentity(inputs({}), WORKSPACE, WORKSPACE)).toEqual({ key: 'services/api/Dockerfile', title: 'services/api/Dockerfile' })
  })

  it('gives each matrix job of platforms its own comment', () => {
    const amd64 = commentIdentity(inputs({ [Input.Platforms]: 'linux/amd64' }), WORKSPACE, WORKSPACE)
    const arm64 = commentIdentity(inputs({ [Input.Platforms]: 'linux/arm64' }), WORKSPACE, WORKSPACE)
    expect(amd64.key).toBe('services/api/Dockerfile (linux/amd64)')
    expect(arm64.key).toBe('services/api/Dockerfile (linux/arm64)')
  })

  it('keys platforms: X as platform: X, and several platforms together', () => {
    expect(commentIdentity(inputs({ [Input.Platform]: 'linux/arm64' }), WORKSPACE, WORKSPACE)).toEqual(
      commentIdentity(inputs({ [Input.Platforms]: 'linux/arm64' }), WORKSPACE, WORKSPACE)
    )
    const both = commentIdentity(inputs({ [Input.Platforms]: 'linux/amd64,linux/arm64', [Input.Target]: 'runtime' }), WORKSPACE, WORKSPACE)
    expect(both).toEqual({
      key: 'services/api/Dockerfile (target runtime, linux/amd64, linux/arm64)',
      title: 'services/api/Dockerfile (target runtime, linux/amd64, linux/arm64)'
    })
  })

  it('resolves a relative file or context against the cwd it is given, not the process cwd', () => {
    const relativeInputs = (values: Partial<Record<Input, string>>) => parseInputs((name) => values[name] ?? '')
    const context = relativeInputs({ [Input.Context]: 'services/api', [Input.Platforms]: 'linux/amd64' })
    expect(commentIdentity(context, WORKSPACE, WORKSPACE).key).toBe('services/api/Dockerfile (linux/amd64)')
    expect(commentIdentity(context, WORKSPACE, `${WORKSPACE}/tools`).key).toBe('tools/services/api/Dockerfile (linux/amd64)')
    const file = relativeInputs({ [Input.File]: 'docker/api.Dockerfile', [Input.Platforms]: 'linux/arm64' })
    expect(commentIdentity(file, WORKSPACE, `${WORKSPACE}/services`)).toEqual({
      key: 'services/docker/api.Dockerfile (linux/arm64)',
      title: 'services/docker/api.Dockerfile (linux/arm64)'
    })
  })

  it('names an analysed image, and lets comment-key decide when given', () => {
    expect(commentIdentity(inputs({ [Input.Image]: 'shop/api:pr-12', [Input.Platform]: 'linux/amd64' }), WORKSPACE, WORKSPACE).key).toBe(
      'image shop/api:pr-12 (linux/amd64)'
    )
    expect(commentIdentity(inputs({ [Input.CommentKey]: 'api', [Input.Platforms]: 'linux/arm64' }), WORKSPACE, WORKSPACE)).toEqual({
      key: 'api',
      title: 'api'
    })
  })
})

describe('commentBody', () => {
  it('leaves room for the marker of the longest key, so the comment fits in 65,536 characters', () => {
    const key = '-'.repeat(100)
    const finding = (index: number): Finding => ({ rule: 'build-cache', severity: 'warning', message: `${'x'.repeat(50)} ${index}` })
    const report = makeReport({ size: 1 }, { findings: Array.from({ length: 1000 }, (_, index) => finding(index)) })
    for (const reports of [[report], [report, { ...report, image: { ...report.image, platform: 'linux/arm64' } }]]) {
      const body = commentBody(reports, { key, title: key }, RULE_PAGES)
      expect(body.length).toBeGreaterThan(60_000)
      expect(`${commentMarker(key)}\n${body}`.length).toBeLessThanOrEqual(65_536)
    }
  })
})
