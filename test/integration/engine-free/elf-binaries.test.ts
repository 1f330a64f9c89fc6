import { describe, expect, it, jest } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { BIN, buildGoFixtures } from '../../support/go-fixtures.js'
import { expectNoThrowOnCorruption, scan, scanAll } from '../../support/elf-stream.js'
import { skipIf } from '../../support/skip.js'

// 60 s for a test or hook: scanning real Go toolchain binaries: 3 s at most on a loaded 2-core machine.
jest.setTimeout(60_000)

// Engine-free: real Go and C binaries built by the fixture scripts, streamed through ElfScanner (run once, with the unit tests).
const fixture = (name: string): string => join(BIN, name)

interface GoVersionM {
  goVersion: string
  path: string
  module?: string
  settings: Record<string, string>
}

/** Parses `go version -m FILE`, the reference the scanner must agree with. */
function goVersionM(file: string): GoVersionM {
  const out = execFileSync('go', ['version', '-m', file], { encoding: 'utf8', env: goEnv() })
  const [first = '', ...lines] = out.trimEnd().split('\n')
  const result: GoVersionM = { goVersion: first.slice(first.lastIndexOf(' ') + 1), path: '', settings: {} }
  for (const line of lines) {
    const [, kind, ...fields] = line.split('\t')
    if (kind === 'path') result.path = fields[0] ?? ''
    if (kind === 'mod') result.module = fields[0]
    if (kind !== 'build') continue
    const setting = fields.join('\t')
    const eq = setting.indexOf('=')
    const value = setting.slice(eq + 1)
    result.settings[setting.slice(0, eq)] = value.startsWith('"') ? (JSON.parse(value) as string) : value
  }
  return result
}

function goEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', GOPROXY: 'off' }
}

const INTERPRETER = '/lib64/ld-linux-x86-64.so.2'

// Built before the tests are collected (in well under a second once built), so those needing Go 1.24 know whether they can run.
buildGoFixtures()

/** Go fixtures are built by every Go the script found: the system Go and, when Debian trixie's is reachable, Go 1.24. */
const GO124 = existsSync(fixture('go124-hello-static'))
const goPrefixes = (): string[] => ['', ...(GO124 ? ['go124-'] : [])]
/** A test of one Go's fixtures: the system Go's always run; Go 1.24's say they are skipped, and why, when it is missing. */
const withGo = (prefix: string) =>
  skipIf(prefix !== '' && !GO124, 'golang-1.24 from Debian trixie is unavailable; only the system Go is covered')

describe('ElfScanner on real Go binaries', () => {
  it('builds the system Go fixtures', () => {
    expect(existsSync(fixture('hello-static'))).toBe(true)
  })

  for (const prefix of ['', 'go124-']) {
    withGo(prefix)(`${prefix}hello-static: build info matches \`go version -m\``, () => {
      const file = fixture(`${prefix}hello-static`)
      const info = scanAll(readFileSync(file))
      const reference = goVersionM(file)
      expect(info?.go).toMatchObject(reference)
      expect(Object.keys(info?.go?.settings ?? {}).sort()).toEqual(Object.keys(reference.settings).sort())
      expect(info?.go?.goVersion).toMatch(/^go1\.\d+/)
      expect(info?.go?.path).toBe('example.com/fixtures/hello')
      expect(info?.go?.module).toBe('example.com/fixtures')
      expect(info?.go?.cgo).toBe(false)
      expect(info?.go?.trimpath).toBe(false)
    })

    withGo(prefix)(`${prefix}hello-static: static, unstripped x86-64 executable`, () => {
      const info = scanAll(readFileSync(fixture(`${prefix}hello-static`)))
      expect(info).toMatchObject({ bits: 64, machine: 'x86-64', type: 'exec', static: true, needed: [], stripped: false })
      expect(info?.interpreter).toBeUndefined()
      expect(info?.strippableBytes).toBeGreaterThan(100_000)
    })
  }

  it.each([
    ['hello-static', { tls: false, tzdata: false, embeddedTzdata: false, user: false }],
    ['hello-https', { tls: true, tzdata: true, embeddedTzdata: false, user: false }],
    ['hello-tz', { tls: false, tzdata: true, embeddedTzdata: false, user: false }],
    ['hello-tzdata', { tls: false, tzdata: true, embeddedTzdata: true, user: false }],
    ['hello-user', { tls: false, tzdata: false, embeddedTzdata: false, user: true }]
  ])('%s uses what its source imports', (name, uses) => {
    for (const prefix of goPrefixes()) {
      expect(scanAll(readFileSync(fixture(`${prefix}${name}`)))?.go?.uses).toEqual(uses)
    }
  })

  it('hello-user is a dynamic cgo binary that needs libc', () => {
    for (const prefix of goPrefixes()) {
      const info = scanAll(readFileSync(fixture(`${prefix}hello-user`)))
      expect(info).toMatchObject({ static: false, interpreter: INTERPRETER })
      expect(info?.needed).toContain('libc.so.6')
      expect(info?.go?.cgo).toBe(true)
      expect(info?.go?.settings.CGO_ENABLED).toBe('1')
    }
  })

  it('hello-stripped (-ldflags=-s -w) is stripped but keeps build info and uses', () => {
    for (const prefix of goPrefixes()) {
      const info = scanAll(readFileSync(fixture(`${prefix}hello-stripped`)))
      expect(info).toMatchObject({ stripped: true, strippableBytes: 0 })
      expect(info?.go?.path).toBe('example.com/fixtures/hello')
      expect(info?.go?.settings['-ldflags']).toBe('-s -w')
    }
  })

  it('hello-trimpath records -trimpath', () => {
    for (const prefix of goPrefixes()) {
      const info = scanAll(readFileSync(fixture(`${prefix}hello-trimpath`)))
      expect(info?.go?.trimpath).toBe(true)
      expect(info?.go?.settings['-trimpath']).toBe('true')
    }
  })

  it('an app merely named "go" is not a toolchain', () => {
    const info = scanAll(readFileSync(fixture('bin/go')))
    expect(info?.go?.path).toBe('example.com/fixtures/hello')
    expect(info?.go?.path.startsWith('cmd/')).toBe(false)
  })

  for (const prefix of ['', 'go124-']) {
    withGo(prefix)(`${prefix}toolchain binaries report cmd/go and cmd/compile`, () => {
      for (const [name, path] of [
        ['toolchain-go', 'cmd/go'],
        ['toolchain-compile', 'cmd/compile']
      ] as const) {
        const file = fixture(`${prefix}${name}`)
        // make-test-binaries.sh copies both from every GOROOT it builds with; one missing is a broken fixture build.
        expect(existsSync(file)).toBe(true)
        const info = scanAll(readFileSync(file), [1024 * 1024, 65536, 'random'])
        expect(info?.go?.path).toBe(path)
        expect(info?.go?.goVersion).toBe(goVersionM(file).goVersion)
        expect(info?.go?.module).toBeUndefined()
      }
    })
  }
})

describe('ElfScanner on C binaries', () => {
  it('c-hello is a dynamic PIE that needs libc, with symbols and debug info', () => {
    const data = readFileSync(fixture('c-hello'))
    const info = scanAll(data, [1024 * 1024, 4096, 7, 'random'])
    expect(info).toMatchObject({ bits: 64, machine: 'x86-64', type: 'dyn', static: false, interpreter: INTERPRETER })
    expect(info?.needed).toContain('libc.so.6')
    expect(info?.stripped).toBe(false)
    expect(info?.go).toBeUndefined()
  })

  it('c-hello-stripped keeps its dynamic facts but has nothing left to strip', () => {
    const info = scanAll(readFileSync(fixture('c-hello-stripped')), [1024 * 1024, 7, 'random'])
    expect(info).toMatchObject({ static: false, interpreter: INTERPRETER, stripped: true, strippableBytes: 0 })
    expect(info?.needed).toContain('libc.so.6')
  })
})

describe('strippableBytes', () => {
  // GNU strip also drops the removed sections' headers (64 B each) and some alignment padding, so the
  // size it saves differs from the sections' own bytes by at most a few KiB.
  const band = 8 * 1024
  const pairs = (): Array<[string, string]> => [
    ['c-hello', 'c-hello-stripped'],
    ...goPrefixes().map((p): [string, string] => [`${p}hello-static`, `${p}hello-static.gnu-stripped`])
  ]

  it('is what GNU strip would save, within a few KiB', () => {
    for (const [full, stripped] of pairs()) {
      const saved = statSync(fixture(full)).size - statSync(fixture(stripped)).size
      const info = scanAll(readFileSync(fixture(full)))
      expect(info?.strippableBytes).toBeGreaterThan(0)
      expect(Math.abs((info?.strippableBytes ?? 0) - saved)).toBeLessThanOrEqual(band)
      expect(scanAll(readFileSync(fixture(stripped)))?.stripped).toBe(true)
    }
  })
})

describe('ElfScanner on garbage made from real binaries', () => {
  it('returns null for a truncated ELF header', () => {
    const head = readFileSync(fixture('c-hello')).subarray(0, 40)
    expect(scan(head, 7)).toBeNull()
    // The file claims to be complete but the stream stops after 40 bytes.
    expect(scan(head, 7, 17_000)).toBeNull()
  })

  it('returns partial facts when the section headers never arrive', () => {
    const data = readFileSync(fixture('c-hello'))
    const info = scan(data.subarray(0, 8192), 4096, data.length)
    expect(info).toMatchObject({ bits: 64, static: false, interpreter: INTERPRETER, stripped: null, strippableBytes: null })
  })

  it('never throws on corrupted copies of hello-user', () => {
    expectNoThrowOnCorruption(readFileSync(fixture('hello-user')))
  })
})
