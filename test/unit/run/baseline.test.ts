import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtemp, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fromReportFile, resolveBaseline, type BaselineSources, type HistoryBaselines } from '../../../src/run/baseline.js'
import type { ImageAccess } from '../../../src/run/acquire.js'
import type { Source } from '../../../src/model/model.js'
import { UserError } from '../../../src/errors.js'
import { parseInputs, type Input } from '../../../src/inputs.js'
import { silentLog } from '../../../src/log.js'
import { gatePlan } from '../../../src/run/plan.js'
import { makeReport } from '../../support/report-builder.js'

const noImages: ImageAccess = { exists: async () => false, acquire: async () => Promise.reject(new Error('should not build')) }

/** The baseline the inputs `values` resolve to, knowing `sources`, with no image to read or build. */
function resolveFor(values: Partial<Record<Input, string>>, sources: BaselineSources = {}) {
  const plan = gatePlan(parseInputs((name) => values[name] ?? ''))
  return resolveBaseline(plan.baseline, plan.image, sources, silentLog, noImages)
}

describe('resolveBaseline', () => {
  it('compares with nothing outside pull requests in auto mode', async () => {
    expect(await resolveFor({})).toEqual({
      baseline: null,
      note: 'no baseline: not a pull request'
    })
  })

  it('has no baseline, and no registry lookup, when a baseline-image file is not there (yet)', async () => {
    const outcome = await resolveFor({ 'baseline-image': 'oci-archive:/nonexistent/base.tar' } as never, { baseCommit: 'abc' })
    expect(outcome).toEqual({ baseline: null, note: 'no baseline: baseline-image oci-archive:/nonexistent/base.tar does not exist (yet)' })
  })

  it('respects baseline: none on a pull request', async () => {
    const outcome = await resolveFor({ baseline: 'none' } as never, { baseCommit: 'abc' })
    expect(outcome).toEqual({ baseline: null, note: 'baseline disabled (baseline: none)' })
  })

  it("takes the history's baseline on a pull request without building, and says why when it builds instead", async () => {
    const baseCommit = 'a'.repeat(40)
    const recorded = {
      source: 'history' as const,
      ref: baseCommit,
      size: 1,
      compressedSize: 1,
      compressedExact: true,
      layers: [],
      paths: null
    }
    const found = { baselineFor: async () => ({ outcome: { baseline: recorded, note: null } }) }
    const resolve = (values: Partial<Record<Input, string>>, history: HistoryBaselines) => resolveFor(values, { baseCommit, history })
    expect(await resolve({}, found)).toEqual({ baseline: recorded, note: null })
    // baseline: build means build, whatever the history has.
    const outside = await mkdtemp(join(tmpdir(), 'isg-no-git-'))
    const built = await resolve({ baseline: 'build', context: outside } as never, found)
    expect(built).toEqual({ baseline: null, note: 'base did not build: the context is not inside a git repository' })
    const missing = { baselineFor: async () => ({ fallback: 'no record of the base aaaaaaa' }) }
    expect(await resolve({ context: outside } as never, missing)).toEqual({
      baseline: null,
      note: 'no record of the base aaaaaaa; base did not build: the context is not inside a git repository'
    })
  })

  it('says why the base was built when the history had no baseline, on the built baseline and nowhere else', async () => {
    const repo = await mkdtemp(join(tmpdir(), 'isg-base-'))
    const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim()
    git('init', '--quiet')
    await writeFile(join(repo, 'Dockerfile'), 'FROM scratch\n')
    git('add', 'Dockerfile')
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '--quiet', '-m', 'base')
    const baseCommit = git('rev-parse', 'HEAD')
    const source = { archive: {} } as Source
    const images: ImageAccess = { exists: async () => false, acquire: async () => source }
    const history = { baselineFor: async () => ({ fallback: 'the history could not be read' }) }
    const inputs: Record<string, string> = { context: repo }
    const plan = gatePlan(parseInputs((name) => inputs[name] ?? ''))
    const outcome = await resolveBaseline(plan.baseline, plan.image, { baseCommit, history }, silentLog, images)
    expect(outcome.note).toBeNull()
    expect(outcome.image).toEqual({
      source,
      kind: 'build',
      ref: baseCommit,
      note: 'the history could not be read, so the base commit was built'
    })
  })

  it('says so when build is asked for without a base commit', async () => {
    const outcome = await resolveFor({ baseline: 'build' } as never)
    expect(outcome.note).toBe('no baseline: baseline is build, but the event has no pull request base commit')
  })
})

describe('fromReportFile', () => {
  it('treats a missing file as a cache miss, not an error', async () => {
    expect(await fromReportFile('/nonexistent/report.json')).toEqual({
      baseline: null,
      note: "no baseline: baseline-report '/nonexistent/report.json' does not exist (yet)"
    })
  })

  it('rejects a file that is not a report, naming the input', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'isg-report-'))
    await writeFile(join(dir, 'bad.json'), '{"hello": 1}')
    await writeFile(join(dir, 'broken.json'), '{')
    await expect(fromReportFile(join(dir, 'bad.json'))).rejects.toThrow(
      new UserError(`baseline-report: '${join(dir, 'bad.json')}' is not an image-size-gate report: schemaVersion should be 1, not missing`)
    )
    await expect(fromReportFile(join(dir, 'broken.json'))).rejects.toThrow(
      new UserError(`baseline-report: '${join(dir, 'broken.json')}' is not valid JSON`)
    )
  })

  it('rejects a directory, a FIFO and a file over 64 MiB before reading them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'isg-report-'))
    const fifo = join(dir, 'fifo.json')
    execFileSync('mkfifo', [fifo])
    const big = join(dir, 'big.json')
    await writeFile(big, '')
    await truncate(big, 600_000_000)
    await expect(fromReportFile(dir)).rejects.toThrow(new UserError(`baseline-report: '${dir}' is a directory, not a regular file`))
    await expect(fromReportFile(fifo)).rejects.toThrow(new UserError(`baseline-report: '${fifo}' is a FIFO, not a regular file`))
    await expect(fromReportFile(big)).rejects.toThrow(
      new UserError(`baseline-report: '${big}' is 600 MB, over the 64 MiB limit for a JSON file`)
    )
  })

  it('treats only a missing file as a cache miss', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'isg-report-'))
    const file = join(dir, 'report.json')
    await writeFile(file, '{}')
    await expect(fromReportFile(join(file, 'below.json'))).rejects.toThrow(
      new UserError(`baseline-report: '${join(file, 'below.json')}' cannot be read (ENOTDIR: not a directory)`)
    )
  })

  it('picks the matching platform from a multi-platform report', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'isg-report-'))
    const image = (platform: string, size: number) => makeReport({ id: 'sha256:0', platform, size, compressedSize: 1 })
    await writeFile(
      join(dir, 'multi.json'),
      JSON.stringify({ schemaVersion: 1, passed: true, platforms: [image('linux/amd64', 10), image('linux/arm64', 20)] })
    )
    expect((await fromReportFile(join(dir, 'multi.json'), 'linux/arm64')).baseline?.size).toBe(20)
  })
})
