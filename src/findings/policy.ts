import type { GrowthScope, Limit, SizeMetric } from '../size.js'
import type { Budget, Growth } from './budget.js'
import { truncate, type Finding, type Severity } from './finding.js'
import type { ImageModel } from '../model/model.js'
import { formatBytes, formatLimit, formatShare } from '../size.js'
import type { DeletedToolchain, Toolchain, ToolchainScan } from './toolchain.js'

/** A figure per size metric; null where it is not known (a registry baseline has no uncompressed size). */
export interface MetricFigures {
  size: number | null
  compressedSize: number | null
}

export interface PolicyOptions {
  maxSize?: number
  sizeMetric: SizeMetric
  failOnGoToolchain: boolean
  /** The selected stage's FROM line, where a toolchain finding is annotated. */
  fromLine?: number
  maxGrowth?: Limit
  /** The soft budget: over it is a warning, never a failure. */
  warnSize?: number
  /**
   * The baseline's figures and head minus baseline on the growth budget's scope (the whole image: the one
   * delta the report carries too); when there is a baseline.
   */
  baseline?: { figures: MetricFigures; delta: MetricFigures; scope: GrowthScope }
}

export interface Verdict {
  passed: boolean
  budget: Budget | null
  softBudget: Budget | null
  growth: Growth | null
  findings: Finding[]
}

/** The fix the seeds' ladder teaches: compile in one stage, ship only the binary. */
export const TOOLCHAIN_FIX =
  'build multi-stage: compile in a golang stage, then COPY --from=<build stage> only the binary into scratch, distroless or alpine'

/** Applies the budget, growth and toolchain rules to the image, with the insight rules' findings; errors fail. */
export function evaluate(model: ImageModel, scan: ToolchainScan, options: PolicyOptions, insight: Finding[] = []): Verdict {
  const budget = measureBudget(model, options.maxSize, options.sizeMetric)
  const softBudget = measureBudget(model, options.warnSize, options.sizeMetric)
  const findings: Finding[] = [...insight]
  for (const toolchain of scan.toolchains) findings.push(toolchainFinding(model, toolchain, options))
  for (const deleted of scan.deleted) findings.push(deletedToolchainFinding(model, deleted))
  if (budget && !budget.passed) findings.push(budgetFinding(budget))
  // Over max-size says it all; the soft budget speaks only below it.
  if (softBudget && !softBudget.passed && budget?.passed !== false) findings.push(softBudgetFinding(softBudget))
  const growth = measureGrowth(options)
  if (growth.finding) findings.push(growth.finding)
  // What fails the job first, then what to fix, then what to know; stable within a severity.
  findings.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity])
  return { passed: !findings.some((finding) => finding.severity === 'error'), budget, softBudget, growth: growth.growth, findings }
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, notice: 2 }

/** Head minus baseline on the budget's metric, against max-growth; unknown baseline figures are said, not guessed. */
function measureGrowth(options: PolicyOptions): { growth: Growth | null; finding?: Finding } {
  const limit = options.maxGrowth
  if (!limit || !options.baseline) return { growth: null }
  const metric = options.sizeMetric
  const figure = metric === 'uncompressed' ? 'size' : 'compressedSize'
  const { scope } = options.baseline
  const before = options.baseline.figures[figure]
  const actual = options.baseline.delta[figure]
  if (before === null || actual === null) {
    const message =
      scope === 'own-layers'
        ? `max-growth not checked: the ${metric} size of this Dockerfile's own layers is not known on both sides (growth-scope: own-layers)`
        : `max-growth not checked: the baseline has no ${metric} size; use size-metric: compressed with a registry baseline`
    return { growth: null, finding: { rule: 'size-growth', severity: 'warning', message } }
  }
  const percent = before > 0 ? (actual / before) * 100 : null
  const allowed = limit.kind === 'bytes' ? limit.value : (before * limit.value) / 100
  const growth: Growth = { metric, limit: limit.value, limitKind: limit.kind, actual, percent, scope, passed: actual <= allowed }
  if (growth.passed) return { growth }
  const shown = formatLimit(limit)
  const grewBy = `${formatBytes(actual)}${percent === null ? '' : ` (${formatShare(percent)})`}`
  const what = scope === 'own-layers' ? "this Dockerfile's own layers" : 'image'
  const message = `${what} grew by ${grewBy} ${metric} against the baseline, over the max-growth of ${shown}`
  return { growth, finding: { rule: 'size-growth', severity: 'error', message } }
}

/** The measured figure for a metric; throws if the caller skipped measuring it. */
export function metricValue(model: ImageModel, metric: SizeMetric): number {
  if (metric === 'uncompressed') return model.size
  if (model.compressedSize === undefined) throw new Error('compressed size was not measured')
  return model.compressedSize
}

function measureBudget(model: ImageModel, limit: number | undefined, metric: SizeMetric): Budget | null {
  if (limit === undefined) return null
  const actual = metricValue(model, metric)
  return { metric, limit, actual, passed: actual <= limit }
}

function softBudgetFinding(budget: Budget): Finding {
  const over = budget.actual - budget.limit
  return {
    rule: 'size-warning',
    severity: 'warning',
    message: `image is ${formatBytes(budget.actual)} ${budget.metric}, ${formatBytes(over)} over the warn-size of ${formatBytes(budget.limit)}`
  }
}

function budgetFinding(budget: Budget): Finding {
  const over = budget.actual - budget.limit
  return {
    rule: 'size-budget',
    severity: 'error',
    message: `image is ${formatBytes(budget.actual)} ${budget.metric}, ${formatBytes(over)} over the max-size budget of ${formatBytes(budget.limit)}`
  }
}

function toolchainFinding(model: ImageModel, toolchain: Toolchain, options: PolicyOptions): Finding {
  const layer = model.layers[toolchain.layer]
  const origin = layer?.instruction ? ` by \`${truncate(layer.instruction, 120)}\`` : ''
  const finding: Finding = {
    rule: 'go-toolchain',
    severity: options.failOnGoToolchain ? 'error' : 'warning',
    message:
      `final image ships a Go toolchain (${toolchain.goVersion}) at /${toolchain.root}: ` +
      `${formatBytes(toolchain.bytes)}, added in layer ${toolchain.layer + 1}${origin}; fix: ${TOOLCHAIN_FIX}`,
    path: `/${toolchain.root}`,
    layer: toolchain.layer
  }
  if (options.fromLine !== undefined) finding.line = options.fromLine
  return finding
}

function deletedToolchainFinding(model: ImageModel, deleted: DeletedToolchain): Finding {
  return {
    rule: 'go-toolchain',
    severity: 'notice',
    message:
      `a Go toolchain (${deleted.goVersion}) at /${deleted.root} was deleted in layer ${deleted.deletedIn + 1}, ` +
      `but its ${formatBytes(deleted.bytes)} still ship in layer ${deleted.layer + 1}; ${TOOLCHAIN_FIX}`,
    path: `/${deleted.root}`,
    layer: deleted.layer,
    ...(model.layers[deleted.layer]?.dockerfileLine !== undefined ? { line: model.layers[deleted.layer]?.dockerfileLine } : {})
  }
}
