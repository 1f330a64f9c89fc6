/** git in the work tree: its root, the base commit fetched when missing, and a temporary worktree at a commit. */
import { mkdtemp, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { CommandTimeout, runCommand } from './command.js'
import { Deadline } from '../deadline.js'
import { seconds } from '../duration.js'
import { firstLine, messageOf } from '../errors.js'
import { tempRoot } from '../temp-dir.js'

/** A git command that failed, with git's own first line of complaint. */
export class GitError extends Error {
  override readonly name = 'GitError'
}

/** A git command on this repository alone reads only local files; a large worktree checkout needs minutes, not hours. */
const LOCAL_GIT_TIMEOUT_MS = 10 * 60_000

/** Runs `git ARGS` in `cwd` with an argument array; throws GitError with git's message. */
export async function git(args: string[], cwd: string): Promise<string> {
  const result = await runCommand('git', args, { cwd, deadline: Deadline.in(LOCAL_GIT_TIMEOUT_MS) }).catch((error: unknown) => {
    throw new GitError(`git ${args[0] ?? ''} failed: ${messageOf(error)}`)
  })
  if (result.exitCode !== 0)
    throw new GitError(`git ${args[0] ?? ''} failed: ${firstLine(result.stderr) || `exit code ${result.exitCode}`}`)
  return result.stdout.trim()
}

/** The top of the work tree containing `dir`, or undefined outside a repository. */
export async function repositoryRoot(dir: string): Promise<string | undefined> {
  return git(['rev-parse', '--show-toplevel'], dir).catch(() => undefined)
}

/** How long fetching the one base commit may take; a remote that never answers must not hold the job. */
export const FETCH_TIMEOUT_MS = 300_000

/** Makes sure `sha` is present: actions/checkout's shallow clone usually lacks the base commit. */
export async function ensureCommit(root: string, sha: string, timeoutMs = FETCH_TIMEOUT_MS): Promise<void> {
  const present = await git(['cat-file', '-e', '--end-of-options', `${sha}^{commit}`], root).then(
    () => true,
    () => false
  )
  if (!present) await fetchCommit(root, sha, timeoutMs)
}

/** `git fetch` of one commit, bounded; git may not prompt for credentials, as there is nobody to answer. */
async function fetchCommit(root: string, sha: string, timeoutMs: number): Promise<void> {
  const env = { ...process.env, GIT_TERMINAL_PROMPT: '0' }
  const deadline = Deadline.in(timeoutMs)
  const result = await runCommand('git', ['fetch', '--no-tags', '--depth=1', '--end-of-options', 'origin', sha], {
    cwd: root,
    env,
    deadline
  }).catch((error: unknown) => {
    if (!(error instanceof CommandTimeout)) throw new GitError(`git fetch failed: ${messageOf(error)}`)
    throw new GitError(
      `git fetch gave no answer within ${seconds(timeoutMs)}; fetch the base commit beforehand (actions/checkout with fetch-depth: 0)`
    )
  })
  if (result.exitCode !== 0) throw new GitError(`git fetch failed: ${firstLine(result.stderr) || `exit code ${result.exitCode}`}`)
}

/** Checks `sha` out into a temporary worktree for `body`, and always removes it afterwards. */
export async function withWorktree<T>(root: string, sha: string, body: (dir: string) => Promise<T>): Promise<T> {
  const parent = await mkdtemp(join(tempRoot(), 'image-size-gate-base-'))
  const dir = join(parent, 'worktree')
  await git(['worktree', 'add', '--detach', '--end-of-options', dir, sha], root)
  try {
    return await body(dir)
  } finally {
    await git(['worktree', 'remove', '--force', dir], root).catch(() => undefined)
    await rm(parent, { recursive: true, force: true })
    await git(['worktree', 'prune'], root).catch(() => undefined)
  }
}
