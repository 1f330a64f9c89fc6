import { describe, expect, it } from '@jest/globals'
import { renderComment, type CommentOptions } from '../../../src/report/comment.js'
import { compare } from '../../../src/report/delta.js'
import { makeReport } from '../../support/report-builder.js'
import { DEFAULT_RULE_PAGES as RULE_PAGES } from '../../../src/report/rule-page.js'
import type { Finding } from '../../../src/findings/finding.js'
import type { Baseline, Report, ReportLayer } from '../../../src/report/report.js'
import type { PathUsage } from '../../../src/model/usage.js'

const mb = 1_000_000

/** A layer; `line` null means it came from the base image. Compressed is half, estimated. */
function layer(diffId: string, size: number, instruction: string | null, line: number | null): ReportLayer {
  return {
    diffId,
    size,
    compressedSize: size / 2,
    compressedExact: false,
    files: 1,
    createdBy: instruction,
    instruction,
    dockerfileLine: line
  }
}

function report(layers: ReportLayer[], extra: Partial<Report> = {}, paths: PathUsage[] = []): Report {
  const size = layers.reduce((sum, l) => sum + l.size, 0)
  return makeReport({ size, compressedSize: size / 2, layers, paths }, extra)
}

function baseline(layers: ReportLayer[], paths: PathUsage[] | null = []): Baseline {
  const size = layers.reduce((sum, l) => sum + l.size, 0)
  return { source: 'build', ref: 'abcdef0123456789', size, compressedSize: size / 2, compressedExact: false, layers, paths }
}

/** Renders head against base the way the action does: the report carries its baseline. */
function pullRequest(head: Report, base: Baseline, options: Partial<CommentOptions> = {}): string {
  const withBase = { ...head, baseline: base }
  return renderComment(withBase, compare(withBase, base), { rulePages: RULE_PAGES, ...options })
}

/** Every table row whole, every `<details>` closed. */
function expectWellFormed(markdown: string): void {
  expect(markdown.split('<details>').length).toBe(markdown.split('</details>').length)
  for (const line of markdown.split('\n').filter((l) => l.startsWith('|'))) expect(line).toMatch(/ \|$/)
}

const alpine = layer('sha256:alpine', 7.3 * mb, 'ADD file:5b3ae5cd2ad2fc6e8aa1d2ac8bd6dbb8 in /', null)
const app = layer('sha256:app', 2 * mb, 'COPY app /app', 2)

describe('renderComment', () => {
  it('scratch → alpine: figures, percentages and the base image layer that was added', () => {
    const markdown = pullRequest(report([alpine, app], {}, [{ path: '/lib', size: 3 * mb }]), baseline([app]), {
      title: 'Dockerfile (linux/amd64)'
    })
    expect(markdown).toMatch(/^### ✅ image-size-gate passed: 9\.30 MB uncompressed/)
    expect(markdown).toContain('**Dockerfile (linux/amd64)** · image <code>0123456789ab</code> · linux/amd64 · 2 layers')
    expect(markdown).toContain('Compared with the base commit <code>abcdef0</code> (built).')
    expect(markdown).toContain('| Uncompressed | 2.00 MB → 9.30 MB | +7.30 MB | +365.0% |')
    expect(markdown).toContain('| Compressed | ~1.00 MB → ~4.65 MB | ~+3.65 MB | ~+365.0% |')
    expect(markdown).toContain('**Layers:** 1 added · 1 unchanged (not listed)')
    expect(markdown).toContain("⚠️ **The base image changed** (`FROM`): base image +7.30 MB, this Dockerfile's layers ±0 B (uncompressed).")
    expect(markdown).toContain(
      '| ➕ added | base image | 1 | 7.30 MB | +7.30 MB | <code>ADD file:5b3ae5cd2ad2fc6e8aa1d2ac8bd6dbb8 in /</code> |'
    )
    expect(markdown).toContain('| <code>/lib</code> | 0 B | 3.00 MB | +3.00 MB |')
    // Unchanged layers are counted, not listed in the diff; the details still have every layer.
    expect(markdown).not.toMatch(/^\| unchanged \|/m)
    expect(markdown).toContain('| 2 | 2.00 MB | ~1.00 MB | <code>COPY app /app</code> (line 2) |')
    expectWellFormed(markdown)
  })

  it('identical images: nothing moved, ±0 everywhere', () => {
    const markdown = pullRequest(report([alpine, app]), baseline([alpine, app]))
    expect(markdown).toContain('| Uncompressed | 9.30 MB → 9.30 MB | ±0 B | ±0% |')
    expect(markdown).toContain('**Layers:** all 2 unchanged')
    expect(pullRequest(report([app]), baseline([app]))).toContain('**Layers:** 1 unchanged\n')
    expect(markdown).not.toContain('| Change |')
    expect(markdown).not.toContain('base image changed')
    expect(markdown).toContain('_No path grew._')
  })

  it('a layer matched by instruction that grew, with its line and an escaped pipe', () => {
    const before = layer('sha256:run-1', 1 * mb, 'RUN apk add curl | tee /log', 3)
    const after = layer('sha256:run-2', 2.2 * mb, 'RUN apk add curl | tee /log', 3)
    const markdown = pullRequest(report([alpine, app, after]), baseline([alpine, app, before]))
    expect(markdown).toContain('**Layers:** 1 grown · 2 unchanged (not listed)')
    expect(markdown).toContain(
      '| 🔺 grown | Dockerfile | 3 | 2.20 MB | +1.20 MB | <code>RUN apk add curl &#124; tee /log</code> (line 3) |'
    )
  })

  it('a FROM bump is reported as a base image change, grouped before the Dockerfile rows', () => {
    const newer = layer('sha256:alpine-3.19', 7.6 * mb, 'ADD file:9d0c4a7d4d9ab5ae9a1c1c5e0e7e2a1f in /', null)
    const run = layer('sha256:run', 1 * mb, 'RUN make', 3)
    const markdown = pullRequest(report([newer, app, run]), baseline([alpine, app]))
    expect(markdown).toContain("**The base image changed** (`FROM`): base image +300 kB, this Dockerfile's layers +1.00 MB (uncompressed).")
    const grown = markdown.indexOf('| 🔺 grown | base image | 1 |')
    const added = markdown.indexOf('| ➕ added | Dockerfile | 3 |')
    expect(grown).toBeGreaterThan(0)
    expect(added).toBeGreaterThan(grown)
  })

  it('a registry baseline: uncompressed unknown, compressed exact, said in the footnote', () => {
    const head = report([alpine, app])
    const registry: Baseline = {
      source: 'image',
      ref: 'ghcr.io/acme/app:main',
      size: null,
      compressedSize: 4 * mb,
      compressedExact: true,
      layers: [
        { ...alpine, size: 0, compressedSize: 3 * mb, compressedExact: true },
        { ...app, size: 0, compressedSize: 1 * mb, compressedExact: true, dockerfileLine: null }
      ],
      paths: null
    }
    const markdown = pullRequest(head, registry)
    expect(markdown).toContain('Compared with the image <code>ghcr.io/acme/app:main</code>.')
    expect(markdown).toContain('| Uncompressed | – → 9.30 MB | – | – |')
    expect(markdown).toContain('| Compressed | 4.00 MB → ~4.65 MB | ~+650 kB | ~+16.3% |')
    expect(markdown).toContain(
      'The baseline knows compressed sizes exactly, but not uncompressed sizes or its files, so paths are not compared.'
    )
    expect(markdown).toContain('_The baseline has no file listing, so paths are not compared._')
    const message = 'max-growth not checked: the baseline has no uncompressed size; use size-metric: compressed with a registry baseline'
    const unchecked = pullRequest(report([alpine, app], { findings: [{ rule: 'size-growth', severity: 'warning', message }] }), registry)
    expect(unchecked).toContain(`**Growth:** ⚠️ ${message}`)
  })

  it('no baseline: the note, and the head figures alone', () => {
    const head = report([alpine, app], { baselineNote: 'new image: the base commit has no examples/go-service/Dockerfile' })
    const markdown = renderComment(head, null, { rulePages: RULE_PAGES })
    expect(markdown).toContain(
      "🆕 new image: the base commit has no examples/go-service/Dockerfile. The figures are the head image's alone."
    )
    expect(markdown).toContain('| | Head |\n| --- | ---: |\n| Uncompressed | 9.30 MB |\n| Compressed | ~4.65 MB |')
    expect(markdown).not.toContain('Base → Head')
    expect(markdown).not.toContain('**Layers:**')
    // With no baseline and no max-growth, there is nothing to say about growth.
    expect(markdown).not.toContain('**Growth:**')
    expect(markdown).not.toContain('**Budget:**')
    expect(renderComment({ ...head, baselineNote: 'base did not build: no such stage' }, null, { rulePages: RULE_PAGES })).toContain(
      '⚠️ base did not build: no such stage.'
    )
  })

  it('a pull request that ships a Go toolchain fails with that reason', () => {
    const finding: Finding = {
      rule: 'go-toolchain',
      severity: 'error',
      message: 'final image ships a Go toolchain (go1.19.8) at /usr/lib/go-1.19',
      path: '/usr/lib/go-1.19',
      layer: 0
    }
    const goToolchain = {
      found: true,
      paths: ['/usr/lib/go-1.19/bin/go'],
      goVersion: 'go1.19.8',
      bytes: 378 * mb,
      layer: 0,
      deleted: [],
      hints: []
    }
    const markdown = pullRequest(report([alpine, app], { findings: [finding], goToolchain, passed: false }), baseline([app]))
    expect(markdown).toMatch(/^### ❌ image-size-gate failed: the image ships a Go toolchain \(/)
    expect(markdown).toContain('**Go toolchain:** go1.19.8 found at /usr/lib/go-1.19/bin/go (378 MB, layer 1)')
    expect(markdown).toContain(
      '<details><summary>Findings (1)</summary>\n\n- ❌ [<code>go-toolchain</code>](https://github.com/image-size-gate/image-size-gate/blob/main/docs/rules/go-toolchain.md): final image ships a Go toolchain (go1.19.8) at /usr/lib/go-1.19\n\n</details>'
    )
  })

  it('growth over max-growth: the growth line is ❌ and the verdict says why; none set otherwise', () => {
    const growth = {
      metric: 'uncompressed' as const,
      limit: 10,
      limitKind: 'percent' as const,
      actual: 1.2 * mb,
      percent: 12,
      scope: 'image' as const,
      passed: false
    }
    const finding: Finding = {
      rule: 'size-growth',
      severity: 'error',
      message: 'image grew by 1.20 MB (12.0%) uncompressed against the baseline, over the max-growth of 10%'
    }
    const head = report([alpine, app], { growth, findings: [finding], passed: false })
    const markdown = pullRequest(head, baseline([alpine, layer('sha256:app-0', 0.8 * mb, 'COPY app /app', 2)]))
    expect(markdown).toContain('**Growth:** +1.20 MB (+12.0%) uncompressed of a max-growth of 10% — over the limit ❌')
    expect(markdown).toContain('image-size-gate failed: the image grew more than max-growth allows')
    const passing = pullRequest(
      report([alpine, app], { growth: { ...growth, limitKind: 'bytes', limit: 2 * mb, passed: true } }),
      baseline([alpine])
    )
    expect(passing).toContain('of a max-growth of 2.00 MB — within the limit ✅')
    expect(pullRequest(report([alpine, app]), baseline([alpine]))).not.toContain('**Growth:**')
  })

  it('shows the most specific path, not its parents that repeat the same growth', () => {
    const headPaths = [
      { path: '/usr', size: 390 * mb },
      { path: '/usr/lib', size: 388 * mb },
      { path: '/usr/lib/go-1.19', size: 378 * mb }
    ]
    const basePaths = [
      { path: '/usr', size: 10 * mb },
      { path: '/usr/lib', size: 8 * mb }
    ]
    const markdown = pullRequest(report([alpine, app], {}, headPaths), baseline([alpine, app], basePaths))
    expect(markdown).toContain('| <code>/usr/lib/go-1.19</code> | 0 B | 378 MB | +378 MB |')
    expect(markdown).not.toContain('| <code>/usr/lib</code> |')
    expect(markdown).not.toContain('| <code>/usr</code> |')
  })

  describe('length limit', () => {
    const huge = () => {
      const layers = Array.from({ length: 3000 }, (_, i) =>
        layer(`sha256:h${i}`, 1000 + i, `RUN step ${i} && echo ${'x'.repeat(60)}`, i + 2)
      )
      const baseLayers = Array.from({ length: 2000 }, (_, i) =>
        layer(`sha256:b${i}`, 900, `RUN step ${i} && echo ${'x'.repeat(60)}`, i + 2)
      )
      const paths = Array.from({ length: 3000 }, (_, i) => ({ path: `/srv/d${i}/f.bin`, size: 70_000 + i }))
      const findings = Array.from({ length: 50 }, (_, i): Finding => ({
        rule: 'size-budget',
        severity: 'warning',
        message: `finding ${i} ${'y'.repeat(100)}`
      }))
      return { head: report(layers, { findings }, paths), base: baseline(baseLayers, []) }
    }
    const pathRows = (markdown: string) => markdown.match(/^\| <code>\/srv\//gm)?.length ?? 0
    const diffRows = (markdown: string) => markdown.match(/^\| (🔺 grown|➕ added) \|/gm)?.length ?? 0

    it('keeps a report of thousands of layers and paths within 65 536 − 200, well-formed, with the notice', () => {
      const { head, base } = huge()
      const markdown = pullRequest(head, base)
      expect(markdown.length).toBeLessThanOrEqual(65_536 - 200)
      expect(markdown.length).toBeGreaterThan(60_000)
      expectWellFormed(markdown)
      // The layer diff stops at 50 rows; the details' layer table is cut to what fits.
      expect(markdown).toContain('… 2950 more layers not shown; see the job summary')
      expect(markdown).toMatch(
        /<details><summary>All 3000 layers of the head image<\/summary>[^]*\n\n… \d+ more layers not shown; see the job summary\n\n<\/details>/
      )
      expect(pathRows(markdown)).toBe(10)
      expect(markdown).toContain('| <code>/srv/d2999/f.bin</code> |')
      expect(diffRows(markdown)).toBe(50)
    })

    it('drops details, then path rows, then layer rows as the limit tightens', () => {
      const { head, base } = huge()
      const noDetails = pullRequest(head, base, { maxLength: 10_000 })
      expect(noDetails.length).toBeLessThanOrEqual(9_800)
      expectWellFormed(noDetails)
      expect(noDetails).not.toContain('All 3000 layers of the head image')
      expect(noDetails).toContain("_The head image's layer table is left out to fit the comment; see the job summary._")
      expect([pathRows(noDetails), diffRows(noDetails)]).toEqual([10, 50])

      const noPaths = pullRequest(head, base, { maxLength: 6_000 })
      expect(noPaths.length).toBeLessThanOrEqual(5_800)
      expectWellFormed(noPaths)
      expect(noPaths).not.toContain('<details>')
      expect(noPaths).toContain('_The findings are left out to fit the comment; see the job summary._')
      expect(noPaths).toContain('… 10 more paths not shown')
      expect(pathRows(noPaths)).toBe(0)
      expect(diffRows(noPaths)).toBeGreaterThan(10)
      expect(noPaths).toMatch(/… \d+ more layers not shown; see the job summary/)

      const noLayers = pullRequest(head, base, { maxLength: 1_150 })
      expect(noLayers.length).toBeLessThanOrEqual(950)
      expectWellFormed(noLayers)
      expect(diffRows(noLayers)).toBe(0)
      expect(noLayers).toContain('… 3000 more layers not shown; see the job summary')
      expect(noLayers).toContain('**Go toolchain:**')

      // Below even the fixed lines, the comment is cut between lines, never inside a row.
      const cut = pullRequest(head, base, { maxLength: 900 })
      expect(cut.length).toBeLessThanOrEqual(700)
      expectWellFormed(cut)
      expect(cut).toMatch(/\n\n… the rest of this comment is not shown; see the job summary$/)
    })

    it('leaves a comment that fits untouched', () => {
      const markdown = pullRequest(report([alpine, app]), baseline([app]))
      expect(markdown).not.toContain('not shown')
      expect(markdown).toContain(
        '<details><summary>All 2 layers of the head image</summary>\n\n| Layer | Size | Compressed | Instruction |'
      )
      expect(markdown).toContain('| 2 | 2.00 MB | ~1.00 MB | <code>COPY app /app</code> (line 2) |\n\n</details>')
    })
  })
})
