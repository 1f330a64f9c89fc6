import { describe, expect, it, jest } from '@jest/globals'
import { join } from 'node:path'
import { ENGINE, EXAMPLE, FIXTURES, dockerSize, runAction } from '../../support/action-runner.js'
import type { MultiPlatformReport } from '../../../src/report/report.js'
import { readReportOutput } from '../../support/published-schema.js'

// 600 s for a test or hook: a test builds two platforms, arm64 under emulation: 142 s at most on a loaded 2-core machine.
jest.setTimeout(600_000)

describe(`multi-platform builds on the real engine (${ENGINE.label})`, () => {
  it('builds, measures and judges linux/amd64 and linux/arm64; the worst decides', async () => {
    const run = await runAction({
      context: EXAMPLE,
      file: join(FIXTURES, 'multi-platform/Dockerfile'),
      platforms: 'linux/amd64,linux/arm64',
      network: 'none',
      'max-size': '25MB'
    })
    expect(run.exitCode).toBe(0)
    // Read through the published JSON Schema, which must accept the multi-platform form.
    const report = await readReportOutput<MultiPlatformReport>(run)
    expect(report.passed).toBe(true)
    expect(report.platforms.map((platform) => platform.image.platform)).toEqual(['linux/amd64', 'linux/arm64'])
    const [amd64, arm64] = report.platforms
    expect(amd64?.binaries.find((binary) => binary.path === '/service')).toBeDefined()
    expect(arm64?.image.id).not.toBe(amd64?.image.id)
    for (const platform of report.platforms) expect(platform.image.size).toBe(await dockerSize(platform.image.id, platform.image.platform))
    const worst = report.platforms.reduce((a, b) => (b.image.size > a.image.size ? b : a))
    expect(run.outputs['size']).toBe(String(worst.image.size))
    expect(run.outputs['image-id']).toBe(worst.image.id)
    expect(run.summary).toContain('### ✅ image-size-gate passed on all 2 platforms')
    expect(run.summary).toMatch(/\| linux\/arm64 \| [\d.]+ MB \|/)
  })

  it('fails when one platform is over budget, naming it', async () => {
    const run = await runAction({
      context: EXAMPLE,
      file: join(FIXTURES, 'multi-platform/Dockerfile'),
      platforms: 'linux/amd64,linux/arm64',
      network: 'none',
      'max-size': '1MB'
    })
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/^::error::linux\/amd64: image-size-gate failed: the image is over the size budget/m)
    expect(run.stdout).toMatch(/linux\/arm64: image-size-gate failed/)
    expect(run.outputs['passed']).toBe('false')
  })
})
