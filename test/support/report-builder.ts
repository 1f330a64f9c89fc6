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
      ...image
    },
    goToolchain: { found: false, paths: [], goVersion: null, bytes: 0, layer: null, deleted: [], hints: [] },
    binaries: [],
    advice: null,
    wasted: { bytes: 0, top: [] },
    budget: null,
    baseline: null,
    baselineNote: null,
    delta: null,
    growth: null,
    findings: [],
    passed: true,
    ...extra
  }
}
