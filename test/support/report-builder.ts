import type { GoAttribution } from '../../src/binary/goattribution.js'
import type { BinaryFact } from '../../src/findings/binaries.js'
import { diffGoBinaries, goBinaries } from '../../src/report/godiff.js'
import type { Report } from '../../src/report/report.js'

/** A complete report for a passing image with no findings; tests override only what they exercise. */
export function makeReport(image: Partial<Report['image']> = {}, extra: Partial<Report> = {}): Report {
  return {
    schemaVersion: 1,
    image: {
      id: 'sha256:0123456789abcdef',
      configDigest: null,
      platform: 'linux/amd64',
      size: 0,
      compressedSize: 0,
      compressedExact: false,
      layers: [],
      paths: [],
      parentImage: null,
      ...image
    },
    goToolchain: { found: false, paths: [], goVersion: null, bytes: 0, layer: null, deleted: [], hints: [] },
    binaries: [],
    advice: null,
    wasted: { bytes: 0, top: [] },
    budget: null,
    softBudget: null,
    baseline: null,
    baselineNote: null,
    delta: null,
    growth: null,
    findings: [],
    passed: true,
    origin: null,
    ...extra
  }
}

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

export const GO_ATTRIBUTION: GoAttribution = {
  goVersion: 'go1.22.4',
  settings: { '-ldflags': '-s -w', CGO_ENABLED: '0' },
  modules: [{ path: 'std', version: 'go1.22.4', bytes: 900, code: 800 }],
  packages: [{ name: 'fmt', bytes: 50, code: 40 }],
  buckets: [{ name: 'pclntab', bytes: 300 }],
  symbolData: true,
  codeOnlyBuckets: [{ name: 'pclntab', bytes: 400 }],
  textBytes: 1000,
  paddingBytes: 10,
  namedTextBytes: 990
}

export const GO_BINARY: BinaryFact = {
  path: '/app',
  size: 1310,
  static: true,
  interpreter: null,
  needed: [],
  stripped: true,
  strippableBytes: null,
  goVersion: 'go1.22.4',
  module: 'example.com/app',
  cgo: false,
  trimpath: true,
  vcsRevision: null,
  uses: { tls: true, tzdata: false, user: false },
  goAttribution: GO_ATTRIBUTION
}

/** A report with every optional part filled in (a baseline, a module diff, findings), as JSON brings it back. */
export function makeFullReport(): Report {
  const base = {
    ...GO_BINARY,
    size: 1000,
    goAttribution: { ...GO_ATTRIBUTION, modules: [{ path: 'std', version: 'go1.22.3', bytes: 600 }] }
  }
  const report = makeReport(
    {
      id: 'sha256:0123',
      configDigest: 'sha256:c0ff',
      size: 5,
      compressedSize: 3,
      compressedExact: true,
      layers: [layer],
      paths: [{ path: '/app', size: 5 }]
    },
    {
      binaries: [GO_BINARY],
      advice: { scratchBytes: 1310, distrolessBytes: 2_001_310, nowBytes: 5, text: 'this image could be smaller' },
      wasted: { bytes: 7, top: [{ path: '/tmp/x', bytes: 7, layer: 0, hiddenBy: 1 }] },
      budget: { metric: 'compressed', limit: 10, actual: 3, passed: true },
      baseline: {
        source: 'report',
        ref: 'base.json',
        note: 'from the cache',
        size: 4,
        compressedSize: null,
        compressedExact: false,
        layers: [{ ...layer, compression: 'gzip', compressedFrom: 'report old.json' }],
        paths: null,
        binaries: goBinaries([base])
      },
      delta: { size: 1, compressedSize: null, binaries: diffGoBinaries([GO_BINARY], [base]) },
      growth: { metric: 'uncompressed', limit: 2.5, limitKind: 'percent', actual: -1, percent: -20, scope: 'image', passed: true },
      findings: [{ rule: 'root-user', severity: 'notice', message: 'runs as root', line: 3 }]
    }
  )
  return JSON.parse(JSON.stringify(report)) as Report
}
