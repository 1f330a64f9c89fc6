import { relative, resolve } from 'node:path'
import { COMMENT_BODY_LIMIT, renderComment } from '../report/comment.js'
import { compare } from '../report/delta.js'
import { messageOf } from '../errors.js'
import type { PullRequestEvent } from './event.js'
import { CommentPermissionError, CommentTimeoutError, commentMarker, upsertStickyComment } from './github.js'
import type { Inputs } from '../inputs.js'
import type { Log } from '../log.js'
import { escapeText } from '../report/markdown.js'
import type { Report } from '../report/report.js'

/**
 * The comment's key and title: the Dockerfile path, target and platforms, so a matrix gets one comment each.
 * Pure: relative `file` and `context` inputs are resolved against `cwd`, and the path is shown from `workspace`.
 */
export function commentIdentity(
  inputs: Pick<Inputs, 'commentKey' | 'image' | 'file' | 'context' | 'target' | 'platform' | 'platforms'>,
  workspace: string,
  cwd: string
): { key: string; title: string } {
  if (inputs.commentKey) return { key: inputs.commentKey, title: inputs.commentKey }
  const subject = inputs.image
    ? `image ${inputs.image}`
    : relative(workspace, inputs.file ? resolve(cwd, inputs.file) : resolve(cwd, inputs.context, 'Dockerfile')) || 'Dockerfile'
  const platforms = inputs.platform || inputs.platforms.join(', ')
  const qualifiers = [inputs.target && `target ${inputs.target}`, platforms].filter(Boolean)
  const title = qualifiers.length > 0 ? `${subject} (${qualifiers.join(', ')})` : subject
  return { key: title, title }
}

/** The pull request comment's markdown: with the comparison when there is a baseline, a section per platform. */
export function commentBody(reports: Report[], identity: { key: string; title: string }, trends: readonly string[] = []): string {
  // The marker and its newline go in front of the body, and count towards GitHub's limit too.
  const limit = COMMENT_BODY_LIMIT - commentMarker(identity.key).length - 1
  const [only] = reports
  if (only && reports.length === 1) return renderOne(only, identity, limit, trends[0])
  // Each platform gets an equal share of the limit, less room for the separators.
  const share = Math.floor(limit / reports.length) - 100
  const failed = reports.filter((report) => !report.passed).length
  const title = escapeText(identity.title)
  const headline =
    failed === 0
      ? `**${title}**: passed on all ${reports.length} platforms`
      : `**${title}**: failed on ${failed} of ${reports.length} platforms`
  const sections = reports.map((report, index) =>
    renderOne(report, { ...identity, title: `${identity.title} · ${report.image.platform}` }, share, trends[index])
  )
  return [headline, ...sections].join('\n\n---\n\n')
}

function renderOne(report: Report, identity: { key: string; title: string }, maxLength: number, trend?: string): string {
  const comparison = report.baseline ? compare(report, report.baseline) : null
  return renderComment(report, comparison, { title: identity.title, maxLength, ...(trend ? { trend } : {}) })
}

/**
 * Posts or updates the sticky comment. Cosmetic: every failure becomes one warning and the
 * verdict stays the gates' alone. Returns the comment's URL, if one was written.
 */
export async function postComment(
  inputs: Inputs,
  event: PullRequestEvent | undefined,
  key: string,
  body: string,
  log: Log
): Promise<string | undefined> {
  if (!inputs.comment || !event) return undefined
  if (!inputs.githubToken) {
    log.warning('no comment posted: github-token is empty')
    return undefined
  }
  try {
    const result = await upsertStickyComment(inputs.githubToken, event.target, key, body, { log })
    log.info(`pull request comment ${result.action}: ${result.url}`)
    return result.url
  } catch (error) {
    const known = error instanceof CommentPermissionError || error instanceof CommentTimeoutError
    const reason = known ? error.message : `could not comment on the pull request: ${messageOf(error)}`
    log.warning(reason)
    return undefined
  }
}
