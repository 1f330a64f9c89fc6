/**
 * The size history's git side: fetch the history branch into a private ref, read a file at a commit,
 * write a commit without touching the work tree or the index, push it, and list a commit's first-parent
 * ancestry. Every command goes through the one runner against one deadline. The token is handed to
 * each network command in its environment (GIT_CONFIG_*), never in argv or in a config file, the way
 * actions/checkout's extraheader sends it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { CommandTimeout, runCommand, streamCommand, type Finished } from './command.js'
import { GitError } from './git.js'
import type { Deadline } from '../deadline.js'
import { firstLine, messageOf } from '../errors.js'
import { tempRoot } from '../temp-dir.js'

/** Where the fetched history tip is kept: outside refs/heads and refs/remotes, so nothing shows it. */
export const HISTORY_REF = 'refs/image-size-gate/history'

/** A history file larger than this is refused before it is read. */
export const MAX_HISTORY_FILE_BYTES = 64 * 1024 ** 2

/** How long reading one commit object of the local repository may take: no network, so seconds at most. */
export const LOCAL_READ_MS = 30_000

/** The identity history commits are made by, as GitHub's Actions bot. */
const AUTHOR = { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' }

/** One git remote call's setting: the repository, its token ('' for none) and the deadline of the whole step. */
export interface GitTarget {
  root: string
  token: string
  deadline: Deadline
}

/** What a push came to: `rejected` means another run moved the branch first, so fetch and try again. */
export type PushResult = 'pushed' | 'rejected'

/** The value GitHub's git server takes as Basic credentials; mask it as well as the token. */
export function basicCredential(token: string): string {
  return Buffer.from(`x-access-token:${token}`, 'utf8').toString('base64')
}

/** Runs git with the time left before the deadline; a timeout is a GitError naming the command. */
async function gitRun(target: GitTarget, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Finished> {
  const what = `git ${args[0] ?? ''}`
  if (target.deadline.expired) throw new GitError(`${what} was not started: the history deadline had passed`)
  const fullEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', ...env }
  return runCommand('git', args, { cwd: target.root, env: fullEnv, deadline: target.deadline }).catch((error: unknown) => {
    if (error instanceof CommandTimeout) throw new GitError(`${what} gave no answer before the history deadline`)
    throw new GitError(`${what} could not run: ${messageOf(error)}`)
  })
}

async function gitOk(target: GitTarget, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const result = await gitRun(target, args, env)
  if (result.exitCode === 0) return result.stdout.trim()
  throw new GitError(`git ${args[0] ?? ''} failed: ${firstLine(result.stderr) || `exit code ${result.exitCode}`}`)
}

/**
 * The token as an extra header for origin's URL only, in the environment of one command. The empty
 * value first clears headers set for that URL before (actions/checkout's own), so one is sent, not two.
 */
async function authEnv(target: GitTarget): Promise<NodeJS.ProcessEnv> {
  if (!target.token) return {}
  const url = await gitOk(target, ['remote', 'get-url', 'origin'])
  const key = `http.${url}.extraheader`
  return {
    GIT_CONFIG_COUNT: '2',
    GIT_CONFIG_KEY_0: key,
    GIT_CONFIG_VALUE_0: '',
    GIT_CONFIG_KEY_1: key,
    GIT_CONFIG_VALUE_1: `AUTHORIZATION: basic ${basicCredential(target.token)}`
  }
}

/**
 * Fetches the tip of `branch` from origin into HISTORY_REF; null when origin has no such branch yet. Only
 * the tip is needed, but `--depth` would make a complete clone shallow, so it is used on shallow ones only.
 */
export async function fetchHistoryTip(target: GitTarget, branch: string): Promise<string | null> {
  const spec = `+refs/heads/${branch}:${HISTORY_REF}`
  const depth = (await isShallow(target)) ? ['--depth=1'] : []
  const args = ['fetch', '--no-tags', '--no-write-fetch-head', ...depth, '--end-of-options', 'origin', spec]
  const result = await gitRun(target, args, await authEnv(target))
  if (result.exitCode !== 0) {
    if (/couldn't find remote ref/i.test(result.stderr)) return null
    throw new GitError(`git fetch of the history branch '${branch}' failed: ${firstLine(result.stderr) || `exit code ${result.exitCode}`}`)
  }
  return gitOk(target, ['rev-parse', '--verify', '--end-of-options', `${HISTORY_REF}^{commit}`])
}

/** The text of `file` at `commit`, or null when the commit has no such file. */
export async function readFileAt(target: GitTarget, commit: string, file: string): Promise<string | null> {
  const entry = await gitOk(target, ['ls-tree', '-l', '--end-of-options', commit, '--', file])
  if (entry === '') return null
  const match = /^\d+ blob ([0-9a-f]+) +(\d+)\t/.exec(entry)
  if (!match) throw new GitError(`history: ${file} at ${commit.slice(0, 7)} is not a file`)
  const [, blob = '', size = '0'] = match
  if (Number(size) > MAX_HISTORY_FILE_BYTES) {
    throw new GitError(`history: ${file} is ${size} bytes, over the ${MAX_HISTORY_FILE_BYTES} byte limit`)
  }
  return (await gitRun(target, ['cat-file', 'blob', blob])).stdout
}

/** One entry of a commit's top-level tree: its mode, object type and name. */
export interface TreeEntry {
  mode: string
  type: string
  name: string
}

/** The top level of `commit`'s tree, names as git stores them (-z: no quoting). */
export async function treeEntries(target: GitTarget, commit: string): Promise<TreeEntry[]> {
  const listing = await gitOk(target, ['ls-tree', '-z', '--end-of-options', commit])
  return listing
    .split('\0')
    .filter((line) => line !== '')
    .map((line) => {
      const [meta = '', name = ''] = line.split('\t', 2)
      const [mode = '', type = ''] = meta.split(' ')
      return { mode, type, name }
    })
}

/**
 * A commit with `file` set to `text` on top of `parent` (none: an orphan root), made with a private
 * index file, so the workspace's checkout, index and branches stay as they were.
 */
export async function commitFile(target: GitTarget, parent: string | null, file: string, text: string, message: string): Promise<string> {
  const dir = await mkdtemp(join(tempRoot(), 'image-size-gate-history-'))
  try {
    await writeFile(join(dir, 'blob'), text)
    return await commitChanges(target, parent, [{ path: file, from: join(dir, 'blob') }], message)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** One path of a commit: set to the content of the local file `from`, or removed when `from` is null. */
export interface TreeChange {
  path: string
  from: string | null
}

/** A commit of these changes on top of `parent` (none: an orphan root), made with a private index file. */
export async function commitChanges(
  target: GitTarget,
  parent: string | null,
  changes: readonly TreeChange[],
  message: string
): Promise<string> {
  const dir = await mkdtemp(join(tempRoot(), 'image-size-gate-history-'))
  try {
    const index = { GIT_INDEX_FILE: join(dir, 'index') }
    await gitOk(target, parent ? ['read-tree', '--end-of-options', parent] : ['read-tree', '--empty'], index)
    for (const change of changes) {
      if (change.from === null) {
        await gitOk(target, ['update-index', '--force-remove', '--', change.path], index)
        continue
      }
      const blob = await gitOk(target, ['hash-object', '-w', '--no-filters', '--', change.from])
      await gitOk(target, ['update-index', '--add', '--cacheinfo', `100644,${blob},${change.path}`], index)
    }
    const tree = await gitOk(target, ['write-tree'], index)
    const identity = {
      GIT_AUTHOR_NAME: AUTHOR.name,
      GIT_AUTHOR_EMAIL: AUTHOR.email,
      GIT_COMMITTER_NAME: AUTHOR.name,
      GIT_COMMITTER_EMAIL: AUTHOR.email
    }
    return await gitOk(target, ['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-m', message], identity)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** The files directly in `dir` at `commit`, by name, with their blob IDs; empty when there is no such directory. */
export async function listFiles(target: GitTarget, commit: string, dir: string): Promise<Map<string, string>> {
  const listing = await gitOk(target, ['ls-tree', '--end-of-options', commit, '--', `${dir}/`])
  const files = new Map<string, string>()
  for (const line of listing.split('\n')) {
    const match = /^100644 blob ([0-9a-f]+)\t(.+)$/.exec(line)
    if (match?.[1] && match[2]) files.set(match[2].slice(dir.length + 1), match[1])
  }
  return files
}

/** Streams a blob of the local repository into `consume`, within the target's deadline. */
export async function streamBlob<T>(
  target: GitTarget,
  blob: string,
  consume: (bytes: AsyncIterable<Uint8Array>) => Promise<T>
): Promise<T> {
  return streamCommand('git', ['cat-file', 'blob', blob], consume, { cwd: target.root, deadline: target.deadline })
}

/** Every distinct `sha256:` digest the files matching `pathspec` at `commit` mention (git grep does the reading). */
export async function digestsIn(target: GitTarget, commit: string, pathspec: string[]): Promise<Set<string>> {
  const result = await gitRun(target, ['grep', '-h', '-o', '-I', '-E', 'sha256:[0-9a-f]{64}', commit, '--', ...pathspec])
  // git grep exits 1 when nothing matches.
  if (result.exitCode > 1) throw new GitError(`git grep failed: ${firstLine(result.stderr) || `exit code ${result.exitCode}`}`)
  return new Set(result.stdout.split('\n').filter((line) => line !== ''))
}

/** Pushes `commit` as `branch`, only as a fast-forward: a branch another run moved is `rejected`. */
export async function pushCommit(target: GitTarget, commit: string, branch: string): Promise<PushResult> {
  const args = ['push', '--porcelain', '--no-verify', 'origin', `${commit}:refs/heads/${branch}`]
  const result = await gitRun(target, args, await authEnv(target))
  if (result.exitCode === 0) return 'pushed'
  const status = result.stdout.split('\n').find((line) => line.startsWith('!\t')) ?? ''
  if (/fetch first|non-fast-forward|stale info|lock|failed to update ref|already exists/i.test(status)) return 'rejected'
  const reason = firstLine(status.split('\t').slice(2).join(' ')) || firstLine(result.stderr) || `exit code ${result.exitCode}`
  throw new GitError(`git push to the history branch '${branch}' failed: ${reason}`)
}

/**
 * `sha` and up to `depth - 1` of its first-parent ancestors, nearest first. A shallow clone (as
 * actions/checkout makes) is deepened from origin just enough to see them.
 */
export async function firstParentAncestry(target: GitTarget, sha: string, depth: number): Promise<string[]> {
  const shallow = await isShallow(target)
  const present = (await gitRun(target, ['cat-file', '-e', '--end-of-options', `${sha}^{commit}`])).exitCode === 0
  if (shallow || !present) {
    const deepen = shallow ? [`--depth=${depth}`] : []
    const args = ['fetch', '--no-tags', '--no-write-fetch-head', ...deepen, '--end-of-options', 'origin', sha]
    const result = await gitRun(target, args, await authEnv(target))
    if (result.exitCode !== 0) throw new GitError(`git fetch of the history of ${sha.slice(0, 7)} failed: ${firstLine(result.stderr)}`)
  }
  const list = await gitOk(target, ['rev-list', '--first-parent', `--max-count=${depth}`, '--end-of-options', sha])
  return list.split('\n').filter((line) => line !== '')
}

async function isShallow(target: GitTarget): Promise<boolean> {
  return (await gitOk(target, ['rev-parse', '--is-shallow-repository'])) === 'true'
}

/** The commit's first parent as its object records it; a shallow clone's grafts hide it from rev-parse. */
export async function firstParent(target: GitTarget, sha: string): Promise<string | null> {
  const raw = await gitOk(target, ['cat-file', 'commit', sha])
  return /^parent ([0-9a-f]+)$/m.exec(raw.split('\n\n')[0] ?? '')?.[1] ?? null
}
