import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** A git command that failed, with git's own first line of complaint. */
export class GitError extends Error {
  override readonly name = 'GitError'
}

/** Runs `git ARGS` in `cwd` with an argument array; throws GitError with git's message. */
export async function git(args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await run('git', args, { cwd, maxBuffer: 16 << 20 })
    return stdout.trim()
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? ''
    const reason = stderr.split('\n').find((line) => line.trim() !== '') ?? String(error)
    throw new GitError(`git ${args[0] ?? ''} failed: ${reason.trim()}`)
  }
}

/** The top of the work tree containing `dir`, or undefined outside a repository. */
export async function repositoryRoot(dir: string): Promise<string | undefined> {
  return git(['rev-parse', '--show-toplevel'], dir).catch(() => undefined)
}

/** Makes sure `sha` is present: actions/checkout's shallow clone usually lacks the base commit. */
export async function ensureCommit(root: string, sha: string): Promise<void> {
  const present = await git(['cat-file', '-e', `${sha}^{commit}`], root).then(
    () => true,
    () => false
  )
  if (!present) await git(['fetch', '--no-tags', '--depth=1', 'origin', sha], root)
}

/** Checks `sha` out into a temporary worktree for `body`, and always removes it afterwards. */
export async function withWorktree<T>(root: string, sha: string, body: (dir: string) => Promise<T>): Promise<T> {
  const parent = await mkdtemp(join(process.env['RUNNER_TEMP'] || tmpdir(), 'image-size-gate-base-'))
  const dir = join(parent, 'worktree')
  await git(['worktree', 'add', '--detach', dir, sha], root)
  try {
    return await body(dir)
  } finally {
    await git(['worktree', 'remove', '--force', dir], root).catch(() => undefined)
    await rm(parent, { recursive: true, force: true })
    await git(['worktree', 'prune'], root).catch(() => undefined)
  }
}
