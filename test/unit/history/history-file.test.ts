import { describe, expect, it } from '@jest/globals'
import { distanceNote, pickRecord } from '../../../src/history/ancestry.js'
import { foreignEntry, historyFileName } from '../../../src/history/file-name.js'
import { MAX_RECORDS, appendRecord, parseHistory, skippedWarning } from '../../../src/history/history-file.js'
import { historyLines } from '../../../src/history/history-text.js'
import { HISTORY_SCHEMA, serializeRecord, type HistoryRecord } from '../../../src/history/record.js'
import { sparkline } from '../../../src/history/sparkline.js'
import { withValueAt } from '../../support/json-edit.js'

const sha = (n: number) => n.toString(16).padStart(40, '0')

function record(n: number, size = 1000 + n, platform = 'linux/amd64'): HistoryRecord {
  return {
    schema: HISTORY_SCHEMA,
    key: 'k',
    commit: sha(n),
    parent: n > 0 ? sha(n - 1) : null,
    time: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
    runUrl: null,
    passed: true,
    platforms: [
      { platform, size, compressedSize: Math.round(size / 2), compressedExact: true, layers: [], goModules: [], paths: [], passed: true }
    ]
  }
}
const text = (records: HistoryRecord[]) => records.map((each) => `${serializeRecord(each)}\n`).join('')

describe('history files', () => {
  it('skips a broken line and a record of another schema, and says so in one warning', () => {
    const other = JSON.stringify({ ...record(2), schema: 'image-size-gate.history/2' })
    const broken = '{"schema": "image-size-gate.hist'
    const parsed = parseHistory(`${serializeRecord(record(1))}\n${broken}\n${other}\r\n\n${serializeRecord(record(3))}\n`)
    expect(parsed.records.map((each) => each.commit)).toEqual([sha(1), sha(3)])
    expect(parsed.skipped).toEqual([
      { line: 2, reason: 'is not JSON' },
      { line: 3, reason: 'is a record of another schema ("image-size-gate.history/2")' }
    ])
    expect(skippedWarning('k.jsonl', parsed.skipped)).toBe('history: skipped line 2 of k.jsonl (and 1 more line): it is not JSON')
    expect(skippedWarning('k.jsonl', [])).toBeNull()
  })

  it('skips a record damaged deep inside, naming the field, and keeps the records around it', () => {
    const damaged = JSON.stringify(withValueAt(record(2), ['platforms', 0, 'size'], -1))
    const parsed = parseHistory(`${serializeRecord(record(1))}\n${damaged}\n${serializeRecord(record(3))}\n`)
    expect(parsed.records.map((each) => each.commit)).toEqual([sha(1), sha(3)])
    expect(skippedWarning('k.jsonl', parsed.skipped)).toBe(
      'history: skipped line 2 of k.jsonl: it is not a history record: platforms[0].size should be a whole number ≥ 0, not -1'
    )
  })

  it('appends after every line it found, damaged ones too, and keeps the last 1,000', () => {
    const appended = appendRecord(`${serializeRecord(record(1))}\nnot json\n`, record(2))
    expect(appended.split('\n')).toEqual([serializeRecord(record(1)), 'not json', serializeRecord(record(2)), ''])
    const full = text(Array.from({ length: MAX_RECORDS }, (_, n) => record(n)))
    const trimmed = parseHistory(appendRecord(full, record(MAX_RECORDS))).records
    expect(trimmed).toHaveLength(MAX_RECORDS)
    expect(trimmed[0]?.commit).toBe(sha(1))
    expect(trimmed[MAX_RECORDS - 1]?.commit).toBe(sha(MAX_RECORDS))
    expect(appendRecord('', record(0))).toBe(`${serializeRecord(record(0))}\n`)
  })

  it('picks the base record, else the nearest recorded ancestor, newest record of a commit first', () => {
    const records = [record(1, 10), record(3, 30), record(3, 31), record(5, 50, 'linux/arm64')]
    const any = () => true
    expect(pickRecord(records, [sha(3), sha(2), sha(1)], any)).toMatchObject({ distance: 0, record: { platforms: [{ size: 31 }] } })
    const ancestor = pickRecord(records, [sha(7), sha(6), sha(5), sha(4), sha(3)], (each) => each.platforms[0]?.platform === 'linux/amd64')
    expect(ancestor).toMatchObject({ distance: 4, record: { commit: sha(3) } })
    expect(distanceNote(ancestor as NonNullable<typeof ancestor>)).toBe('baseline is from 0000000, 4 commits before the base')
    expect(distanceNote({ record: record(1), distance: 1 })).toBe('baseline is from 0000000, 1 commit before the base')
    expect(pickRecord(records, [sha(9), sha(8)], any)).toBeNull()
  })

  it('names each key a safe, distinct file', () => {
    expect(historyFileName('')).toBe('default.jsonl')
    expect(historyFileName('api')).toBe('api.jsonl')
    const names = ['Dockerfile (linux/amd64)', 'Dockerfile (linux-amd64)', '../../etc/passwd', '.git', '-rf', '\u202Eevil']
    const files = names.map(historyFileName)
    expect(new Set(files).size).toBe(names.length)
    for (const file of files) expect(file).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*\.jsonl$/)
    expect(files.every((file) => !file.includes('..') && !file.includes('/'))).toBe(true)
    expect(historyFileName('x'.repeat(300)).length).toBeLessThanOrEqual(86)
  })

  it('draws a sparkline from lowest to highest, and a flat one for equal values', () => {
    expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8])).toBe('▁▂▃▄▅▆▇█')
    expect(sparkline([5, 5, 5])).toBe('▄▄▄')
    expect(sparkline([])).toBe('')
    expect(sparkline(Array.from({ length: 1000 }, (_, n) => n))).toHaveLength(1000)
  })

  it('lists the last ten records with their sparkline', () => {
    const lines = historyLines(
      Array.from({ length: 12 }, (_, n) => record(n, 1_000_000 * (n + 1))),
      'uncompressed',
      ''
    )
    expect(lines[0]).toBe('history: last 10 of 12 records, uncompressed')
    expect(lines[1]).toBe('  ▁▂▃▃▄▅▆▆▇█  3.00 MB → 12.0 MB')
    expect(lines).toHaveLength(12)
    expect(lines[11]).toBe(`  ${sha(11).slice(0, 7)}  2026-01-01 00:11    12.0 MB  passed`)
    expect(historyLines([], 'compressed', '')).toEqual(['history: no records with a compressed size yet'])
  })
})

describe('foreignEntry: what a history branch may hold', () => {
  const file = (name: string) => ({ mode: '100644', type: 'blob', name })
  const tree = (name: string) => ({ mode: '040000', type: 'tree', name })

  it('accepts history files and the history own directories', () => {
    expect(foreignEntry([file('default.jsonl'), tree('layer-index')], ['layer-index'])).toBeNull()
  })

  it('names the first entry that is code, a link, or a directory the history does not write', () => {
    expect(foreignEntry([file('default.jsonl'), tree('layer-index')])).toBe('layer-index')
    expect(foreignEntry([file('a.jsonl'), file('main.go')], ['layer-index'])).toBe('main.go')
    expect(foreignEntry([{ mode: '120000', type: 'blob', name: 'x.jsonl' }], ['layer-index'])).toBe('x.jsonl')
    expect(foreignEntry([tree('src')], ['layer-index'])).toBe('src')
  })
})
