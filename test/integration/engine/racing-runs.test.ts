import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { annotations, runAction } from '../../support/action-runner.js'
import { makePullRequestRepo } from '../../support/git-fixture.js'
import { ACTIONS_BOT_LOGIN, FakeGitHubServer } from '../../support/github-server.js'

const TOKEN = 'ghs_testtoken0123456789'
const PR = { owner: 'octo-org', repo: 'service', number: 51 }
const scratch = { Dockerfile: 'FROM scratch\nCOPY app.txt /app.txt\n', 'app.txt': 'a'.repeat(3000) }
const alpine = (size: number) => ({
  Dockerfile: 'FROM image-size-gate/alpine-like:latest\nCOPY app.txt /app.txt\n',
  'app.txt': 'a'.repeat(size)
})

let github: FakeGitHubServer
let api: { url: string; close(): Promise<void> }

beforeAll(async () => {
  github = new FakeGitHubServer({ token: TOKEN })
  api = await github.start()
})
afterAll(async () => api.close())

async function pullRequestRun(head: Record<string, string>) {
  const repo = await makePullRequestRepo(scratch, head, api.url, PR.number)
  return runAction({ network: 'none', 'github-token': TOKEN }, repo.env, [], repo.workspace)
}

describe('two runs of one job on one pull request at once', () => {
  it('leave exactly one comment, the oldest, with a run’s numbers', async () => {
    // Each listing answers with the comments as they were on arrival, 15 s late: both runs find none.
    github.slowListing(15_000)
    const runs = await Promise.all([pullRequestRun(alpine(3000)), pullRequestRun(alpine(9000))])
    const thread = github.comments(PR)
    // Both created one: the race really happened.
    expect(github.createdIds).toHaveLength(2)
    expect(thread.map((comment) => [comment.id, comment.user.login])).toEqual([[github.createdIds[0], ACTIONS_BOT_LOGIN]])
    for (const run of runs) {
      expect(run.exitCode).toBe(0)
      expect(annotations(run.stdout).filter((annotation) => annotation.level === 'warning')).toEqual([])
      expect(run.outputs['comment-url']).toBe(thread[0]?.html_url)
    }
    expect(runs.some((run) => thread[0]?.body.endsWith(run.outputs['comment-body'] as string))).toBe(true)
    expect(github.requestsTo('DELETE', /\/issues\/comments\/\d+$/).length).toBeGreaterThanOrEqual(1)
  }, 300_000)
})
