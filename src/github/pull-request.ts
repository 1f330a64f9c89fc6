import { relative, resolve } from 'node:path'
import { COMMENT_BODY_LIMIT, renderCommentBody } from '../report/comment.js'
import { messageOf } from '../errors.js'
import { CommentPermissionError, CommentTimeoutError, commentMarker, upsertStickyComment, type PullRequestTarget } from './github.js'
import type { Log } from '../log.js'
import type { Report } from '../report/report.js'
import { renderCombinedComment } from '../report/combined-comment.js'
import type { ReportEntry } from '../report/image-table.js'
import type { RulePages } from '../report/rule-page.js'

/** What names the comment: comment-key when set, else the Dockerfile (or image), target and platforms. */
export interface CommentSubject {
  commentKey: string
  image: string
  file: string
  context: string
  target: string
  platform: string
  platforms: string[]
}

/** The comment's key, in its hidden marker and the size history's file name, and its title. */
export interface CommentIdentity {
  key: string
  title: string
}

/** Whether and where the comment is posted: the comment input, the job's token, the pull request if any. */
export interface CommentPost {
  enabled: boolean
  token: string
  pullRequest?: PullRequestTarget
  /** Why no new comment is created (every image changed by less than comment-threshold); an existing one is still updated. */
  quiet?: string
}

/**
 * The comment's key and title: the Dockerfile path, target and platforms, so a matrix gets one comment each.
 * Pure: relative `file` and `context` inputs are resolved against `cwd`, and the path is shown from `workspace`.
 */
export function commentIdentity(subject: CommentSubject, workspace: string, cwd: string): CommentIdentity {
  if (subject.commentKey) return { key: subject.commentKey, title: subject.commentKey }
  // One expression: ncc's asset relocator rewrote this `resolve(…, 'Dockerfile')` into a bundle path when a variable held it.
  const name = subject.image
    ? `image ${subject.image}`
    : relative(workspace, subject.file ? resolve(cwd, subject.file) : resolve(cwd, subject.context, 'Dockerfile')) || 'Dockerfile'
  const platforms = subject.platform || subject.platforms.join(', ')
  const qualifiers = [subject.target && `target ${subject.target}`, platforms].filter(Boolean)
  const title = qualifiers.length > 0 ? `${name} (${qualifiers.join(', ')})` : name
  return { key: title, title }
}

/** The pull request comment's markdown, in the room the marker leaves: a section per platform. */
export function commentBody(
  reports: readonly Report[],
  identity: CommentIdentity,
  rulePages: RulePages,
  trends: readonly string[] = []
): string {
  // The marker and its newline go in front of the body, and count towards GitHub's limit too.
  const maxLength = COMMENT_BODY_LIMIT - commentMarker(identity.key).length - 1
  return renderCommentBody(reports, { title: identity.title, maxLength, trends, rulePages })
}

/** The combined comment of many images' reports, in the room the marker leaves. */
export function combinedCommentBody(
  entries: readonly ReportEntry[],
  problems: readonly string[],
  key: string,
  rulePages: RulePages
): string {
  return renderCombinedComment(entries, { maxLength: COMMENT_BODY_LIMIT - commentMarker(key).length - 1, problems, rulePages })
}

/**
 * Posts or updates the sticky comment. Cosmetic: every failure becomes one warning and the
 * verdict stays the gates' alone. Returns the comment's URL, if one was written.
 */
export async function postComment(post: CommentPost, key: string, body: string, log: Log): Promise<string | undefined> {
  if (!post.enabled || !post.pullRequest) return undefined
  if (!post.token) {
    log.warning('no comment posted: github-token is empty')
    return undefined
  }
  try {
    const result = await upsertStickyComment(post.token, post.pullRequest, key, body, { log, create: post.quiet === undefined })
    if (result.action === 'not-created') {
      log.info(`no pull request comment: ${post.quiet ?? ''}`)
      return undefined
    }
    log.info(`pull request comment ${result.action}: ${result.url}`)
    return result.url
  } catch (error) {
    const known = error instanceof CommentPermissionError || error instanceof CommentTimeoutError
    const reason = known ? error.message : `could not comment on the pull request: ${messageOf(error)}`
    log.warning(reason)
    return undefined
  }
}
