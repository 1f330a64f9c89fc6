import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'

const exec = promisify(execFile)

export interface PullRequestRepo {
  origin: string
  workspace: string
  baseSha: string
  headSha: string
  eventPath: string
  /** The environment a runner gives a pull_request job. */
  env: Record<string, string>
}

async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await exec('git', args, {
    cwd,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'dev',
      GIT_AUTHOR_EMAIL: 'dev@example.com',
      GIT_COMMITTER_NAME: 'dev',
      GIT_COMMITTER_EMAIL: 'dev@example.com'
    }
  })
  return stdout.trim()
}

/** A commit's files: text, or the bytes of a prebuilt program (committed executable, as its build would leave it). */
export type Tree = Record<string, string | Uint8Array>

async function writeTree(dir: string, files: Tree): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true })
    await writeFile(join(dir, path), content, typeof content === 'string' ? {} : { mode: 0o755 })
  }
}

/**
 * A bare origin on disk with `main` (the base) and `feature` (the head) commits, and a workspace
 * cloned from it with --depth=1 as actions/checkout leaves it: the base commit is not present.
 */
export async function makePullRequestRepo(base: Tree, head: Tree, apiUrl: string, number = 7): Promise<PullRequestRepo> {
  const root = await mkdtemp(join(tmpdir(), 'isg-pr-'))
  const origin = join(root, 'origin.git')
  const authoring = join(root, 'authoring')
  await exec('git', ['init', '--quiet', '--bare', '--initial-branch=main', origin])
  await exec('git', ['init', '--quiet', '--initial-branch=main', authoring])
  await writeTree(authoring, { 'README.md': 'service\n', ...base })
  await git(authoring, 'add', '-A')
  await git(authoring, 'commit', '--quiet', '-m', 'base')
  const baseSha = await git(authoring, 'rev-parse', 'HEAD')
  await git(authoring, 'checkout', '--quiet', '-b', 'feature')
  await git(authoring, 'rm', '--quiet', '-r', '--ignore-unmatch', '.')
  await writeTree(authoring, { 'README.md': 'service\n', ...head })
  await git(authoring, 'add', '-A')
  await git(authoring, 'commit', '--quiet', '-m', 'head')
  const headSha = await git(authoring, 'rev-parse', 'HEAD')
  await git(authoring, 'push', '--quiet', origin, 'main', 'feature')
  const workspace = join(root, 'workspace')
  await exec('git', ['clone', '--quiet', '--depth=1', '--branch', 'feature', `file://${origin}`, workspace])
  const eventPath = join(root, 'event.json')
  await writeFile(eventPath, JSON.stringify(pullRequestEvent(number, baseSha, headSha)))
  const env = {
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: 'octo-org/service',
    GITHUB_API_URL: apiUrl,
    GITHUB_WORKSPACE: workspace,
    GITHUB_SHA: headSha,
    GITHUB_REF: `refs/pull/${number}/merge`
  }
  return { origin, workspace, baseSha, headSha, eventPath, env }
}

/** Shaped like the payload GitHub sends for `pull_request` (opened), trimmed to what matters. */
function pullRequestEvent(number: number, baseSha: string, headSha: string) {
  const repo = { id: 1, name: 'service', full_name: 'octo-org/service', fork: false, owner: { login: 'octo-org', type: 'Organization' } }
  return {
    action: 'opened',
    number,
    pull_request: {
      number,
      state: 'open',
      title: 'Move the service onto alpine',
      user: { login: 'dev', type: 'User' },
      head: { label: 'octo-org:feature', ref: 'feature', sha: headSha, repo },
      base: { label: 'octo-org:main', ref: 'main', sha: baseSha, repo }
    },
    repository: repo,
    sender: { login: 'dev', type: 'User' }
  }
}
