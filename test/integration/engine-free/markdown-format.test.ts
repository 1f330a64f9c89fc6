/**
 * `--format markdown` prints the very comment the action posts: the bundled action on a pull request
 * against the local REST server, and the bundled CLI with the same inputs, on the same two Go images.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction, runCli, type ActionRun } from '../../support/bundle.js'
import { makePullRequestRepo, type PullRequestRepo } from '../../support/git-fixture.js'
import { BUILD_TIMEOUT, buildGoFixtures, GOMOD } from '../../support/go-fixtures.js'
import { FakeGitHubServer } from '../../support/github-server.js'
import { layoutTar, makeLayout } from '../../support/oci-layout.js'
import { makeTar } from '../../support/tar-writer.js'

const TOKEN = 'ghs_markdownformat0123456789'
const PR = { owner: 'octo-org', repo: 'service', number: 31 }

let dir: string
let repo: PullRequestRepo
let github: FakeGitHubServer
let closeApi: () => Promise<void>
let action: ActionRun
let inputs: Record<string, string>

/** An oci-archive of one layer holding the Go program at /app. */
async function goImage(name: string, program: string): Promise<string> {
  const layer = makeTar([{ path: 'app', content: await readFile(join(GOMOD, program)), mode: 0o755 }])
  const path = join(dir, `${name}.tar`)
  await writeFile(path, layoutTar(makeLayout([{ platforms: [{ platform: 'linux/amd64', layers: [layer] }] }])))
  return `oci-archive:${path}`
}

beforeAll(async () => {
  buildGoFixtures()
  dir = await mkdtemp(join(tmpdir(), 'isg-markdown-'))
  github = new FakeGitHubServer({ token: TOKEN })
  const api = await github.start()
  closeApi = api.close
  repo = await makePullRequestRepo({ 'main.go': 'package main\n' }, { 'main.go': 'package main // add\n' }, api.url, PR.number)
  // The head adds a module to the base's program, so the comment has its "why it grew" part too.
  inputs = { image: await goImage('head', 'add'), 'baseline-image': await goImage('base', 'app'), 'max-growth': '1%' }
  action = await runAction({ ...inputs, 'github-token': TOKEN }, repo.env, [], repo.workspace)
}, BUILD_TIMEOUT)

afterAll(async () => {
  await closeApi()
  await rm(dir, { recursive: true, force: true })
})

describe('--format markdown', () => {
  it('prints the body the action posted, byte for byte, and exits as the action did', async () => {
    const [posted] = github.comments(PR)
    expect(posted?.body).toContain('size-growth')
    expect(posted?.body).toContain('<code>golang.org/x/text</code> (new, <code>v0.7.0</code>)')
    const flags = Object.entries(inputs).flatMap(([name, value]) => [`--${name}`, value])
    const cli = await runCli([...flags, '--format', 'markdown'], {}, repo.workspace)
    expect(cli.stderr).toBe('')
    expect(cli.stdout).toBe(`${posted?.body}\n`)
    expect([action.exitCode, cli.exitCode]).toEqual([1, 1])
  })
})
