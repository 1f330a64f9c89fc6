/**
 * The layer index on the size-history branch, against real git over smart HTTP behind a token check:
 * the run that records adds entries beside the records, a pull request reads them and never adds any,
 * and entries no record names are pruned. No engine.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { join } from 'node:path'
import { readImageArchive } from '../../../src/archive/archive.js'
import { PathTree } from '../../../src/archive/path-tree.js'
import { recordOf, type HistoryRecord } from '../../../src/history/record.js'
import type { Log } from '../../../src/log.js'
import { openBranchHistory } from '../../../src/run/branch-history.js'
import { readEntry, type FreshAnalysis } from '../../../src/run/layer-index.js'
import { goElf } from '../../support/elf-writer.js'
import { startGitHttpServer, type GitHttpServer } from '../../support/git-http-server.js'
import { git, makeHistoryRepo, shallowClone, type HistoryRepo } from '../../support/history-fixture.js'
import { makeReport } from '../../support/report-builder.js'
import { chunked, makeDockerSave, makeTar, sha256 } from '../../support/tar-writer.js'

// 120 s for a test or hook: a few pushes to a local git server, 10 s at most on a loaded 2-core machine.
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
  repo = await makeHistoryRepo(3, (n) => ({ 'app.txt': 'a'.repeat(n * 100) }), { 'app.txt': 'feature' })
  server = await startGitHttpServer({ root: repo.root, readToken: READ, writeToken: WRITE })
  url = `${server.url}/origin.git`
})
afterAll(async () => server.close())

const said = { warnings: [] as string[], infos: [] as string[] }
const log: Log = { info: (line) => said.infos.push(line), warning: (message) => said.warnings.push(message), group: (_t, body) => body() }

/** A plain layer's fresh analysis: a Go toolchain binary and a file of `marker`. */
async function analysis(marker: string): Promise<FreshAnalysis> {
  const layer = makeTar([
    { path: 'usr/local/go/bin/go', content: goElf({ goPath: 'cmd/go' }), mode: 0o755 },
    { path: 'marker', content: marker }
  ])
  const archive = await readImageArchive(chunked(makeDockerSave({ layers: [layer] }), 4096), { estimateCompressed: true })
  const scan = archive.layers[0]
  if (!scan) throw new Error('no layer')
  return { diffId: sha256(layer), scan, estimate: { size: scan.compressedSize ?? 0, gzipScale: 1 }, replaces: false }
}

/** A record whose one layer is `diffId`, as the run that measured it appends it. */
function recordNaming(commit: string, diffId: string): HistoryRecord {
  const layer = {
    diffId,
    size: 1000,
    compressedSize: 500,
    compressedExact: false,
    files: 2,
    createdBy: null,
    instruction: null,
    dockerfileLine: null
  }
  const report = makeReport({ size: 1000, layers: [layer] })
  return recordOf([report], { key: KEY, commit, parent: null, time: new Date().toISOString(), runUrl: null })
}

const workspace = (branch: string, token: string) => shallowClone(url, join(repo.root, `ws-${++clones}`), branch, { token })
const open = async (branch: string, token: string) =>
  openBranchHistory({ branch: BRANCH, key: KEY, token, workspace: await workspace(branch, token) }, log)
const entriesOnOrigin = async () => (await git(repo.origin, 'ls-tree', '--name-only', `${BRANCH}:layer-index`)).split('\n').filter(Boolean)
const entryName = (diffId: string) => `${diffId.slice(7)}.jsonl`

describe('the layer index on the size-history branch (real git over smart HTTP)', () => {
  it('is added to by the run that records, beside the records, and read back whole by a pull request', async () => {
    const toolchain = await analysis('one')
    const main = await open('main', WRITE)
    expect(await main.append(recordNaming(repo.main[0] as string, toolchain.diffId))).toBe(true)
    await main.layerIndex(true)?.add([toolchain], log)
    expect(said.warnings).toEqual([])
    expect(said.infos).toContain(`layer index on the branch '${BRANCH}': 1 entry added, 0 pruned`)
    expect(await entriesOnOrigin()).toEqual([entryName(toolchain.diffId)])

    const pr = (await open('feature', READ)).layerIndex(false)
    expect(pr?.has(toolchain.diffId)).toBe(true)
    const stored = pr ? await readEntry(pr, toolchain.diffId, new PathTree(), log) : undefined
    expect([...(stored?.scan.entries ?? [])]).toEqual([...toolchain.scan.entries])
    expect(stored?.scan.entries.elf(0)?.go?.path).toBe('cmd/go')
    expect(said.warnings).toEqual([])
  })

  it("never takes a pull request's entries: its run reads the index but does not write, even with a token that could", async () => {
    const before = await git(repo.origin, 'rev-parse', BRANCH)
    const planted = await analysis('from the pull request')
    const pr = (await open('feature', WRITE)).layerIndex(false)
    expect(pr?.writable).toBe(false)
    await pr?.add([planted], log)
    expect(await git(repo.origin, 'rev-parse', BRANCH)).toBe(before)
    expect(await entriesOnOrigin()).not.toContain(entryName(planted.diffId))
  })

  it('prunes the entries no record on the branch names, with the records', async () => {
    const named = await analysis('two')
    const unnamed = await analysis('named by no record')
    const first = await open('main', WRITE)
    await first.append(recordNaming(repo.main[1] as string, named.diffId))
    await first.layerIndex(true)?.add([named, unnamed], log)
    expect(await entriesOnOrigin()).toEqual(expect.arrayContaining([entryName(named.diffId), entryName(unnamed.diffId)]))

    const later = await analysis('three')
    const second = await open('main', WRITE)
    await second.append(recordNaming(repo.main[2] as string, later.diffId))
    await second.layerIndex(true)?.add([later], log)
    const entries = await entriesOnOrigin()
    expect(entries).toEqual(expect.arrayContaining([entryName(named.diffId), entryName(later.diffId)]))
    expect(entries).not.toContain(entryName(unnamed.diffId))
    expect(said.infos).toContain(`layer index on the branch '${BRANCH}': 1 entry added, 1 pruned`)
    expect(said.warnings).toEqual([])
  })
})
