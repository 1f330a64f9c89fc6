import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ModuleChange } from '../../../src/report/godiff.js'
import { BUILD_TIMEOUT, buildGoFixtures, GOMOD } from '../../support/go-fixtures.js'
import { ENGINE, runAction } from '../../support/action-runner.js'
import { makePullRequestRepo } from '../../support/git-fixture.js'
import { readReportOutput } from '../../support/published-schema.js'
import { ACTIONS_BOT_LOGIN, FakeGitHubServer } from '../../support/github-server.js'

// 180 s for a test or hook: a test builds a base and a head Go image: 15 s at most on a loaded 2-core machine.
jest.setTimeout(180_000)

// The pull requests of issue 11: one scratch image per side around a Go program built offline by
// scripts/make-go-module-fixtures.sh, the action run on the PR event, the comment read back from the REST server.
const TOKEN = 'ghs_testtoken0123456789'
const PR = { owner: 'octo-org', repo: 'service' }

let github: FakeGitHubServer
let api: { url: string; close(): Promise<void> }

beforeAll(async () => {
  buildGoFixtures()
  github = new FakeGitHubServer({ token: TOKEN })
  api = await github.start()
}, BUILD_TIMEOUT)
afterAll(async () => api?.close())

/** A scratch image holding one fixture binary as /app. */
const image = (binary: string) => ({ Dockerfile: 'FROM scratch\nCOPY app /app\n', app: readFileSync(join(GOMOD, binary)) })

/** The "Why `/app` …" section of the posted comment: its title, then its bullet lines. */
async function growthRun(base: string, head: string, number: number): Promise<{ title: string; lines: string[]; modules: ModuleChange[] }> {
  const repo = await makePullRequestRepo(image(base), image(head), api.url, number)
  const run = await runAction({ network: 'none', 'github-token': TOKEN }, repo.env, [], repo.workspace)
  expect(run.exitCode).toBe(0)
  const comments = github.comments({ ...PR, number })
  expect(comments).toHaveLength(1)
  expect(comments[0]?.user.login).toBe(ACTIONS_BOT_LOGIN)
  const body = comments[0]?.body ?? ''
  const start = body.indexOf('**Why <code>/app</code>')
  if (start === -1) console.log(`no growth section in the comment:\n${body}\n${run.stdout}`)
  expect(start).toBeGreaterThan(-1)
  const [title = '', , ...rest] = body.slice(start).split('\n')
  const lines = rest.slice(0, rest.indexOf(''))
  // A real excerpt, for docs/go-binaries.md.
  if (number === 41) console.log(`comment excerpt (${ENGINE.label}):\n${[title, '', ...lines].join('\n')}`)
  // A report with a baseline and a module diff, held against the published JSON Schema.
  const report = await readReportOutput(run)
  return { title, lines, modules: report.delta?.binaries?.[0]?.modules ?? [] }
}

const deltas = (modules: ModuleChange[]) => modules.map((m) => [m.path, m.kind, m.delta])

describe(`"Why /app grew" on real pull requests (${ENGINE.label})`, () => {
  it('head adds golang.org/x/text', async () => {
    const { title, lines, modules } = await growthRun('app', 'add', 41)
    expect(title).toBe('**Why <code>/app</code> grew** (2.13 MB → 2.51 MB, +382 kB)')
    expect(lines).toEqual([
      '- +172 kB <code>golang.org/x/text</code> (new, <code>v0.7.0</code>)',
      '- +4.34 kB <code>std</code> (<code>go1.19.8</code>)',
      '- +225 B <code>example.com/app</code> (<code>(devel)</code>)',
      '- +206 kB outside packages (DWARF +75.1 kB, pclntab +50.8 kB, symbol tables +28.5 kB, …)'
    ])
    expect(deltas(modules)).toEqual([
      ['golang.org/x/text', 'added', 171810],
      ['std', 'unchanged', 4336],
      ['example.com/app', 'unchanged', 225]
    ])
  })

  it('head upgrades github.com/google/uuid', async () => {
    const { title, lines, modules } = await growthRun('app', 'upgrade', 42)
    expect(title).toMatch(/^\*\*Why <code>\/app<\/code> grew\*\* \(2\.13 MB → 2\.14 MB, \+\d\.\d\d kB\)$/)
    expect(lines.slice(0, 3)).toEqual([
      '- +2.31 kB <code>github.com/google/uuid</code> (<code>v1.3.0</code> → <code>v1.4.0</code>)',
      '- +189 B <code>example.com/app</code> (<code>(devel)</code>)',
      '- +19 B <code>std</code> (<code>go1.19.8</code>)'
    ])
    expect(lines[3]).toMatch(/^- \+2\.\d\d kB outside packages \(pclntab \+1\.45 kB, /)
    expect(deltas(modules)).toEqual([
      ['github.com/google/uuid', 'upgraded', 2306],
      ['example.com/app', 'unchanged', 189],
      ['std', 'unchanged', 19]
    ])
  })

  it('head moves from Go 1.19 to Go 1.24', async () => {
    const { title, lines, modules } = await growthRun('app', 'go124-app', 43)
    expect(title).toBe('**Why <code>/app</code> grew** (2.13 MB → 2.82 MB, +694 kB)')
    expect(lines).toEqual([
      '- +162 kB <code>std</code> (<code>go1.19.8</code> → <code>go1.24.4</code>)',
      '- -318 B <code>github.com/google/uuid</code> (<code>v1.3.0</code>)',
      '- -91 B <code>example.com/app</code> (<code>(devel)</code>)',
      '- -buildmode: unset → <code>exe</code>',
      '- +532 kB outside packages (pclntab +223 kB, DWARF +211 kB, type and itab data +65.4 kB, …)'
    ])
    expect(deltas(modules)).toEqual([
      ['std', 'upgraded', 162431],
      ['github.com/google/uuid', 'unchanged', -318],
      ['example.com/app', 'unchanged', -91]
    ])
  })

  it('head drops -ldflags=-s -w: no module changes, the symbol tables and DWARF explain it all', async () => {
    const { title, lines, modules } = await growthRun('app-sw', 'app', 44)
    expect(title).toBe('**Why <code>/app</code> grew** (1.43 MB → 2.13 MB, +701 kB)')
    expect(lines[0]).toBe('- ldflags: -s -w removed (+701 kB)')
    expect(lines.slice(1)).toEqual([expect.stringMatching(/^- \+\d+ B outside packages \(/)])
    expect(modules).toEqual([])
  })

  it('head turns on cgo: the C code it links, and std sheds its pure-Go os/user', async () => {
    const { title, lines, modules } = await growthRun('app', 'app-cgo', 45)
    expect(title).toBe('**Why <code>/app</code> shrank** (2.13 MB → 2.12 MB, -13.0 kB)')
    expect(lines).toEqual([
      '- -11.4 kB <code>std</code> (<code>go1.19.8</code>)',
      '- CGO_ENABLED: <code>0</code> → <code>1</code> (+2.79 kB C code)',
      '- -4.41 kB outside packages (DWARF -7.63 kB, ELF headers and padding +4.52 kB, pclntab -3.06 kB, …)'
    ])
    expect(modules.map((m) => [m.path, Math.sign(m.delta)])).toEqual([['std', -1]])
  })
})
