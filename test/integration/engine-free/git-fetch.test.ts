import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { GitError, ensureCommit } from '../../../src/engine/git.js'
import { makePullRequestRepo } from '../../support/git-fixture.js'
import { startSilentServer, type SilentServer } from '../../support/silent-server.js'

// 60 s for a test or hook: a local fetch takes a second; the silent remote's test sets its own limit.
jest.setTimeout(60_000)

const exec = promisify(execFile)
let silent: SilentServer

beforeAll(async () => {
  silent = await startSilentServer()
})
afterAll(async () => silent.close())

describe('ensureCommit', () => {
  it('fetches the base commit a shallow clone lacks', async () => {
    const repo = await makePullRequestRepo(
      { Dockerfile: 'FROM scratch\n' },
      { Dockerfile: 'FROM scratch\nLABEL head=1\n' },
      'http://127.0.0.1:9'
    )
    await ensureCommit(repo.workspace, repo.baseSha)
    await expect(exec('git', ['cat-file', '-e', `${repo.baseSha}^{commit}`], { cwd: repo.workspace })).resolves.toBeDefined()
  })

  it('gives up on a remote that never answers, and kills git with its helpers', async () => {
    const repo = await makePullRequestRepo(
      { Dockerfile: 'FROM scratch\n' },
      { Dockerfile: 'FROM scratch\nLABEL head=1\n' },
      'http://127.0.0.1:9'
    )
    await exec('git', ['remote', 'set-url', 'origin', `${silent.url}/octo-org/service.git`], { cwd: repo.workspace })
    const started = Date.now()
    const attempt = ensureCommit(repo.workspace, repo.baseSha, 1500)
    await expect(attempt).rejects.toThrow(
      new GitError('git fetch gave no answer within 1.5 s; fetch the base commit beforehand (actions/checkout with fetch-depth: 0)')
    )
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(silent.connections).toBeGreaterThanOrEqual(1)
    // git-remote-http held the connection; it is gone with its process group.
    for (let waited = 0; silent.open > 0 && waited < 2_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50))
    expect(silent.open).toBe(0)
  }, 20_000)
})
