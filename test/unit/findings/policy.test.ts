import { describe, expect, it } from '@jest/globals'
import { MergedFilesystem } from '../../../src/model/filesystem.js'
import type { ImageModel } from '../../../src/model/model.js'
import { evaluate, type MetricFigures, type PolicyOptions } from '../../../src/findings/policy.js'
import { deltaOf } from '../../../src/report/delta.js'
import { verdictLine } from '../../../src/report/checks.js'
import { renderSummary } from '../../../src/report/summary.js'
import { renderText } from '../../../src/report/text.js'
import { buildReport } from '../../../src/report/report.js'
import type { ToolchainScan } from '../../../src/findings/toolchain.js'
import { DEFAULT_RULE_PAGES as RULE_PAGES } from '../../../src/report/rule-page.js'

function model(sizes: number[], instructions: string[] = []): ImageModel {
  const layers = sizes.map((size, index) => ({
    index,
    diffId: `sha256:${index}`,
    size,
    compressedSize: Math.round(size / 3),
    compressedExact: false,
    files: 1,
    ...(instructions[index] ? { instruction: instructions[index], dockerfileLine: index + 1 } : {})
  }))
  const size = sizes.reduce((a, b) => a + b, 0)
  return {
    id: 'sha256:0123456789abcdef',
    platform: 'linux/amd64',
    size,
    compressedSize: layers.reduce((a, l) => a + l.compressedSize, 0),
    compressedExact: false,
    layers,
    config: {},
    env: {},
    filesystem: MergedFilesystem.fromLayers([])
  }
}

const none: ToolchainScan = { toolchains: [], deleted: [], hints: [] }
const noInsight = { binaries: [], advice: null, wasted: { bytes: 0, top: [] } }
const withToolchain: ToolchainScan = {
  toolchains: [
    {
      root: 'usr/lib/go-1.19',
      goVersion: 'go1.19.8',
      binaries: ['usr/lib/go-1.19/bin/go'],
      gorootLayout: true,
      bytes: 378_000_000,
      layer: 0
    }
  ],
  deleted: [],
  hints: ['GOLANG_VERSION=1.19']
}
const options = (extra: Partial<PolicyOptions> = {}): PolicyOptions => ({ sizeMetric: 'uncompressed', failOnGoToolchain: true, ...extra })

describe('evaluate', () => {
  it('passes with no budget and no toolchain', () => {
    expect(evaluate(model([1000]), none, options())).toEqual({ passed: true, budget: null, softBudget: null, growth: null, findings: [] })
  })

  it('fails over budget on the chosen metric, and passes at exactly the budget', () => {
    const over = evaluate(model([3000]), none, options({ maxSize: 2999 }))
    expect(over.passed).toBe(false)
    expect(over.findings).toEqual([
      { rule: 'size-budget', severity: 'error', message: 'image is 3.00 kB uncompressed, 1 B over the max-size budget of 3.00 kB' }
    ])
    expect(evaluate(model([3000]), none, options({ maxSize: 3000 })).passed).toBe(true)
    const compressed = evaluate(model([3000]), none, options({ maxSize: 999, sizeMetric: 'compressed' }))
    expect(compressed.budget).toEqual({ metric: 'compressed', limit: 999, actual: 1000, passed: false })
  })

  it('fails on a toolchain, pointing at the FROM line, with the fix', () => {
    const verdict = evaluate(model([590_000_000], ['FROM image-size-gate/golang:1.19']), withToolchain, options({ fromLine: 2 }))
    expect(verdict.passed).toBe(false)
    const [finding] = verdict.findings
    expect(finding).toMatchObject({ rule: 'go-toolchain', severity: 'error', path: '/usr/lib/go-1.19', layer: 0, line: 2 })
    expect(finding?.message).toBe(
      'final image ships a Go toolchain (go1.19.8) at /usr/lib/go-1.19: 378 MB, added in layer 1 by `FROM image-size-gate/golang:1.19`; ' +
        'fix: build multi-stage: compile in a golang stage, then COPY --from=<build stage> only the binary into scratch, distroless or alpine'
    )
  })

  it('only warns about a toolchain when told not to fail', () => {
    const verdict = evaluate(model([1]), withToolchain, options({ failOnGoToolchain: false }))
    expect(verdict.passed).toBe(true)
    expect(verdict.findings[0]?.severity).toBe('warning')
  })

  it('notes a deleted toolchain without failing', () => {
    const scan: ToolchainScan = {
      toolchains: [],
      deleted: [{ root: 'usr/local/go', goVersion: 'go1.22.1', bytes: 250_000_000, layer: 0, deletedIn: 1 }],
      hints: []
    }
    const verdict = evaluate(model([1, 2]), scan, options())
    expect(verdict.passed).toBe(true)
    expect(verdict.findings[0]).toMatchObject({ rule: 'go-toolchain', severity: 'notice' })
    expect(verdict.findings[0]?.message).toContain('was deleted in layer 2, but its 250 MB still ship in layer 1')
  })
})

describe('growth budget', () => {
  const base = { size: 1_000_000, compressedSize: 400_000 }
  /** The head against its base as the judge hands it over: head minus base computed once, by deltaOf. */
  const grown = (sizes: number[], extra: Partial<PolicyOptions>, against: MetricFigures = base) => {
    const head = model(sizes)
    const delta = deltaOf({ size: head.size, compressedSize: head.compressedSize ?? null }, against)
    return evaluate(head, none, options({ ...extra, baseline: { figures: against, delta, scope: 'image' } }))
  }

  it('fails growth over a percentage of the base', () => {
    const verdict = grown([1_150_000], { maxGrowth: { kind: 'percent', value: 10 } })
    expect(verdict.passed).toBe(false)
    expect(verdict.growth).toEqual({
      metric: 'uncompressed',
      limit: 10,
      limitKind: 'percent',
      actual: 150_000,
      percent: 15,
      scope: 'image',
      passed: false
    })
    expect(verdict.findings).toEqual([
      {
        rule: 'size-growth',
        severity: 'error',
        message: 'image grew by 150 kB (15.0%) uncompressed against the baseline, over the max-growth of 10%'
      }
    ])
  })

  it('passes growth within an absolute limit, and shrinking always passes', () => {
    expect(grown([1_004_000], { maxGrowth: { kind: 'bytes', value: 5000 } }).passed).toBe(true)
    expect(grown([10], { maxGrowth: { kind: 'percent', value: 0 } }).growth?.actual).toBe(-999_990)
  })

  it('measures growth on the compressed metric when asked', () => {
    const verdict = grown([1_500_000], { sizeMetric: 'compressed', maxGrowth: { kind: 'bytes', value: 100_000 } })
    expect(verdict.growth).toMatchObject({ metric: 'compressed', actual: 500_000 - 400_000, passed: true })
  })

  it('says so instead of guessing when the base lacks the metric', () => {
    const verdict = grown([1_500_000], { maxGrowth: { kind: 'percent', value: 1 } }, { size: null, compressedSize: 1 })
    expect(verdict.passed).toBe(true)
    expect(verdict.findings[0]).toMatchObject({ rule: 'size-growth', severity: 'warning' })
  })

  it('judges the delta it is handed, the one the report carries, and does not subtract again', () => {
    const delta = { size: 7000, compressedSize: null }
    const verdict = evaluate(
      model([1_500_000]),
      none,
      options({ maxGrowth: { kind: 'bytes', value: 5000 }, baseline: { figures: base, delta, scope: 'image' } })
    )
    expect(verdict.growth).toMatchObject({ actual: 7000, passed: false })
  })

  it('does nothing without a baseline', () => {
    expect(evaluate(model([1]), none, options({ maxGrowth: { kind: 'percent', value: 1 } })).growth).toBeNull()
  })
})

describe('rendering', () => {
  const failing = (() => {
    const m = model([590_000_000, 1_200_000], ['FROM image-size-gate/golang:1.19', 'RUN go build -o /usr/local/bin/service .'])
    return buildReport(m, withToolchain, evaluate(m, withToolchain, options({ maxSize: 25_000_000 })), noInsight)
  })()

  it('says why it failed in one line', () => {
    expect(verdictLine(failing)).toBe(
      'image-size-gate failed: the image ships a Go toolchain and is over the size budget (591 MB uncompressed, 197 MB compressed (est.))'
    )
  })

  it('renders the summary: verdict, layers largest first, budget and toolchain lines', () => {
    const markdown = renderSummary([failing], RULE_PAGES)
    expect(markdown.split('\n').slice(0, 7)).toEqual([
      '### ❌ ' + verdictLine(failing),
      '',
      'Image <code>0123456789ab</code> · linux/amd64 · 2 layers',
      '',
      '| Layer | Size | Compressed | Instruction |',
      '| ---: | ---: | ---: | --- |',
      '| 1 | 590 MB | ~197 MB | <code>FROM image-size-gate/golang:1.19</code> (line 1) |'
    ])
    // 1.2 MB is under 0.5% of the image, so it folds.
    expect(markdown).toContain('| … | 1.20 MB | ~400 kB | 1 smaller layer |')
    expect(markdown).toContain('**Budget:** 591 MB of 25.0 MB uncompressed — over by 566 MB ❌')
    expect(markdown).toContain('**Go toolchain:** go1.19.8 found at /usr/lib/go-1.19/bin/go (378 MB, layer 1)')
  })

  it('folds small layers into one row', () => {
    const sizes = [10_000_000, ...Array.from({ length: 14 }, () => 1000)]
    const m = model(sizes)
    const markdown = renderSummary([buildReport(m, none, evaluate(m, none, options()), noInsight)], RULE_PAGES)
    expect(markdown).toContain('| … | 14.0 kB | ~4.66 kB | 14 smaller layers |')
    expect(markdown.split('\n').filter((line) => /^\| \d+ \|/.test(line))).toHaveLength(1)
  })

  it('renders text for a terminal', () => {
    const text = renderText(failing, RULE_PAGES)
    expect(text.split('\n')[0]).toBe(verdictLine(failing))
    expect(text).toContain('error: [go-toolchain] final image ships a Go toolchain')
    expect(text).toContain('error: [size-budget] image is 591 MB uncompressed')
  })
})

describe('warn-size, a soft budget', () => {
  it('warns over it and never fails for it; over max-size only the budget speaks', () => {
    const warned = evaluate(model([3000]), none, options({ warnSize: 2000 }))
    expect(warned.passed).toBe(true)
    expect(warned.softBudget).toEqual({ metric: 'uncompressed', limit: 2000, actual: 3000, passed: false })
    expect(warned.findings).toEqual([
      { rule: 'size-warning', severity: 'warning', message: 'image is 3.00 kB uncompressed, 1.00 kB over the warn-size of 2.00 kB' }
    ])
    expect(evaluate(model([2000]), none, options({ warnSize: 2000 })).findings).toEqual([])
    const both = evaluate(model([3000]), none, options({ warnSize: 2000, maxSize: 2500 }))
    expect(both.findings.map((finding) => finding.rule)).toEqual(['size-budget'])
  })
})

describe('growth-scope: own-layers', () => {
  it("judges this Dockerfile's own layers, and says when they are not known on both sides", () => {
    const figures = { size: 1_000_000, compressedSize: 500_000 }
    const own = { figures, delta: { size: 5000, compressedSize: 1000 }, scope: 'own-layers' as const }
    const verdict = evaluate(model([30_000_000]), none, options({ maxGrowth: { kind: 'percent', value: 1 }, baseline: own }))
    expect(verdict.passed).toBe(true)
    expect(verdict.growth).toMatchObject({ actual: 5000, scope: 'own-layers', passed: true })
    const over = evaluate(model([30_000_000]), none, options({ maxGrowth: { kind: 'bytes', value: 10 }, baseline: own }))
    expect(over.findings[0]?.message).toBe(
      "this Dockerfile's own layers grew by 5.00 kB (0.5%) uncompressed against the baseline, over the max-growth of 10 B"
    )
    const unknown = {
      figures: { size: null, compressedSize: null },
      delta: { size: null, compressedSize: null },
      scope: 'own-layers' as const
    }
    const unchecked = evaluate(model([3000]), none, options({ maxGrowth: { kind: 'bytes', value: 10 }, baseline: unknown }))
    expect(unchecked.findings).toEqual([
      {
        rule: 'size-growth',
        severity: 'warning',
        message:
          "max-growth not checked: the uncompressed size of this Dockerfile's own layers is not known on both sides (growth-scope: own-layers)"
      }
    ])
  })
})
