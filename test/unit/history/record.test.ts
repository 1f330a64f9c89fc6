import { describe, expect, it } from '@jest/globals'
import type { GoAttribution } from '../../../src/binary/goattribution.js'
import { diffGoBinaries } from '../../../src/report/godiff.js'
import { compare } from '../../../src/report/delta.js'
import type { BinaryFact } from '../../../src/findings/binaries.js'
import {
  HISTORY_SCHEMA,
  RecordLineError,
  baselineFromRecord,
  parseRecordLine,
  recordOf,
  serializeRecord,
  type HistoryRecord
} from '../../../src/history/record.js'
import { withValueAt } from '../../support/json-edit.js'
import { makeReport } from '../../support/report-builder.js'

const COMMIT = 'a'.repeat(40)
const PARENT = 'b'.repeat(40)
const runUrl = 'https://github.com/o/r/actions/runs/1'
const context = { key: 'Dockerfile', commit: COMMIT, parent: PARENT, time: '2026-12-01T10:00:00.000Z', runUrl }
const attribution: GoAttribution = {
  goVersion: 'go1.22.4',
  settings: { '-ldflags': '-s -w' },
  modules: [
    { path: 'std', version: 'go1.22.4', bytes: 900 },
    { path: 'golang.org/x/text', version: 'v0.7.0', replace: '../text', bytes: 100 }
  ],
  packages: [{ name: 'fmt', bytes: 50, code: 50 }],
  buckets: [{ name: 'pclntab', bytes: 300 }],
  symbolData: false,
  textBytes: 1000,
  paddingBytes: 10,
  namedTextBytes: 990
}
const layer = (n: number, line: number | null) => ({
  diffId: `sha256:${String(n).repeat(64).slice(0, 64)}`,
  size: 1000 * n,
  compressedSize: 400 * n,
  compressedExact: true,
  files: n,
  createdBy: `RUN step ${n}`,
  instruction: line === null ? null : `RUN step ${n}`,
  dockerfileLine: line
})
const binary = { path: '/app', size: 1310, module: 'example.com/app', goAttribution: attribution } as unknown as BinaryFact

function report(size: number, platform = 'linux/amd64') {
  return makeReport(
    {
      platform,
      size,
      compressedSize: Math.floor(size / 2),
      compressedExact: true,
      layers: [layer(1, null), layer(2, 4)],
      paths: [{ path: '/app', size: 1310 }]
    },
    { binaries: [binary] }
  )
}

describe('history records', () => {
  it('records each platform with its layers, Go modules, paths and verdict, on one line', () => {
    const record = recordOf([report(3000), { ...report(5000, 'linux/arm64'), passed: false }], context)
    expect(record).toMatchObject({ schema: HISTORY_SCHEMA, ...context, passed: false })
    expect(record.platforms.map((p) => [p.platform, p.size, p.compressedSize, p.passed])).toEqual([
      ['linux/amd64', 3000, 1500, true],
      ['linux/arm64', 5000, 2500, false]
    ])
    expect(record.platforms[0]?.layers[1]).toEqual(layer(2, 4))
    expect(record.platforms[0]?.goModules[0]).toMatchObject({ path: '/app', modules: attribution.modules, goVersion: 'go1.22.4' })
    const line = serializeRecord(record)
    expect(line).not.toContain('\n')
    expect(parseRecordLine(line)).toEqual(record)
  })

  it('keeps a key or instruction with newlines on one line', () => {
    const record = recordOf([report(2)], { ...context, key: 'a\nb' })
    expect(serializeRecord(record).split('\n')).toHaveLength(1)
    expect(parseRecordLine(serializeRecord(record)).key).toBe('a\nb')
  })

  it('turns a record into a baseline the layer, path and module diffs can use', () => {
    const record = recordOf([report(3000)], context)
    const baseline = baselineFromRecord(record, 'linux/amd64')
    expect(baseline).toMatchObject({ source: 'history', ref: COMMIT, size: 3000, compressedSize: 1500, compressedExact: true })
    const head = report(4000)
    head.image.paths = [{ path: '/app', size: 2310 }]
    const comparison = compare(head, baseline as NonNullable<typeof baseline>)
    expect(comparison.layers.map((change) => [change.kind, change.matchedBy])).toEqual([
      ['unchanged', 'digest'],
      ['unchanged', 'digest']
    ])
    expect(comparison.paths).toEqual([{ path: '/app', base: 1310, head: 2310, delta: 1000 }])
    const modules = [...attribution.modules, { path: 'x', version: 'v1', bytes: 690 }]
    const grown = { ...binary, size: 2000, goAttribution: { ...attribution, modules } }
    expect(diffGoBinaries([grown], baseline?.binaries ?? [])[0]?.modules.map((m) => [m.path, m.kind])).toEqual([['x', 'added']])
  })

  it('finds the platform asked for, or the only one when none is asked for', () => {
    const two = recordOf([report(1), report(2, 'linux/arm64')], context)
    expect(baselineFromRecord(two, 'linux/arm64')?.size).toBe(2)
    expect(baselineFromRecord(two, 'linux/s390x')).toBeNull()
    expect(baselineFromRecord(two, '')).toBeNull()
    expect(baselineFromRecord(recordOf([report(7)], context), '')?.size).toBe(7)
  })

  it('names what is wrong with a line that is not a record of this schema', () => {
    const good = JSON.parse(serializeRecord(recordOf([report(1)], context))) as HistoryRecord
    const line = (change: Record<string, unknown>) => JSON.stringify({ ...good, ...change })
    expect(() => parseRecordLine('{"schema":')).toThrow(new RecordLineError('is not JSON'))
    expect(() => parseRecordLine(line({ schema: 'image-size-gate.history/2' }))).toThrow(
      new RecordLineError('is a record of another schema ("image-size-gate.history/2")')
    )
    expect(() => parseRecordLine(line({ commit: '--upload-pack=x' }))).toThrow(
      new RecordLineError('is not a history record: commit should be a commit SHA (40 or 64 hex digits), not a string')
    )
    expect(() => parseRecordLine(line({ platforms: [] }))).toThrow(/platforms should be a non-empty array/)
    expect(() => parseRecordLine(line({ time: 'yesterday' }))).toThrow(/time should be an ISO time/)
    expect(() => parseRecordLine('[1]')).toThrow(/the top level should be an object/)
    const negative = { ...good, platforms: [{ ...good.platforms[0], size: -1 }] }
    expect(() => parseRecordLine(JSON.stringify(negative))).toThrow(/platforms\[0\]\.size should be a whole number ≥ 0, not -1/)
  })

  it.each([
    ['a layer size of -1', ['platforms', 0, 'layers', 0, 'size'], -1, 'platforms[0].layers[0].size should be a whole number ≥ 0, not -1'],
    [
      'a module size of NaN, as text',
      ['platforms', 0, 'goModules', 0, 'modules', 0, 'bytes'],
      'NaN',
      'platforms[0].goModules[0].modules[0].bytes should be a whole number ≥ 0, not a string'
    ],
    [
      'a bucket name that is a number',
      ['platforms', 0, 'goModules', 0, 'buckets', 0, 'name'],
      3,
      'platforms[0].goModules[0].buckets[0].name should be a string, not 3'
    ],
    [
      'a build setting that is not text',
      ['platforms', 0, 'goModules', 0, 'settings', 'CGO_ENABLED'],
      0,
      'platforms[0].goModules[0].settings.CGO_ENABLED should be a string, not 0'
    ],
    ['a parent that is an option', ['parent'], '-c', 'parent should be a commit SHA (40 or 64 hex digits), not a string']
  ])('says which field is wrong in %s', (_name, path, value, problem) => {
    const record = recordOf([report(1)], context)
    expect(() => parseRecordLine(JSON.stringify(withValueAt(record, path, value)))).toThrow(
      new RecordLineError(`is not a history record: ${problem}`)
    )
  })

  it('reads a minimal record written to the documented format', () => {
    const minimal = {
      schema: HISTORY_SCHEMA,
      key: 'k',
      commit: COMMIT,
      parent: null,
      time: '2026-12-01T10:00:00Z',
      runUrl: null,
      passed: true,
      platforms: [
        {
          platform: 'linux/amd64',
          size: 123,
          compressedSize: 45,
          compressedExact: true,
          passed: true,
          layers: [{ diffId: 'sha256:x', size: 1, compressedSize: 1, compressedExact: true, instruction: null }],
          goModules: [{ path: '/app', modules: [{ path: 'm', version: 'v1', bytes: 1 }] }]
        }
      ]
    }
    const baseline = baselineFromRecord(parseRecordLine(JSON.stringify(minimal)), '')
    expect(baseline).toMatchObject({ size: 123, paths: null, layers: [{ files: 0, createdBy: null, dockerfileLine: null }] })
    expect(baseline?.binaries?.[0]).toMatchObject({ path: '/app', size: 0, module: null })
  })
})
