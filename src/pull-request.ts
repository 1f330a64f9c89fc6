import { relative, resolve } from 'node:path'
import { renderComment } from './comment.js'
import { compare } from './delta.js'
import { messageOf } from './errors.js'
import { CommentPermissionError, upsertStickyComment, type PullRequestEvent } from './github.js'
import type { Inputs } from './inputs.js'
import type { Log } from './log.js'
import type { Report } from './report.js'

/** The comment's key and title: the Dockerfile path, target and platform, so a matrix gets one comment each. */
export function commentIdentity(inputs: Inputs, workspace: string): { key: string; title: string } {
  if (inputs.commentKey) return { key: inputs.commentKey, title: inputs.commentKey }
  const subject = inputs.image
    ? `image ${inputs.image}`
    : relative(workspace, resolve(inputs.file || resolve(inputs.context, 'Dockerfile'))) || 'Dockerfile'
  const qualifiers = [inputs.target && `target ${inputs.target}`, inputs.platform].filter(Boolean)
  const title = qualifiers.length > 0 ? `${subject} (${qualifiers.join(', ')})` : subject
  return { key: title, title }
}

/** The pull request comment's markdown: with the comparison when there is a baseline. */
export function commentBody(report: Report, identity: { key: string; title: string }): string {
  const comparison = report.baseline ? compare(report, report.baseline) : null
  return renderComment(report, comparison, identity)
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
    const reason = error instanceof CommentPermissionError ? error.message : `could not comment on the pull request: ${messageOf(error)}`
    log.warning(reason)
    return undefined
  }
}
