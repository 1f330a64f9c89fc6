import { describe, expect, it } from '@jest/globals'
import {
  BUILDINFO_MAGIC,
  MODINFO_END,
  MODINFO_START,
  findBuildInfoHeader,
  goInfo,
  inlineExtent,
  modinfoFromCandidate,
  modinfoText,
  parseInline,
  readBuildInfoHeader,
  readPointer,
  readStringHeader,
  unquoteGo,
  versionFromCandidate
} from '../../../src/binary/gobuildinfo.js'

const text = (s: string): Buffer => Buffer.from(s, 'latin1')
const NO_USES = { tls: false, tzdata: false, embeddedTzdata: false, user: false }

/** A 32-byte build info header: magic, pointer size, flags, then two pointers (or padding). */
function header(ptrSize: number, flags: number, pointers: Buffer = Buffer.alloc(16)): Buffer {
  return Buffer.concat([BUILDINFO_MAGIC, Buffer.from([ptrSize, flags]), pointers]).subarray(0, 32)
}

describe('findBuildInfoHeader', () => {
  it('accepts the magic only at 16-byte aligned file offsets, as Go does', () => {
    const window = Buffer.alloc(128)
    BUILDINFO_MAGIC.copy(window, 8)
    BUILDINFO_MAGIC.copy(window, 48)
    expect(findBuildInfoHeader(window, 0)).toBe(48)
    // The same bytes seen from a window starting 8 bytes later in the file: the first copy is aligned.
    expect(findBuildInfoHeader(window, 8)).toBe(8)
    expect(findBuildInfoHeader(Buffer.alloc(64), 0)).toBe(-1)
  })
})

describe('readBuildInfoHeader', () => {
  it('recognises the inline format (Go ≥ 1.18)', () => {
    expect(readBuildInfoHeader(header(8, 2))).toEqual({ format: 'inline' })
  })

  it('reads little-endian 8-byte pointers (Go 1.13–1.17 on amd64)', () => {
    const pointers = Buffer.alloc(16)
    pointers.writeBigUInt64LE(0x51a2b0n, 0)
    pointers.writeBigUInt64LE(0x51a2c0n, 8)
    expect(readBuildInfoHeader(header(8, 0, pointers))).toEqual({
      format: 'pointer',
      ptrSize: 8,
      bigEndian: false,
      versionAddr: 0x51a2b0,
      modinfoAddr: 0x51a2c0
    })
  })

  it('reads big-endian 4-byte pointers (flag bit 0)', () => {
    const pointers = Buffer.alloc(16)
    pointers.writeUInt32BE(0x40100, 0)
    pointers.writeUInt32BE(0x40108, 4)
    expect(readBuildInfoHeader(header(4, 1, pointers))).toMatchObject({
      ptrSize: 4,
      bigEndian: true,
      versionAddr: 0x40100,
      modinfoAddr: 0x40108
    })
  })

  it('rejects truncated headers and impossible pointer sizes', () => {
    expect(readBuildInfoHeader(header(8, 2).subarray(0, 20))).toBeNull()
    expect(readBuildInfoHeader(header(3, 0))).toBeNull()
    expect(readBuildInfoHeader(Buffer.alloc(32))).toBeNull()
  })
})

describe('readPointer and readStringHeader', () => {
  it('read pointer-sized words in either byte order', () => {
    const bytes = Buffer.from([0, 0, 0, 1, 0, 0, 0, 2])
    expect(readPointer(bytes, 0, 8, true)).toBe(2 ** 32 + 2)
    expect(readPointer(bytes, 0, 4, false)).toBe(0x01000000)
    expect(readStringHeader(bytes, 4, true)).toEqual({ addr: 1, len: 2 })
  })
})

/** An inline blob: header, then uvarint-prefixed version and modinfo. */
function inlineBlob(version: string, modinfo: Buffer): Buffer {
  const uvarint = (n: number): number[] => (n < 128 ? [n] : [(n % 128) | 0x80, Math.floor(n / 128)])
  const lengthOf = (bytes: Buffer): Buffer => Buffer.from(uvarint(bytes.length))
  return Buffer.concat([header(8, 2), lengthOf(text(version)), text(version), lengthOf(modinfo), modinfo])
}

describe('parseInline and inlineExtent', () => {
  const modinfo = Buffer.concat([MODINFO_START, text(`path\texample.com/app\n${'dep\tx\tv1\t\n'.repeat(20)}`), MODINFO_END])
  const blob = inlineBlob('go1.22.3', modinfo)

  it('split version and modinfo, including multi-byte lengths', () => {
    expect(modinfo.length).toBeGreaterThan(127)
    expect(inlineExtent(blob)).toBe(blob.length)
    const parts = parseInline(blob)
    expect(parts?.version).toBe('go1.22.3')
    expect(Buffer.from(parts?.modinfo ?? []).equals(modinfo)).toBe(true)
  })

  it('return null rather than reading past a truncated blob', () => {
    expect(parseInline(blob.subarray(0, blob.length - 1))).toBeNull()
    expect(inlineExtent(blob.subarray(0, 33))).toBeNull()
  })
})

describe('modinfo sentinels', () => {
  it('are stripped the way runtime/debug strips them', () => {
    const wrapped = Buffer.concat([MODINFO_START, text('path\tcmd/go\n'), MODINFO_END])
    expect(modinfoText(wrapped)).toBe('path\tcmd/go\n')
    expect(modinfoText(text('path\tcmd/go\n'))).toBe('path\tcmd/go\n')
  })

  it('delimit a modinfo candidate found in rodata', () => {
    const wrapped = Buffer.concat([MODINFO_START, text('path\tx\n'), MODINFO_END])
    const found = modinfoFromCandidate(Buffer.concat([wrapped, text('trailing rodata')]))
    expect(Buffer.from(found ?? []).equals(wrapped)).toBe(true)
    expect(modinfoFromCandidate(Buffer.concat([MODINFO_START, text('path\tx\n')]))).toBeNull()
  })
})

describe('versionFromCandidate', () => {
  it.each([
    ['go1.16.15gopher', 'go1.16.15'],
    ['go1.21rc2xyz', 'go1.21rc2'],
    ['go1.13\x00', 'go1.13'],
    ['go1.x', null],
    ['golang', null]
  ])('%j → %j', (candidate, version) => {
    expect(versionFromCandidate(text(candidate))).toBe(version)
  })
})

describe('goInfo', () => {
  it('reads path, main module and build settings from `go version -m` style lines', () => {
    const modinfo = [
      'path\texample.com/app/cmd/server',
      'mod\texample.com/app\tv1.4.0\th1:abc=',
      'dep\tgolang.org/x/net\tv0.1.0\th1:def=',
      '=>\t../net\t',
      'build\t-compiler=gc',
      'build\t-ldflags="-s -w -X \\"main.v=1\\""',
      'build\t-trimpath=true',
      'build\tCGO_ENABLED=1',
      'build\tvcs.revision=3f2a9c',
      'build\t"odd key"=value=with=equals',
      ''
    ].join('\n')
    expect(goInfo('go1.22.1', modinfo, NO_USES)).toEqual({
      goVersion: 'go1.22.1',
      path: 'example.com/app/cmd/server',
      module: 'example.com/app',
      moduleVersion: 'v1.4.0',
      deps: [{ path: 'golang.org/x/net', version: 'v0.1.0', replace: { path: '../net', version: '' } }],
      settings: {
        '-compiler': 'gc',
        '-ldflags': '-s -w -X "main.v=1"',
        '-trimpath': 'true',
        CGO_ENABLED: '1',
        'vcs.revision': '3f2a9c',
        'odd key': 'value=with=equals'
      },
      cgo: true,
      trimpath: true,
      vcsRevision: '3f2a9c',
      uses: NO_USES
    })
  })

  it('leaves cgo and trimpath unknown when there are no build lines (Go < 1.18)', () => {
    const info = goInfo('go1.16.15', 'path\tcmd/go\n', NO_USES)
    expect(info).toEqual({ goVersion: 'go1.16.15', path: 'cmd/go', deps: [], settings: {}, uses: NO_USES })
  })

  it('reports trimpath false and cgo false when recorded so', () => {
    const info = goInfo('go1.22.1', 'path\tx\nbuild\tCGO_ENABLED=0\n', NO_USES)
    expect(info).toMatchObject({ cgo: false, trimpath: false })
  })
})

describe('unquoteGo', () => {
  it.each([
    ['"plain"', 'plain'],
    ['"a\\"b\\\\c"', 'a"b\\c'],
    ['"tab\\there\\nnl"', 'tab\there\nnl'],
    ['"\\x41\\u00e9\\101"', 'AéA'],
    ['not quoted', 'not quoted'],
    ['"', '"']
  ])('%s → %j', (quoted, plain) => {
    expect(unquoteGo(quoted)).toBe(plain)
  })
})
