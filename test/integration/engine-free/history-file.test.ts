/**
 * The CLI's local size-history file against a real file system and git: a file too large to read is
 * one warning, as on the action's branch; the gate goes on, and the file is left as it was.
 */
import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtemp, stat, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { recordOf } from '../../../src/history/record.js'
import type { Log } from '../../../src/log.js'
import { openFileHistory } from '../../../src/run/file-history.js'
import { makeReport } from '../../support/report-builder.js'

// 15 s for a test: a git init and a commit, well under a second.

describe('--history-file over 64 MiB', () => {
  it('warns, reads nothing and appends nothing, where it stopped the run before', async () => {
    const repo = await mkdtemp(join(tmpdir(), 'isg-history-file-'))
    const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim()
    git('init', '--quiet')
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '--quiet', '--allow-empty', '-m', 'one')
    const path = join(repo, 'history.jsonl')
    await writeFile(path, '')
    await truncate(path, 70 * 1024 ** 2)
    const warnings: string[] = []
    const log: Log = { info: () => undefined, warning: (message) => warnings.push(message), group: (_title, body) => body() }
    const history = await openFileHistory(path, repo, log)
    expect(history.records).toEqual([])
    expect(warnings).toEqual([
      `history: '${path}' is 73.4 MB, over the 64 MiB limit for a size-history file, so it is not read or appended to; the budget still decides`
    ])
    const record = recordOf([makeReport({ size: 1 })], {
      key: 'k',
      commit: history.head,
      parent: null,
      time: new Date().toISOString(),
      runUrl: null
    })
    expect(await history.append(record)).toBe(false)
    expect((await stat(path)).size).toBe(70 * 1024 ** 2)
    expect(warnings).toHaveLength(1)
  })
})
