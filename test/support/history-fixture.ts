import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'

const exec = promisify(execFile)

const AUTHOR = {
  GIT_AUTHOR_NAME: 'dev',
  GIT_AUTHOR_EMAIL: 'dev@example.com',
  GIT_COMMITTER_NAME: 'dev',
  GIT_COMMITTER_EMAIL: 'dev@example.com'
}

export async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await exec('git', args, { cwd, env: { ...process.env, ...AUTHOR, GIT_TERMINAL_PROMPT: '0' }, maxBuffer: 64 << 20 })
  return stdout.trim()
}

/** A bare origin under `root` (`origin.git`), a main branch of `mainCommits` commits and a feature branch off its tip. */
export interface HistoryRepo {
  root: string
  origin: string
  /** main's commits, oldest first. */
  main: string[]
  feature: string
}

async function commitFiles(dir: string, files: Record<string, string>, message: string): Promise<string> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true })
    await writeFile(join(dir, path), content)
  }
  await git(dir, 'add', '-A')
  await git(dir, 'commit', '--quiet', '-m', message)
  return git(dir, 'rev-parse', 'HEAD')
}

/** Each main commit's files come from `filesOf(n)`; the feature commit's from `featureFiles`. */
export async function makeHistoryRepo(
  mainCommits: number,
  filesOf: (n: number) => Record<string, string>,
  featureFiles: Record<string, string>
): Promise<HistoryRepo> {
  const root = await mkdtemp(join(tmpdir(), 'isg-history-'))
  const origin = join(root, 'origin.git')
  const authoring = join(root, 'authoring')
  await exec('git', ['init', '--quiet', '--bare', '--initial-branch=main', origin])
  await exec('git', ['init', '--quiet', '--initial-branch=main', authoring])
  const main: string[] = []
  for (let n = 1; n <= mainCommits; n++) main.push(await commitFiles(authoring, filesOf(n), `main ${n}`))
  await git(authoring, 'checkout', '--quiet', '-b', 'feature')
  const feature = await commitFiles(authoring, featureFiles, 'feature')
  await git(authoring, 'push', '--quiet', origin, 'main', 'feature')
  return { root, origin, main, feature }
}

/** The header a token goes in, as GitHub's git server takes it. */
export function authHeader(token: string): string {
  return `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`
}

/**
 * A `--depth=1` clone of `url` at `branch` (then at `sha`, if given), as actions/checkout leaves it; with
 * `token`, the clone's config keeps it as checkout's persisted extraheader for the server does.
 */
export async function shallowClone(
  url: string,
  into: string,
  branch: string,
  options: { token?: string; sha?: string } = {}
): Promise<string> {
  const auth = options.token ? ['-c', `http.extraheader=${authHeader(options.token)}`] : []
  const env = { ...process.env, GIT_TERMINAL_PROMPT: '0' }
  await exec('git', [...auth, 'clone', '--quiet', '--depth=1', '--branch', branch, url, into], { env })
  if (options.token) await git(into, 'config', `http.${new URL(url).origin}/.extraheader`, authHeader(options.token))
  if (options.sha) {
    await git(into, 'fetch', '--quiet', '--depth=1', 'origin', options.sha)
    await git(into, 'checkout', '--quiet', '--detach', options.sha)
  }
  return into
}
