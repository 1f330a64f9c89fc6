/** Workflow annotations: the findings of every platform, placed on their Dockerfile lines. */
import { relative } from 'node:path'
import type { Finding, Severity } from '../findings/finding.js'
import type { Report } from '../report/report.js'
import { rulePage, type RulePages } from '../report/rule-page.js'

export interface Annotation {
  severity: Severity
  /** The annotation's heading: the action and the finding's rule. */
  title: string
  /** The finding's message, ending with the URL of its rule's page. */
  message: string
  file?: string
  line?: number
}

/** One platform's report, with the Dockerfile its findings' lines are in (none for an analysed image). */
export interface AnnotatedReport {
  report: Report
  dockerfile?: string
}

/**
 * Every platform's findings as annotations, each said once, naming the platforms it holds for when
 * there are several; `cwd` makes the Dockerfile's path relative, as the runner shows it.
 */
export function workflowAnnotations(results: readonly AnnotatedReport[], cwd: string, rulePages: RulePages): Annotation[] {
  const grouped = new Map<string, { annotation: Annotation; platforms: string[] }>()
  for (const { report, dockerfile } of results) {
    const file = dockerfile ? relative(cwd, dockerfile) : undefined
    for (const annotation of report.findings.map((finding) => annotationOf(finding, file, rulePages))) {
      const key = `${annotation.severity}|${annotation.file}|${annotation.line}|${annotation.message}`
      const entry = grouped.get(key) ?? { annotation, platforms: [] }
      entry.platforms.push(report.image.platform)
      grouped.set(key, entry)
    }
  }
  return [...grouped.values()].map(({ annotation, platforms }) =>
    results.length > 1 ? { ...annotation, message: `${platforms.join(', ')}: ${annotation.message}` } : annotation
  )
}

/** A finding as a workflow annotation, placed on its Dockerfile line when it has one. */
function annotationOf(finding: Finding, file: string | undefined, rulePages: RulePages): Annotation {
  const { severity, rule, message } = finding
  const annotation: Annotation = { severity, title: `image-size-gate: ${rule}`, message: `${message} (${rulePage(rulePages, rule)})` }
  if (file && finding.line !== undefined) Object.assign(annotation, { file, line: finding.line })
  return annotation
}
