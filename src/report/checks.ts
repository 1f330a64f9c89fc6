/**
 * The verdict and the checks behind it, in the words that the job summary, the comment and the
 * terminal all use; markdown goes through the one escaping module.
 */
import type { Finding } from '../findings/finding.js'
import { codeSpan, escapeText, link } from './markdown.js'
import type { Report, ReportLayer } from './report.js'
import type { Budget } from '../findings/budget.js'
import { rulePage, type RulePages } from './rule-page.js'
import { formatBytes, formatDelta, formatLimit, formatPercent } from '../size.js'

const FAILURE_REASON: Record<Finding['rule'], string> = {
  'go-toolchain': 'ships a Go toolchain',
  'size-budget': 'is over the size budget',
  'size-growth': 'grew more than max-growth allows',
  'size-warning': 'is over the warn-size',
  'missing-entrypoint': 'cannot start: its entrypoint is missing',
  'missing-interpreter': "cannot start: its entrypoint's ELF interpreter is missing",
  'missing-library': 'cannot start: its entrypoint needs a missing shared library',
  'missing-ca-certificates': 'has no CA certificates for TLS',
  'missing-tzdata': 'has no time zone data',
  'unstripped-binary': 'ships unstripped binaries',
  'build-cache': 'ships build caches',
  'wasted-bytes': 'wastes more bytes than max-wasted allows',
  'root-user': 'runs as root'
}

const SEVERITY_ICON: Record<Finding['severity'], string> = { error: '❌', warning: '⚠️', notice: 'ℹ️' }

/** One line that says whether the image passed and, if not, why. */
export function verdictLine(report: Report): string {
  const reasons = failureReasons(report)
  if (reasons.length === 0) return `image-size-gate passed: ${imageFigures(report)}`
  return `image-size-gate failed: the image ${reasons.join(' and ')} (${imageFigures(report)})`
}

/** Why the image failed, each reason once, e.g. "is over the size budget"; [] when it passed. */
export function failureReasons(report: Report): string[] {
  const errors = report.findings.filter((finding) => finding.severity === 'error')
  return [...new Set(errors.map((finding) => FAILURE_REASON[finding.rule]))]
}

function imageFigures(report: Report): string {
  const { size, compressedSize, compressedExact } = report.image
  const compressed = compressedSize === null ? '' : `, ${formatBytes(compressedSize)} compressed${compressedExact ? '' : ' (est.)'}`
  return `${formatBytes(size)} uncompressed${compressed}`
}

/** What this run did not measure itself: layers analysed by an earlier run (the layer index), compressed sizes reused. */
export function reuseNotes(layers: readonly ReportLayer[]): string[] {
  const numbered = (pick: (layer: ReportLayer) => string | undefined) => {
    const sources = new Map<string, number[]>()
    layers.forEach((layer, index) => {
      const from = pick(layer)
      if (from !== undefined) sources.set(from, [...(sources.get(from) ?? []), index + 1])
    })
    return [...sources].map(([from, numbers]) => ({ from, which: `layer${numbers.length === 1 ? '' : 's'} ${numbers.join(', ')}` }))
  }
  return [
    ...numbered((layer) => layer.analysisFrom).map(
      ({ from, which }) => `Files and binaries of ${which} from the ${from}, whose analysis of the same digest stood in: not parsed again.`
    ),
    ...numbered((layer) => layer.compressedFrom).map(
      ({ from, which }) =>
        `Compressed size of ${which} reused from ${from}, whose layer has the same digest: an estimate, not measured again.`
    )
  ]
}

/** The max-size check and the warn-size beside it; null when neither is set, as nothing needs saying then. */
export function budgetText(report: Report): string | null {
  const { budget, softBudget } = report
  const soft = softBudget ? softBudgetText(softBudget) : null
  if (!budget) return soft
  const verdict = budget.passed
    ? `within budget, ${formatBytes(budget.limit - budget.actual)} to spare`
    : `over by ${formatBytes(budget.actual - budget.limit)}`
  const hard = `${formatBytes(budget.actual)} of ${formatBytes(budget.limit)} ${budget.metric} — ${verdict} ${budget.passed ? '✅' : '❌'}`
  return soft ? `${hard}; ${soft}` : hard
}

function softBudgetText(soft: Budget): string {
  const verdict = soft.passed ? 'under it ✅' : `over by ${formatBytes(soft.actual - soft.limit)} ⚠️`
  return `warn-size ${formatBytes(soft.limit)} — ${verdict}`
}

/** The max-growth check; a set one that could not be checked says why; null when there is none to speak of. */
export function growthText(report: Report): string | null {
  const growth = report.growth
  if (!growth) {
    // Policy says why a set max-growth could not be checked (e.g. a registry baseline has no uncompressed size).
    const unchecked = report.findings.find((finding) => finding.rule === 'size-growth')
    return unchecked ? `⚠️ ${escapeText(unchecked.message)}` : null
  }
  // formatPercent(p, 100) renders a ready percentage with the same rounding as every other one.
  const percent = growth.percent === null ? '' : ` (${formatPercent(growth.percent, 100)})`
  const limit = formatLimit({ kind: growth.limitKind, value: growth.limit })
  const verdict = growth.passed ? 'within the limit ✅' : 'over the limit ❌'
  const scope = growth.scope === 'own-layers' ? " in this Dockerfile's own layers" : ''
  return `${formatDelta(growth.actual)}${percent} ${growth.metric}${scope} of a max-growth of ${limit} — ${verdict}`
}

/** The toolchain line; `show` renders the image's own strings (version, paths, hints) for the target format. */
export function toolchainText(report: Report, show: (data: string) => string): string {
  const toolchain = report.goToolchain
  if (toolchain.found) {
    const version = toolchain.goVersion === null ? 'unknown version' : show(toolchain.goVersion)
    const more = toolchain.paths.length > 3 ? ` and ${toolchain.paths.length - 3} more` : ''
    return `${version} found at ${toolchain.paths.slice(0, 3).map(show).join(', ')}${more} (${formatBytes(toolchain.bytes)}, layer ${(toolchain.layer ?? 0) + 1})`
  }
  const hints =
    toolchain.hints.length > 0 ? `; environment mentions ${toolchain.hints.map(show).join(', ')}, but no toolchain binary is present` : ''
  const deleted = toolchain.deleted.length > 0 ? '; one was deleted by a later layer, but its bytes still ship' : ''
  return `none in the final image ✅${deleted}${hints}`
}

/** The seeds' advice, e.g. "this image could be about 6.40 MB on scratch (now 813 MB)". */
export function adviceLines(report: Report): string[] {
  return report.advice ? ['', `**Advice:** 💡 ${escapeText(report.advice.text)}`] : []
}

/**
 * One finding as a markdown list item on one line, the same in the summary and the comment, its rule
 * linked to the rule's page; messages quote the image.
 */
export function findingBullet(finding: Finding, pages: RulePages): string {
  const rule = link(codeSpan(finding.rule), rulePage(pages, finding.rule))
  return `- ${SEVERITY_ICON[finding.severity]} ${rule}: ${escapeText(finding.message)}`
}
