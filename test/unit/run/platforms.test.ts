import { describe, expect, it } from '@jest/globals'
import type { GateResult } from '../../../src/run/gate.js'
import { combinedReport, worstResult } from '../../../src/run/platforms.js'
import { makeReport } from '../../support/report-builder.js'

function result(platform: string, size: number, compressedSize: number, passed: boolean): GateResult {
  const report = makeReport(
    { id: `sha256:${platform}`, platform, size, compressedSize },
    {
      budget: passed ? null : { metric: 'uncompressed', limit: 1, actual: size, passed: false },
      findings: passed ? [] : [{ rule: 'size-budget', severity: 'error', message: 'over' }],
      passed
    }
  )
  return { report }
}

describe('multi-platform results', () => {
  const amd64 = result('linux/amd64', 9_000_000, 3_000_000, true)
  const arm64 = result('linux/arm64', 8_000_000, 3_500_000, false)

  it('takes the worst platform on the budget metric', () => {
    expect(worstResult([amd64, arm64], 'uncompressed')).toBe(amd64)
    expect(worstResult([amd64, arm64], 'compressed')).toBe(arm64)
  })

  it('keeps a single report as it is and wraps several', () => {
    expect(combinedReport([amd64])).toBe(amd64.report)
    expect(combinedReport([amd64, arm64])).toEqual({ schemaVersion: 1, passed: false, platforms: [amd64.report, arm64.report] })
  })
})
