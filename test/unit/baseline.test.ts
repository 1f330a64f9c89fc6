import { describe, expect, it } from '@jest/globals'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fromReportFile, resolveBaseline, type Acquire, type ImageAccess } from '../../src/baseline.js'
import { parseInputs, type Input } from '../../src/inputs.js'
import { silentLog } from '../../src/log.js'

const inputs = (values: Partial<Record<Input, string>> = {}) => parseInputs((name) => values[name] ?? '')
const noImages: ImageAccess = { exists: async () => false, acquireImage: async () => Promise.reject(new Error('unused')) }
const neverAcquire: Acquire = async () => Promise.reject(new Error('should not build'))

describe('resolveBaseline', () => {
  it('compares with nothing outside pull requests in auto mode', async () => {
    expect(await resolveBaseline(inputs(), undefined, silentLog, neverAcquire, noImages)).toEqual({ baseline: null, note: 'no baseline: not a pull request' })
  })

  it('respects baseline: none on a pull request', async () => {
    const outcome = await resolveBaseline(inputs({ baseline: 'none' } as never), { sha: 'abc', ref: 'main' }, silentLog, neverAcquire, noImages)
    expect(outcome).toEqual({ baseline: null, note: 'baseline disabled (baseline: none)' })
  })

  it('says so when build is asked for without a base commit', async () => {
    const outcome = await resolveBaseline(inputs({ baseline: 'build' } as never), undefined, silentLog, neverAcquire, noImages)
    expect(outcome.note).toBe('no baseline: baseline is build, but the event has no pull request base commit')
  })
})

describe('fromReportFile', () => {
  it('treats a missing file as a cache miss, not an error', async () => {
    expect(await fromReportFile('/nonexistent/report.json')).toEqual({ baseline: null, note: "no baseline: baseline-report '/nonexistent/report.json' does not exist (yet)" })
  })

  it('rejects a file that is not a report, naming the input', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'isg-report-'))
    await writeFile(join(dir, 'bad.json'), '{"hello": 1}')
    await writeFile(join(dir, 'broken.json'), '{')
    await expect(fromReportFile(join(dir, 'bad.json'))).rejects.toThrow(`baseline-report: '${join(dir, 'bad.json')}' is not an image-size-gate report (schemaVersion 1)`)
    await expect(fromReportFile(join(dir, 'broken.json'))).rejects.toThrow(`baseline-report: '${join(dir, 'broken.json')}' is not valid JSON`)
  })

  it('picks the matching platform from a multi-platform report', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'isg-report-'))
    const image = (platform: string, size: number) => ({ schemaVersion: 1, image: { platform, size, compressedSize: 1, compressedExact: false, layers: [], paths: [] } })
    await writeFile(join(dir, 'multi.json'), JSON.stringify({ schemaVersion: 1, passed: true, platforms: [image('linux/amd64', 10), image('linux/arm64', 20)] }))
    expect((await fromReportFile(join(dir, 'multi.json'), 'linux/arm64')).baseline?.size).toBe(20)
  })
})
