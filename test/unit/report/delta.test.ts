import { describe, expect, it } from '@jest/globals'
import { compare, growingPaths } from '../../../src/report/delta.js'
import { makeReport } from '../../support/report-builder.js'
import type { Baseline, Report, ReportLayer } from '../../../src/report/report.js'
import type { PathUsage } from '../../../src/model/usage.js'

/** A layer; `line` null means it came from the base image. */
function layer(
  diffId: string,
  size: number,
  instruction: string | null,
  line: number | null,
  compressedSize: number | null = Math.round(size / 2)
): ReportLayer {
  return { diffId, size, compressedSize, compressedExact: false, files: 1, createdBy: instruction, instruction, dockerfileLine: line }
}

function report(layers: ReportLayer[], paths: PathUsage[] = []): Report {
  const size = layers.reduce((sum, l) => sum + l.size, 0)
  const compressedSize = layers.reduce((sum, l) => sum + (l.compressedSize ?? 0), 0)
  return makeReport({ size, compressedSize, layers, paths })
}

function baseline(layers: ReportLayer[], paths: PathUsage[] | null = []): Baseline {
  return {
    source: 'build',
    ref: 'abcdef0123456789',
    size: layers.reduce((sum, l) => sum + l.size, 0),
    compressedSize: layers.reduce((sum, l) => sum + (l.compressedSize ?? 0), 0),
    compressedExact: false,
    layers,
    paths
  }
}

const alpine = layer('sha256:alpine', 7_300_000, 'ADD file:5b3ae5cd2ad2fc6e8aa1d2ac8bd6dbb8a0cdb8d3b1b4e4b65bb9a1b3c8b0e4f1 in /', null)
const app = layer('sha256:app', 2_000_000, 'COPY app /app', 2)

describe('compare', () => {
  it('scratch → alpine: the alpine layer is added from the base image, the app layer is unchanged', () => {
    const comparison = compare(report([alpine, app]), baseline([app]))
    expect(comparison.delta).toEqual({ size: 7_300_000, compressedSize: 3_650_000 })
    expect(comparison.percent.size).toBeCloseTo(365)
    expect(comparison.percent.compressedSize).toBeCloseTo(365)
    expect(comparison.parentImageChanged).toBe(true)
    expect(comparison.layers.map((c) => [c.kind, c.origin, c.matchedBy, c.delta])).toEqual([
      ['added', 'parent-image', null, 7_300_000],
      ['unchanged', 'dockerfile', 'digest', 0]
    ])
    expect(comparison.layers[0]?.head?.index).toBe(0)
    expect(comparison.layers[1]?.base?.index).toBe(0)
  })

  it('identical images: every layer unchanged by digest, zero deltas, no base image change', () => {
    const comparison = compare(report([alpine, app]), baseline([alpine, app]))
    expect(comparison.delta).toEqual({ size: 0, compressedSize: 0 })
    expect(comparison.percent).toEqual({ size: 0, compressedSize: 0 })
    expect(comparison.parentImageChanged).toBe(false)
    expect(comparison.layers.every((c) => c.kind === 'unchanged' && c.matchedBy === 'digest' && c.delta === 0)).toBe(true)
  })

  it('matches a rebuilt layer by its instruction and says it grew', () => {
    const before = layer('sha256:run-1', 1_000_000, 'RUN apk add curl', 3)
    const after = layer('sha256:run-2', 2_500_000, 'RUN  apk add   curl', 3)
    const [, , run] = compare(report([alpine, app, after]), baseline([alpine, app, before])).layers
    expect(run).toMatchObject({ kind: 'grown', origin: 'dockerfile', matchedBy: 'instruction', delta: 1_500_000, compressedDelta: 750_000 })
    expect(run?.base?.layer).toBe(before)
    expect(run?.head?.layer).toBe(after)
  })

  it('says shrunk, and treats classic-builder content hashes as the same instruction', () => {
    const before = layer('sha256:c1', 900, 'COPY file:0123456789abcdef0123 in /srv', 2)
    const after = layer('sha256:c2', 400, 'COPY file:fedcba9876543210fedc in /srv', 2)
    const [change] = compare(report([after]), baseline([before])).layers
    expect(change).toMatchObject({ kind: 'shrunk', matchedBy: 'instruction', delta: -500 })
  })

  it('a FROM bump is a base image change; the Dockerfile layers stay matched', () => {
    const newer = layer(
      'sha256:alpine-3.19',
      7_600_000,
      'ADD file:9d0c4a7d4d9ab5ae9a1c1c5e0e7e2a1f6b0b3a3c9ee1d5f7a8b2c4d6e8f0a1b3 in /',
      null
    )
    const comparison = compare(report([newer, app]), baseline([alpine, app]))
    expect(comparison.parentImageChanged).toBe(true)
    expect(comparison.layers.map((c) => [c.kind, c.origin, c.matchedBy, c.delta])).toEqual([
      ['grown', 'parent-image', 'instruction', 300_000],
      ['unchanged', 'dockerfile', 'digest', 0]
    ])
  })

  it('lists head layers in order, then removed base layers in base order, and added ones', () => {
    const a = layer('sha256:a', 10, 'RUN a', 2)
    const b = layer('sha256:b', 20, 'RUN b', 3)
    const c = layer('sha256:c', 30, 'RUN c', 4)
    const d = layer('sha256:d', 40, 'RUN d', 3)
    const comparison = compare(report([alpine, d, a]), baseline([alpine, a, b, c]))
    expect(comparison.layers.map((change) => [change.kind, (change.head ?? change.base)?.layer.diffId])).toEqual([
      ['unchanged', 'sha256:alpine'],
      ['added', 'sha256:d'],
      ['unchanged', 'sha256:a'],
      ['removed', 'sha256:b'],
      ['removed', 'sha256:c']
    ])
    expect(comparison.layers[3]?.delta).toBe(-20)
    expect(comparison.parentImageChanged).toBe(false)
  })

  it('a registry baseline: no uncompressed delta, exact compressed delta, layers judged compressed', () => {
    const registry = (l: ReportLayer, compressed: number): ReportLayer => ({
      ...l,
      size: 0,
      compressedSize: compressed,
      compressedExact: true,
      dockerfileLine: null
    })
    const oldRun = layer('sha256:run-1', 1_000_000, 'RUN apk add curl', null)
    const newRun = layer('sha256:run-2', 900_000, 'RUN apk add curl', 3, 400_000)
    const base: Baseline = {
      ...baseline([]),
      source: 'image',
      ref: 'ghcr.io/acme/app:main',
      size: null,
      compressedSize: 4_600_000,
      compressedExact: true,
      paths: null
    }
    base.layers = [registry(alpine, 3_600_000), registry(app, 1_000_000), registry(oldRun, 500_000)]
    const comparison = compare(report([alpine, app, newRun]), base)
    expect(comparison.delta.size).toBeNull()
    expect(comparison.percent.size).toBeNull()
    expect(comparison.delta.compressedSize).toBe(3_650_000 + 1_000_000 + 400_000 - 4_600_000)
    expect(comparison.paths).toEqual([])
    // The baseline's Dockerfile layers are told apart by position, so the base image did not change.
    expect(comparison.parentImageChanged).toBe(false)
    expect(comparison.layers.map((c) => [c.kind, c.matchedBy, c.compressedDelta])).toEqual([
      ['unchanged', 'digest', 0],
      ['unchanged', 'digest', 0],
      // Uncompressed it would look grown (0 → 900 kB); compressed it shrank.
      ['shrunk', 'instruction', -100_000]
    ])
  })

  it('has no percentage growing from an empty base, and no compressed delta when a side lacks it', () => {
    const empty: Baseline = { ...baseline([]), compressedSize: null }
    const comparison = compare(report([app]), empty)
    expect(comparison.delta).toEqual({ size: 2_000_000, compressedSize: null })
    expect(comparison.percent).toEqual({ size: null, compressedSize: null })
  })
})

describe('growingPaths', () => {
  const mb = 1_000_000
  const base: PathUsage[] = [
    { path: '/usr', size: 10 * mb },
    { path: '/usr/lib', size: 8 * mb },
    { path: '/usr/share', size: 2 * mb },
    { path: '/app', size: 4 * mb },
    { path: '/var', size: 1 * mb }
  ]
  const head: PathUsage[] = [
    { path: '/usr', size: 390 * mb },
    { path: '/usr/lib', size: 388 * mb },
    { path: '/usr/lib/go-1.19', size: 378 * mb },
    { path: '/usr/share', size: 2 * mb },
    { path: '/app', size: 5 * mb },
    { path: '/var', size: 11 * mb },
    { path: '/var/a', size: 5 * mb },
    { path: '/var/b', size: 5 * mb }
  ]

  it('shows the most specific path when a descendant explains ≥ 90% of a parent’s growth', () => {
    expect(growingPaths(head, base)).toEqual([
      { path: '/usr/lib/go-1.19', base: 0, head: 378 * mb, delta: 378 * mb },
      { path: '/var', base: 1 * mb, head: 11 * mb, delta: 10 * mb },
      { path: '/var/a', base: 0, head: 5 * mb, delta: 5 * mb },
      { path: '/var/b', base: 0, head: 5 * mb, delta: 5 * mb },
      { path: '/app', base: 4 * mb, head: 5 * mb, delta: 1 * mb }
    ])
  })

  it('keeps the top 10 growers, counting a path missing on one side as 0 there and leaving out shrinkage', () => {
    const many = Array.from({ length: 15 }, (_, i) => ({ path: `/data/f${String(i).padStart(2, '0')}.bin`, size: (i + 1) * 100_000 }))
    const paths = growingPaths(many, [
      { path: '/gone', size: 5 * mb },
      { path: '/data/f14.bin', size: 1_400_000 }
    ])
    expect(paths).toHaveLength(10)
    expect(paths[0]).toEqual({ path: '/data/f13.bin', base: 0, head: 1_400_000, delta: 1_400_000 })
    expect(paths.map((p) => p.path)).not.toContain('/data/f14.bin')
    expect(paths.map((p) => p.path)).not.toContain('/gone')
  })

  it('compare uses the union of both tables, and [] when the baseline has no paths', () => {
    expect(compare(report([app], head), baseline([app], base)).paths[0]?.path).toBe('/usr/lib/go-1.19')
    expect(compare(report([app], head), baseline([app], null)).paths).toEqual([])
  })
})
