/**
 * Reports of many images, as a matrix of jobs would write them: each with its origin, a baseline, a
 * layer diff, paths that grew, a Go binary whose modules changed, and findings, so every part of a
 * folded section has something to show. They pass the report's schema (checked where they are used).
 */
import { diffGoBinaries, goBinaries } from '../../src/report/godiff.js'
import type { Baseline, Report, ReportLayer } from '../../src/report/report.js'
import { GO_BINARY, makeReport } from './report-builder.js'

const mb = 1_000_000

export interface ImageSpec {
  /** The image's name, as comment-key or the Dockerfile and target give it. */
  title: string
  platform?: string
  /** Head size in bytes; the baseline is `base` (default: 1 MB less). */
  size: number
  base?: number
  /** max-size; the report fails when the image is over it. */
  maxSize?: number
  pullRequest?: number
  commit?: string
}

function layer(index: number, size: number, instruction: string | null): ReportLayer {
  return {
    diffId: `sha256:${index.toString(16).padStart(4, '0')}${size.toString(16).padStart(60, '0')}`,
    size,
    compressedSize: Math.round(size / 2),
    compressedExact: true,
    compression: 'gzip',
    files: 10 + index,
    createdBy: instruction ?? 'ADD file:0123abcd in /',
    instruction,
    dockerfileLine: instruction ? index + 1 : null
  }
}

/** Twelve layers: a parent image's three, then the Dockerfile's nine, the last holding the growth. */
function layers(total: number, salt: string): ReportLayer[] {
  const parent = [0, 1, 2].map((index) => layer(index, 2 * mb, null))
  const own = Array.from({ length: 8 }, (_, index) => layer(index + 3, 100_000, `RUN step-${index} --flag=${salt}`))
  const rest = total - parent.reduce((sum, each) => sum + each.size, 0) - own.reduce((sum, each) => sum + each.size, 0)
  return [...parent, ...own, layer(11, Math.max(0, rest), `COPY --from=build /out/${salt} /app`)]
}

function paths(total: number, salt: string): Report['image']['paths'] {
  return Array.from({ length: 12 }, (_, index) => ({ path: `/app/${salt}/lib-${index}`, size: Math.round(total / (index + 2)) }))
}

/** One image's report against its baseline, with everything a folded section shows. */
export function imageReport(spec: ImageSpec): Report {
  const base = spec.base ?? spec.size - mb
  const head = { ...GO_BINARY, path: '/app/server', size: spec.size > base ? 2_000_000 : 1_500_000 }
  const attribution = GO_BINARY.goAttribution as NonNullable<typeof GO_BINARY.goAttribution>
  const baseModules = [{ ...attribution.modules[0]!, version: 'go1.22.3', bytes: 700 }]
  const baseBinary = { ...GO_BINARY, path: '/app/server', size: 1_500_000, goAttribution: { ...attribution, modules: baseModules } }
  const baseline: Baseline = {
    source: 'history',
    ref: 'b'.repeat(40),
    size: base,
    compressedSize: Math.round(base / 2),
    compressedExact: true,
    layers: layers(base, 'base'),
    paths: paths(base, 'x'),
    binaries: goBinaries([baseBinary])
  }
  const over = spec.maxSize !== undefined && spec.size > spec.maxSize
  const budget =
    spec.maxSize === undefined ? null : { metric: 'uncompressed' as const, limit: spec.maxSize, actual: spec.size, passed: !over }
  const findings: Report['findings'] = over
    ? [{ rule: 'size-budget', severity: 'error', message: `image is over the max-size budget by ${spec.size - (spec.maxSize ?? 0)} B` }]
    : []
  return makeReport(
    {
      platform: spec.platform ?? 'linux/amd64',
      size: spec.size,
      compressedSize: Math.round(spec.size / 2),
      compressedExact: true,
      layers: layers(spec.size, 'head'),
      paths: paths(spec.size, 'x')
    },
    {
      binaries: [head],
      budget,
      baseline,
      delta: {
        size: spec.size - base,
        compressedSize: Math.round(spec.size / 2) - Math.round(base / 2),
        binaries: diffGoBinaries([head], [baseBinary])
      },
      findings,
      passed: !over,
      origin: {
        key: spec.title,
        title: spec.title,
        commit: spec.commit ?? 'c'.repeat(40),
        pullRequest: spec.pullRequest ?? 7,
        runUrl: null
      }
    }
  )
}

/** `count` images named service-001…, growing by 1–`count` × 100 kB, the n-th of every `failEvery` over its budget. */
export function imageReports(count: number, failEvery = 0): Report[] {
  return Array.from({ length: count }, (_, index) => {
    const size = 30 * mb + (index + 1) * 100_000
    const fails = failEvery > 0 && index % failEvery === 0
    return imageReport({
      title: `services/service-${String(index + 1).padStart(3, '0')}/Dockerfile`,
      size,
      maxSize: fails ? 20 * mb : 50 * mb
    })
  })
}
