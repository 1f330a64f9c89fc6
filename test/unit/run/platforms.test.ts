import { describe, expect, it } from '@jest/globals'
import type { GateResult } from '../../../src/report/judge.js'
import { combinedAnnotations, combinedReport, worstResult } from '../../../src/run/platforms.js'
import { renderPlatformsMarkdown } from '../../../src/report/render.js'
import { makeReport } from '../../support/report-builder.js'

function result(platform: string, size: number, compressedSize: number, passed: boolean, messages: string[] = []): GateResult {
  const report = makeReport(
    { id: `sha256:${platform}`, platform, size, compressedSize },
    {
      budget: passed ? null : { metric: 'uncompressed', limit: 1, actual: size, passed: false },
      findings: passed ? [] : [{ rule: 'size-budget', severity: 'error', message: 'over' }],
      passed
    }
  )
  const annotations = messages.map((message) => ({ severity: 'warning' as const, message, file: 'Dockerfile', line: 3 }))
  return { report, annotations }
}

describe('multi-platform results', () => {
  const amd64 = result('linux/amd64', 9_000_000, 3_000_000, true, ['same', 'amd64 only'])
  const arm64 = result('linux/arm64', 8_000_000, 3_500_000, false, ['same'])

  it('takes the worst platform on the budget metric', () => {
    expect(worstResult([amd64, arm64], 'uncompressed')).toBe(amd64)
    expect(worstResult([amd64, arm64], 'compressed')).toBe(arm64)
  })

  it('keeps a single report as it is and wraps several', () => {
    expect(combinedReport([amd64])).toBe(amd64.report)
    expect(combinedReport([amd64, arm64])).toEqual({ schemaVersion: 1, passed: false, platforms: [amd64.report, arm64.report] })
  })

  it('says each annotation once, with the platforms it holds for', () => {
    expect(combinedAnnotations([amd64, arm64]).map((a) => a.message)).toEqual(['linux/amd64, linux/arm64: same', 'linux/amd64: amd64 only'])
    expect(combinedAnnotations([amd64]).map((a) => a.message)).toEqual(['same', 'amd64 only'])
  })

  it('renders an overview row per platform, then each platform', () => {
    const markdown = renderPlatformsMarkdown([amd64.report, arm64.report])
    expect(markdown.split('\n').slice(0, 6)).toEqual([
      '### ❌ image-size-gate failed on 1 of 2 platforms',
      '',
      '| Platform | Size | Compressed | Verdict |',
      '| --- | ---: | ---: | --- |',
      '| linux/amd64 | 9.00 MB | ~3.00 MB | ✅ passed |',
      '| linux/arm64 | 8.00 MB | ~3.50 MB | ❌ the image is over the size budget (8.00 MB uncompressed, 3.50 MB compressed (est.)) |'
    ])
    expect(markdown).toContain('#### linux/arm64')
  })
})
