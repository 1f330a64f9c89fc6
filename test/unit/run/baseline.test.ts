import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtemp, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  fromReportFile,
  parseSavedReports,
  resolveBaseline,
  type BaselineSources,
  type HistoryBaselines
} from '../../../src/run/baseline.js'
import type { ImageAccess } from '../../../src/run/acquire.js'
import { UserError } from '../../../src/errors.js'
import { parseInputs, type Input } from '../../../src/inputs.js'
import { silentLog } from '../../../src/log.js'
import { gatePlan } from '../../../src/run/plan.js'
import { ShapeError } from '../../../src/shape.js'
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
    const image = (platform: string, size: number) => ({
      schemaVersion: 1,
      image: { id: 'sha256:0', platform, size, compressedSize: 1, compressedExact: false, layers: [], paths: [] }
    })
    await writeFile(
      join(dir, 'multi.json'),
      JSON.stringify({ schemaVersion: 1, passed: true, platforms: [image('linux/amd64', 10), image('linux/arm64', 20)] })
    )
    expect((await fromReportFile(join(dir, 'multi.json'), 'linux/arm64')).baseline?.size).toBe(20)
  })
})

describe('parseSavedReports', () => {
  const layer = {
    diffId: 'sha256:aa',
    size: 5,
    compressedSize: null,
    compressedExact: false,
    files: 1,
    createdBy: null,
    instruction: null,
    dockerfileLine: null
  }
  const image = {
    id: 'sha256:0123',
    configDigest: 'sha256:c0ff',
    platform: 'linux/amd64',
    size: 5,
    compressedSize: 3,
    compressedExact: true,
    layers: [layer],
    paths: [{ path: '/app', size: 5 }]
  }
  const single = { schemaVersion: 1, image }
  const withImage = (changes: Record<string, unknown>) => ({ schemaVersion: 1, image: { ...image, ...changes } })
  const withLayer = (changes: Record<string, unknown>) => withImage({ layers: [{ ...layer, ...changes }] })

  it('accepts what the action writes, in both forms', () => {
    const written = makeReport({ size: 5, layers: [layer], paths: [{ path: '/app', size: 5 }] })
    expect(parseSavedReports(JSON.parse(JSON.stringify(written)))).toEqual({
      single: { schemaVersion: 1, image: { ...written.image }, binaries: [] }
    })
    const multi = { schemaVersion: 1, passed: true, platforms: [single, withImage({ platform: 'linux/arm64' })] }
    expect(parseSavedReports(multi)).toEqual({
      platforms: [single, withImage({ platform: 'linux/arm64' })].map((entry) => ({ ...entry, binaries: [] }))
    })
  })

  it('reads a report from before paths were recorded as having no file listing', () => {
    const older: Partial<typeof image> = { ...image }
    delete older.paths
    expect(parseSavedReports({ schemaVersion: 1, image: older })).toEqual({
      single: { schemaVersion: 1, image: { ...older, paths: null }, binaries: [] }
    })
  })

  it.each([
    ['null', null, 'the top level should be an object, not null'],
    ['an array', [single], 'the top level should be an object, not an array'],
    ['no schemaVersion', { hello: 1 }, 'schemaVersion should be 1, not missing'],
    ['another schemaVersion', { ...single, schemaVersion: 2 }, 'schemaVersion should be 1, not 2'],
    ['platforms that are a string', { platforms: 'x' }, 'platforms should be a non-empty array, not a string'],
    ['platforms without a schemaVersion', { platforms: [single] }, 'schemaVersion should be 1, not missing'],
    ['platforms that are a string, versioned', { schemaVersion: 1, platforms: 'x' }, 'platforms should be a non-empty array, not a string'],
    ['no platforms at all', { schemaVersion: 1, platforms: [] }, 'platforms should be a non-empty array, not an empty one'],
    ['a platform that is null', { schemaVersion: 1, platforms: [null] }, 'platforms[0] should be an object, not null'],
    [
      'a platform without an image',
      { schemaVersion: 1, platforms: [single, { schemaVersion: 1 }] },
      'platforms[1].image should be an object, not missing'
    ],
    ['no image', { schemaVersion: 1 }, 'image should be an object, not missing'],
    ['a size that is text', withImage({ size: '5' }), 'image.size should be a whole number ≥ 0, not a string'],
    ['a negative size', withImage({ size: -1 }), 'image.size should be a whole number ≥ 0, not -1'],
    ['a fractional size', withImage({ size: 1.5 }), 'image.size should be a whole number ≥ 0, not 1.5'],
    ['layers that are not an array', withImage({ layers: {} }), 'image.layers should be an array, not an object'],
    ['a layer that is a number', withImage({ layers: [1] }), 'image.layers[0] should be an object, not 1'],
    ['a layer that is null', withImage({ layers: [layer, null] }), 'image.layers[1] should be an object, not null'],
    ['a layer without a diffId', withLayer({ diffId: undefined }), 'image.layers[0].diffId should be a string, not missing'],
    [
      'a layer with a text line',
      withLayer({ dockerfileLine: '3' }),
      'image.layers[0].dockerfileLine should be a whole number ≥ 0, not a string'
    ],
    ['paths that are a string', withImage({ paths: 'x' }), 'image.paths should be an array, not a string'],
    [
      'a path entry without a size',
      withImage({ paths: [{ path: '/app' }] }),
      'image.paths[0].size should be a whole number ≥ 0, not missing'
    ],
    ['compressedExact that is text', withImage({ compressedExact: 'yes' }), 'image.compressedExact should be true or false, not a string']
  ])('rejects %s, naming the field', (_name, value, message) => {
    expect(() => parseSavedReports(value)).toThrow(ShapeError)
    expect(() => parseSavedReports(value)).toThrow(new Error(message))
  })
})
