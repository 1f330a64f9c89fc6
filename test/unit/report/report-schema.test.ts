import { describe, expect, it } from '@jest/globals'
import { parseReportFile, type Report } from '../../../src/report/report-schema.js'
import { MAX_LIST_ITEMS, SchemaError } from '../../../src/schema.js'
import { withValueAt } from '../../support/json-edit.js'
import { GO_ATTRIBUTION, GO_BINARY, makeFullReport, makeReport } from '../../support/report-builder.js'

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
  paths: [{ path: '/app', size: 5 }],
  parentImage: null
}
describe('parseReportFile', () => {
  const single = JSON.parse(JSON.stringify(makeReport(image))) as Report
  const withImage = (changes: Record<string, unknown>) => ({ ...single, image: { ...image, ...changes } })
  const withLayer = (changes: Record<string, unknown>) => withImage({ layers: [{ ...layer, ...changes }] })

  it('accepts what the action writes, in both forms', () => {
    expect(parseReportFile(makeFullReport())).toEqual(makeFullReport())
    const multi = { schemaVersion: 1, passed: true, platforms: [single, withImage({ platform: 'linux/arm64' })] }
    expect(parseReportFile(multi)).toEqual(multi)
  })

  it('reads what older reports left out as what it meant: no paths, no config digest, no binaries', () => {
    const older = makeFullReport() as unknown as { image: Record<string, unknown>; binaries?: unknown }
    delete older.image['paths']
    delete older.image['configDigest']
    delete older.binaries
    expect(parseReportFile(older)).toEqual({
      ...makeFullReport(),
      image: { ...makeFullReport().image, paths: null, configDigest: null },
      binaries: []
    })
  })

  it('reads a binary from before Go attribution, and an attribution from before data symbols were split out', () => {
    const { goAttribution, module, ...before } = GO_BINARY
    const { symbolData, codeOnlyBuckets, ...codeOnly } = { ...GO_ATTRIBUTION, packages: [{ name: 'fmt', bytes: 50 }] }
    expect([goAttribution, module, symbolData, codeOnlyBuckets]).not.toContain(undefined)
    const parsed = parseReportFile({ ...single, binaries: [before, { ...GO_BINARY, goAttribution: codeOnly }] }) as Report
    expect(parsed.binaries[0]).toEqual({ ...before, module: null, goAttribution: null })
    expect(parsed.binaries[1]?.goAttribution).toEqual({ ...codeOnly, symbolData: false, packages: [{ name: 'fmt', bytes: 50, code: 0 }] })
  })

  it('drops fields it does not know, as a reader of a newer writer should', () => {
    const parsed = parseReportFile({ ...single, newField: 1, image: { ...image, newField: 2 } }) as Record<string, unknown>
    expect(parsed).not.toHaveProperty('newField')
    expect(parsed['image']).not.toHaveProperty('newField')
  })

  it.each([
    ['null', null, 'the top level should be an object, not null'],
    ['an array', [single], 'the top level should be an object, not an array'],
    ['no schemaVersion', { hello: 1 }, 'schemaVersion should be 1, not missing'],
    ['another schemaVersion', { ...single, schemaVersion: 2 }, 'schemaVersion should be 1, not 2'],
    ['a future multi-platform schemaVersion', { schemaVersion: 2, passed: true, platforms: [single] }, 'schemaVersion should be 1, not 2'],
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
    expect(() => parseReportFile(value)).toThrow(SchemaError)
    expect(() => parseReportFile(value)).toThrow(new Error(message))
  })

  it.each([
    ['a layer size of -1', ['image', 'layers', 0, 'size'], -1, 'image.layers[0].size should be a whole number ≥ 0, not -1'],
    [
      'a bucket size of NaN, as text',
      ['binaries', 0, 'goAttribution', 'buckets', 0, 'bytes'],
      'NaN',
      'binaries[0].goAttribution.buckets[0].bytes should be a whole number ≥ 0, not a string'
    ],
    [
      'a bucket name that is a number',
      ['binaries', 0, 'goAttribution', 'buckets', 0, 'name'],
      7,
      'binaries[0].goAttribution.buckets[0].name should be a string, not 7'
    ],
    [
      'a build setting that is not text',
      ['binaries', 0, 'goAttribution', 'settings', '-ldflags'],
      true,
      'binaries[0].goAttribution.settings["-ldflags"] should be a string, not true'
    ],
    [
      'build settings that are a list',
      ['binaries', 0, 'goAttribution', 'settings'],
      [],
      'binaries[0].goAttribution.settings should be an object of build settings, not an array'
    ],
    [
      'a size beyond what a double holds exactly',
      ['baseline', 'layers', 0, 'size'],
      2 ** 53,
      'baseline.layers[0].size should be a whole number ≥ 0, not 9007199254740992'
    ],
    ['an infinite delta', ['delta', 'size'], Infinity, 'delta.size should be a whole number, not Infinity'],
    [
      'a baseline of an unknown source',
      ['baseline', 'source'],
      'cache',
      'baseline.source should be one of "build", "image", "report", "history", not a string'
    ],
    [
      'a layer compression of an unknown kind',
      ['baseline', 'layers', 0, 'compression'],
      'lz4',
      'baseline.layers[0].compression should be one of "gzip", "zstd", "none", not a string'
    ],
    ['a finding without a message', ['findings', 0, 'message'], undefined, 'findings[0].message should be a string, not missing'],
    ['a growth limit below zero', ['growth', 'limit'], -2.5, 'growth.limit should be a number ≥ 0, not -2.5'],
    [
      'a module diff of an unknown kind',
      ['delta', 'binaries', 0, 'modules', 0, 'kind'],
      'moved',
      /^delta\.binaries\[0\]\.modules\[0\]\.kind should be one of "added", /
    ],
    ['no toolchain section', ['goToolchain'], undefined, 'goToolchain should be an object, not missing']
  ])('rejects %s deep inside, naming the field', (_name, path, value, message) => {
    expect(() => parseReportFile(withValueAt(makeFullReport(), path, value))).toThrow(
      message instanceof RegExp ? message : new Error(message)
    )
  })

  it('bounds its lists', () => {
    const layers = Array.from({ length: MAX_LIST_ITEMS + 1 }, () => layer)
    expect(() => parseReportFile(withImage({ layers }))).toThrow(
      new Error(`image.layers should be an array of at most ${MAX_LIST_ITEMS} items, not ${MAX_LIST_ITEMS + 1} items`)
    )
  })
})
