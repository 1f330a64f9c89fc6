/** The report as plain text for a terminal: what the job summary shows, without markdown. */
import { counted, truncate } from '../findings/finding.js'
import { budgetText, reuseNotes, toolchainText, verdictLine } from './checks.js'
import { moduleGrowthText } from './goexplain.js'
import { shortImageId, showControls } from './markdown.js'
import type { Report } from './report.js'
import { rulePage, type RulePages } from './rule-page.js'
import { formatBytes } from '../size.js'

/** The report as terminal lines; each finding names its rule and ends with its page's URL. */
export function renderText(report: Report, rulePages: RulePages): string {
  const lines = [
    verdictLine(report),
    `image ${shortImageId(report.image.id)} ${showControls(report.image.platform)}, ${counted(report.image.layers.length, 'layer')}`,
    ''
  ]
  report.image.layers.forEach((layer, index) => {
    const compressed = layer.compressedSize === null ? '' : ` (${layer.compressedExact ? '' : '~'}${formatBytes(layer.compressedSize)} gz)`
    const line = layer.dockerfileLine === null ? '' : ` [Dockerfile:${layer.dockerfileLine}]`
    lines.push(
      `  ${String(index + 1).padStart(2)}  ${formatBytes(layer.size).padStart(9)}${compressed}  ${showControls(truncate(layer.instruction ?? 'base image', 80))}${line}`
    )
  })
  lines.push(...reuseNotes(report.image.layers).map(showControls))
  const budget = budgetText(report)
  lines.push('', ...(budget ? [`budget: ${budget}`] : []), `go toolchain: ${toolchainText(report, showControls)}`)
  if (report.advice) lines.push(`advice: ${showControls(report.advice.text)}`)
  lines.push(...moduleGrowthText(report.delta?.binaries ?? []))
  for (const { severity, rule, message } of report.findings) {
    lines.push(`${severity}: [${rule}] ${showControls(message)} (${rulePage(rulePages, rule)})`)
  }
  return lines.join('\n')
}
