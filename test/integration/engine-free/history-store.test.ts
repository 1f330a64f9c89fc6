/**
 * The size history's git store against real git: a bare origin served by `git http-backend` behind a
 * token check, and `--depth=1` clones as actions/checkout makes them. No engine.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { HISTORY_REF } from '../../../src/engine/git-store.js'
import { parseHistory } from '../../../src/history/history-file.js'
import { recordOf, serializeRecord, type HistoryRecord } from '../../../src/history/record.js'
import type { Log } from '../../../src/log.js'
import { openBranchHistory, type BranchHistory } from '../../../src/run/branch-history.js'
import { makeReport } from '../../support/report-builder.js'
import { startGitHttpServer, type GitHttpServer } from '../../support/git-http-server.js'
import { authHeader, git, makeHistoryRepo, shallowClone, type HistoryRepo } from '../../support/history-fixture.js'

// 120 s for a test or hook: racing pushes to a local git server: 16 s at most on a loaded 2-core machine.
jest.setTimeout(120_000)

const READ = 'ghs_readonly0123456789'
const WRITE = 'ghs_writer0123456789'
const BRANCH = 'image-size-history'
const KEY = 'Dockerfile'

let server: GitHttpServer
let repo: HistoryRepo
let url: string
let clones = 0

beforeAll(async () => {
  repo = await makeHistoryRepo(5, (n) => ({ 'app.txt': 'a'.repeat(n * 100) }), { 'app.txt': 'feature' })
  server = await startGitHttpServer({ root: repo.root, readToken: READ, writeToken: WRITE })
  url = `${server.url}/origin.git`
})
afterAll(async () => server.close())

interface Said {
  log: Log
  warnings: string[]
  infos: string[]
}

function recordingLog(): Said {
  const said: Said = {
    warnings: [],
    infos: [],
    log: { info: (line) => said.infos.push(line), warning: (message) => said.warnings.push(message), group: (_t, body) => body() }
  }
  return said
}

/** A fresh shallow workspace of main's tip (or the feature branch), with checkout's read-token header persisted. */
const workspace = (branch = 'main', token = READ) => shallowClone(url, join(repo.root, `ws-${++clones}`), branch, { token })

const record = (commit: string, size: number): HistoryRecord => {
  const report = makeReport({ size, compressedSize: Math.floor(size / 3), compressedExact: true })
  return recordOf([report], { key: KEY, commit, parent: null, time: new Date().toISOString(), runUrl: null })
}

async function open(dir: string, token: string, said = recordingLog()): Promise<BranchHistory> {
  return openBranchHistory({ branch: BRANCH, key: KEY, token, workspace: dir }, said.log)
}

/** The history file as origin has it now. */
async function originRecords(file = `${KEY}.jsonl`): Promise<HistoryRecord[]> {
  const text = await git(repo.origin, 'show', `${BRANCH}:${file}`).catch(() => '')
  return parseHistory(text).records
}

describe('size history on a git branch (real git over smart HTTP)', () => {
  it('creates the branch as an orphan from a depth=1 clone, and leaves the workspace and its config as they were', async () => {
    const dir = await workspace()
    const before = {
      head: await git(dir, 'rev-parse', 'HEAD'),
      status: await git(dir, 'status', '--porcelain'),
      config: await readFile(join(dir, '.git/config'), 'utf8')
    }
    const said = recordingLog()
    const history = await open(dir, WRITE, said)
    expect(history.records).toEqual([])
    expect(await history.append(record(repo.main[0] as string, 1000))).toBe(true)
    expect(said.warnings).toEqual([])
    expect(await git(repo.origin, 'rev-list', '--count', BRANCH)).toBe('1')
    expect(await git(repo.origin, 'rev-list', '--parents', '-n1', BRANCH)).toMatch(/^[0-9a-f]{40}$/)
    expect(await git(repo.origin, 'ls-tree', '--name-only', BRANCH)).toBe(`${KEY}.jsonl`)
    expect((await originRecords()).map((each) => each.commit)).toEqual([repo.main[0]])
    expect(await git(dir, 'rev-parse', 'HEAD')).toBe(before.head)
    expect(await git(dir, 'status', '--porcelain')).toBe(before.status)
    expect(await git(dir, 'branch', '-a', '--format=%(refname)')).not.toContain(HISTORY_REF)
    const config = await readFile(join(dir, '.git/config'), 'utf8')
    expect(config).toBe(before.config)
    expect(config).not.toContain(authHeader(WRITE).split(' ').pop())
    // checkout's persisted read-token header was replaced, not doubled: the pushes carried the write token.
    expect(server.requests.filter((request) => request.service === 'receive-pack').every((request) => request.token === 'write')).toBe(true)
  })

  it('lands every record when main runs push at the same time, re-fetching and re-appending on a rejected push', async () => {
    const dirs = await Promise.all([workspace(), workspace(), workspace()])
    const logs = dirs.map(() => recordingLog())
    const histories = await Promise.all(dirs.map((dir, index) => open(dir, WRITE, logs[index])))
    const before = (await originRecords()).length
    const appended = await Promise.all(
      histories.map((history, index) => history.append(record(repo.main[index + 1] as string, 1000 * (index + 2))))
    )
    expect(appended).toEqual([true, true, true])
    const commits = (await originRecords()).map((each) => each.commit)
    expect(commits).toHaveLength(before + 3)
    expect(commits).toEqual(expect.arrayContaining(repo.main.slice(1, 4)))
    // Three runs started from one tip: at least one push was rejected and redone on the new tip.
    expect(logs.flatMap((said) => said.infos).some((line) => /moved under attempt 1; fetching it again$/.test(line))).toBe(true)
    expect(logs.flatMap((said) => said.warnings)).toEqual([])
    // Append-only: the history branch is one line of commits, each adding a record.
    expect(Number(await git(repo.origin, 'rev-list', '--count', BRANCH))).toBe(before + 3)
  })

  it('gives a pull request the record of its base, read from a shallow clone of the head', async () => {
    const dir = await workspace('main')
    await (await open(dir, WRITE)).append(record(repo.main[4] as string, 5000))
    const pr = await workspace('feature')
    const history = await open(pr, READ)
    const answer = await history.baselineFor(repo.main[4] as string, '')
    const baseline = expect.objectContaining({ source: 'history', ref: repo.main[4], size: 5000, compressedSize: 1666 })
    expect(answer).toEqual({ outcome: { baseline, note: null } })
    expect('outcome' in answer && answer.outcome.baseline?.note).toBeUndefined()
  })

  it('takes the nearest recorded ancestor when the base has no record, and says how far back it is', async () => {
    const other = await makeHistoryRepo(6, (n) => ({ 'app.txt': 'b'.repeat(n) }), { 'app.txt': 'feature' })
    const otherServer = await startGitHttpServer({ root: other.root, readToken: READ, writeToken: WRITE })
    try {
      const origin = `${otherServer.url}/origin.git`
      const writer = await shallowClone(origin, join(other.root, 'writer'), 'main', { token: WRITE })
      await (await open(writer, WRITE)).append(record(other.main[2] as string, 3000))
      const pr = await shallowClone(origin, join(other.root, 'pr'), 'feature', { token: READ })
      const said = recordingLog()
      const answer = await (await open(pr, READ, said)).baselineFor(other.main[5] as string, 'linux/amd64')
      const note = `baseline is from ${other.main[2]?.slice(0, 7)}, 3 commits before the base`
      expect(answer).toMatchObject({ outcome: { baseline: { ref: other.main[2], size: 3000, note } } })
      expect(said.warnings).toEqual([])
      const none = await (await open(pr, READ)).baselineFor(other.main[1] as string, '')
      const fallback = `no record of the base ${other.main[1]?.slice(0, 7)} or of its 49 nearest ancestors in ${KEY}.jsonl`
      expect(none).toEqual({ fallback })
    } finally {
      await otherServer.close()
    }
  })

  it("reads the history with a fork's read-only token, and a push with it warns once and loses nothing", async () => {
    const fork = await workspace('feature', READ)
    const before = await originRecords()
    const said = recordingLog()
    const history = await open(fork, READ, said)
    expect(history.records.map((each) => each.commit)).toEqual(before.map((each) => each.commit))
    expect(await history.append(record(repo.feature, 9999))).toBe(false)
    expect(said.warnings).toHaveLength(1)
    expect(said.warnings[0]).toMatch(
      new RegExp(
        "^history: the record of [0-9a-f]{7} was not added to Dockerfile\\.jsonl on the branch 'image-size-history' " +
          "\\(git push to the history branch 'image-size-history' failed: .*403.*\\); the budget still decides$"
      )
    )
    expect(said.warnings.join('\n')).not.toContain(READ)
    expect(await originRecords()).toEqual(before)
  })

  it('warns once and reads nothing when the server refuses the token; never fails', async () => {
    const dir = await workspace()
    const said = recordingLog()
    const history = await open(dir, 'ghs_wrong', said)
    expect(history.records).toEqual([])
    expect(said.warnings).toHaveLength(1)
    expect(said.warnings[0]).toMatch(
      new RegExp(
        "^history: could not read Dockerfile\\.jsonl from the branch 'image-size-history' " +
          "\\(git fetch of the history branch 'image-size-history' failed: .+\\); the budget still decides$"
      )
    )
    expect(said.warnings[0]).not.toContain('ghs_wrong')
    const answer = await history.baselineFor(repo.main[4] as string, '')
    expect(answer).toEqual({ fallback: 'the history could not be read' })
  })

  it('leaves a complete clone complete: nothing is fetched with --depth there', async () => {
    const dir = join(repo.root, `full-${++clones}`)
    await git(repo.root, '-c', `http.extraheader=${authHeader(READ)}`, 'clone', '--quiet', url, dir)
    const history = await open(dir, READ)
    expect(history.records.length).toBeGreaterThan(0)
    const answer = await history.baselineFor(repo.feature, '')
    expect(answer).toMatchObject({ outcome: { baseline: { ref: repo.main[4] } } })
    expect(await git(dir, 'rev-parse', '--is-shallow-repository')).toBe('false')
    expect(Number(await git(dir, 'rev-list', '--count', 'origin/main'))).toBe(5)
  })

  it('refuses a branch that holds anything but history files, such as main: nothing read, nothing committed', async () => {
    const dir = await workspace('main', WRITE)
    const said = recordingLog()
    const mainBefore = await git(repo.origin, 'rev-parse', 'refs/heads/main')
    const history = await openBranchHistory({ branch: 'main', key: KEY, token: WRITE, workspace: dir }, said.log)
    expect(history.records).toEqual([])
    expect(said.warnings).toEqual([
      "history: the branch 'main' holds app.txt, not only size-history files (*.jsonl, layer-index/); give the history a branch of its own, e.g. image-size-history"
    ])
    expect(await history.append(record(repo.main[4] as string, 5000))).toBe(false)
    expect(await git(repo.origin, 'rev-parse', 'refs/heads/main')).toBe(mainBefore)
    expect(await history.baselineFor(repo.main[3] as string, '')).toEqual({
      fallback: "the branch 'main' holds app.txt, not only size-history files (*.jsonl, layer-index/)"
    })
  })

  it('skips a damaged line and a record of another schema with one warning, and keeps them when appending', async () => {
    const dir = await workspace()
    const good = serializeRecord(record(repo.main[3] as string, 4000))
    const other = JSON.stringify({ schema: 'image-size-gate.history/9', commit: 'x' })
    const text = `${good}\n{"schema":"image-size-gate.history/1","commit":\n${other}\n`
    await pushFile(dir, 'damaged.jsonl', text)
    const said = recordingLog()
    const history = await openBranchHistory({ branch: BRANCH, key: 'damaged', token: WRITE, workspace: dir }, said.log)
    expect(history.records.map((each) => each.commit)).toEqual([repo.main[3]])
    expect(said.warnings).toEqual([`history: skipped line 2 of damaged.jsonl on the branch '${BRANCH}' (and 1 more line): it is not JSON`])
    expect(await history.append(record(repo.main[4] as string, 5000))).toBe(true)
    const lines = (await git(repo.origin, 'show', `${BRANCH}:damaged.jsonl`)).split('\n')
    expect(lines.slice(0, 3)).toEqual(text.trimEnd().split('\n'))
    expect(lines).toHaveLength(4)
  })
})

/** Puts a hand-made file on the history branch, as another tool or a broken writer might. */
async function pushFile(dir: string, file: string, text: string): Promise<void> {
  const env = ['-c', `http.${url}.extraheader=`, '-c', `http.${url}.extraheader=${authHeader(WRITE)}`]
  await git(dir, ...env, 'fetch', '--quiet', '--depth=1', 'origin', `+refs/heads/${BRANCH}:refs/tmp/history`)
  await git(dir, 'worktree', 'add', '--quiet', '--detach', join(dir, '.git/tmp-history'), 'refs/tmp/history')
  const tree = join(dir, '.git/tmp-history')
  const { writeFile } = await import('node:fs/promises')
  await writeFile(join(tree, file), text)
  await git(tree, 'add', file)
  await git(tree, 'commit', '--quiet', '-m', `hand-made ${file}`)
  await git(tree, ...env, 'push', '--quiet', 'origin', `HEAD:refs/heads/${BRANCH}`)
}
