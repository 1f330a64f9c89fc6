import { describe, expect, it } from '@jest/globals'
import { attributeGo, BUCKETS, moduleBytes, type GoAttribution } from '../../../src/binary/goattribution.js'
import type { GoInfo } from '../../../src/binary/gobuildinfo.js'
import { FieldTap, PackageNames, packageOf, TextPadding } from '../../../src/binary/gopclntab.js'

// Pure. The reference checks on real programs are test/integration/go-attribution.test.ts.
const total = (a: GoAttribution): number => [...a.modules, ...a.buckets].reduce((sum, item) => sum + item.bytes, 0)

describe('packageOf', () => {
  it.each([
    ['runtime.mallocgc', 'runtime'],
    ['net/http.(*Server).Serve', 'net/http'],
    ['github.com/google/uuid.New', 'github.com/google/uuid'],
    ['gopkg.in/yaml%2ev3.Marshal', 'gopkg.in/yaml.v3'],
    ['example.com/x.Map[go.shape.int,go.shape.string]', 'example.com/x'],
    ['slices.Sort[go.shape.[]uint8]', 'slices'],
    ['type:.eq.net/http.Request', 'net/http'],
    ['type..eq.[5]internal/cpu.option', 'internal/cpu'],
    ['type:.eq.struct { runtime.a int }', ''],
    ['go:buildid', ''],
    ['go.uber.org/zap.New', 'go.uber.org/zap'],
    ['go.itab.*os.File,io.Writer', ''],
    ['go.string."a/b.c"', ''],
    ['go.importpath.net/http.', ''],
    ['cmpbody', '']
  ])('%s → %j', (symbol, pkg) => {
    expect(packageOf(symbol)).toBe(pkg)
  })
})

const info = (extra: Partial<GoInfo> = {}): GoInfo => ({
  goVersion: 'go1.22.4',
  path: 'example.com/app/cmd/app',
  module: 'example.com/app',
  moduleVersion: '(devel)',
  deps: [
    { path: 'github.com/aws/aws-sdk-go-v2', version: 'v1.30.0' },
    { path: 'github.com/aws/aws-sdk-go-v2/service/s3', version: 'v1.58.0' },
    { path: 'golang.org/x/net', version: 'v0.1.0', replace: { path: '../net', version: '' } }
  ],
  settings: {},
  uses: { tls: false, tzdata: false, embeddedTzdata: false, user: false },
  ...extra
})

describe('moduleBytes', () => {
  it('takes the longest module path, sends vendor/ and dotless paths to std and main to the main module', () => {
    const packages = new Map([
      ['github.com/aws/aws-sdk-go-v2/service/s3/internal/arn', 100],
      ['github.com/aws/aws-sdk-go-v2/aws', 50],
      ['vendor/golang.org/x/net/http2/hpack', 7],
      ['net/http', 30],
      ['golang.org/x/net/html', 20],
      ['main', 3],
      ['example.com/app/internal/db', 2],
      ['example.org/elsewhere', 1]
    ])
    expect(moduleBytes(packages, info())).toEqual([
      { path: 'github.com/aws/aws-sdk-go-v2/service/s3', version: 'v1.58.0', bytes: 100 },
      { path: 'github.com/aws/aws-sdk-go-v2', version: 'v1.30.0', bytes: 50 },
      { path: 'std', version: 'go1.22.4', bytes: 37 },
      { path: 'golang.org/x/net', version: 'v0.1.0', replace: '../net', bytes: 20 },
      { path: 'example.com/app', version: '(devel)', bytes: 5 },
      { path: '(unknown module)', version: '', bytes: 1 }
    ])
  })
})

describe('attributeGo', () => {
  const sections = [
    { name: '.text', type: 1, flags: 6, addr: 0x401000, offset: 4096, size: 1000 },
    { name: '.rodata', type: 1, flags: 2, addr: 0x402000, offset: 5096, size: 500 },
    { name: '.gopclntab', type: 1, flags: 2, addr: 0x402200, offset: 5600, size: 400 },
    { name: '.bss', type: 8, flags: 3, addr: 0x403000, offset: 6000, size: 9999 },
    { name: '.debug_info', type: 1, flags: 0, addr: 0, offset: 6000, size: 300 }
  ]
  const code = {
    textStart: 0x401000,
    start: 0x401000,
    end: 0x401000 + 900,
    functions: 3,
    padding: 20,
    foreign: 0,
    packages: new Map([
      ['runtime', 800],
      ['', 80]
    ])
  }

  it('adds up to the file size, with text outside Go functions as cgo code when cgo is on', () => {
    const a = attributeGo(7000, sections, code, info({ cgo: true }))
    expect(a?.buckets).toEqual([
      { name: BUCKETS.headers, bytes: 4800 },
      { name: BUCKETS.rodata, bytes: 500 },
      { name: BUCKETS.pclntab, bytes: 400 },
      { name: BUCKETS.dwarf, bytes: 300 },
      { name: BUCKETS.cgo, bytes: 100 },
      { name: BUCKETS.unnamed, bytes: 80 },
      { name: BUCKETS.padding, bytes: 20 }
    ])
    expect(a?.modules).toEqual([{ path: 'std', version: 'go1.22.4', bytes: 800, code: 800 }])
    expect(a?.symbolData).toBe(false)
    expect(a && total(a)).toBe(7000)
  })

  it('splits read-only data by symbols into packages, strings and types, still adding up to the file size', () => {
    const symbols = [
      { name: 'type:*', value: 0x402000, size: 0, section: 1 },
      { name: 'go:string.*', value: 0x402000 + 200, size: 0, section: 1 },
      { name: 'unicode.Upper', value: 0x402000 + 300, size: 150, section: 1 },
      { name: '$f64.3ff0000000000000', value: 0x402000 + 450, size: 8, section: 1 },
      { name: 'runtime.pclntab', value: 0x402200, size: 400, section: 2 }
    ]
    const a = attributeGo(7000, sections, code, info({ cgo: true }), symbols)
    expect(a?.symbolData).toBe(true)
    expect(
      a?.buckets.filter((b) => [BUCKETS.types, BUCKETS.strings, BUCKETS.rodataRest, BUCKETS.pclntab].includes(b.name as never))
    ).toEqual([
      { name: BUCKETS.pclntab, bytes: 400 },
      { name: BUCKETS.types, bytes: 200 },
      { name: BUCKETS.strings, bytes: 100 },
      { name: BUCKETS.rodataRest, bytes: 50 }
    ])
    expect(a?.modules).toEqual([{ path: 'std', version: 'go1.22.4', bytes: 950, code: 800 }])
    expect(a?.packages).toEqual([
      { name: 'runtime', bytes: 800, code: 800 },
      { name: 'unicode', bytes: 150, code: 0 }
    ])
    expect(a?.codeOnlyBuckets?.find((b) => b.name === BUCKETS.rodata)?.bytes).toBe(500)
    expect(a && total(a)).toBe(7000)
    expect(a && [...a.modules.map((m) => ({ bytes: m.code ?? 0 })), ...(a.codeOnlyBuckets ?? [])].reduce((t, m) => t + m.bytes, 0)).toBe(
      7000
    )
  })

  it('refuses code larger than the text it must sit in', () => {
    expect(attributeGo(7000, sections, { ...code, end: code.start + 2000 }, info())).toBeNull()
  })
})

describe('streaming pieces', () => {
  it('PackageNames reads names cut by any seam', () => {
    const table = Buffer.from('runtime.main\0net/http.Get\0github.com/a/b.F\0', 'latin1')
    for (const cut of [1, 5, 13, 14, 30]) {
      const names = new PackageNames(100)
      names.feed(Buffer.from(table.subarray(0, cut)), 100)
      names.feed(Buffer.from(table.subarray(cut)), 100 + cut)
      expect([0, 13, 26].map((at) => names.packageAt(at))).toEqual(['runtime', 'net/http', 'github.com/a/b'])
      expect(names.packageAt(3)).toBeUndefined()
    }
  })

  it('PackageNames gives every name the package packageOf gives it, also where it skips decoding a run of one package', () => {
    const list = [
      'runtime.main',
      'runtime.(*m).x',
      'runtime/internal/atomic.Load',
      'runtime.gc',
      'github.com/a/b.F',
      'github.com/a/b.(*T).G',
      'github.com/a/b.F[go.shape.int]',
      'github.com/a/b.c/d.E',
      'go.uber.org/zap.New',
      'go.uber.org/zap.L',
      'type:.eq.github.com/a/b.T',
      'gopkg.in/yaml%2ev3.Marshal',
      'gopkg.in/yaml%2ev3.x',
      'main.main',
      'main.main.func1'
    ]
    const names = new PackageNames(0)
    names.feed(Buffer.from(`${list.join('\0')}\0`, 'latin1'), 0)
    let offset = 0
    for (const name of list) {
      expect([name, names.packageAt(offset)]).toEqual([name, packageOf(name)])
      offset += name.length + 1
    }
  })

  it('FieldTap reads u32 fields straddling pieces, little- and big-endian', () => {
    const bytes = Buffer.from([1, 0, 0, 0, 9, 0x78, 0x56, 0x34, 0x12])
    for (const little of [true, false]) {
      const tap = new FieldTap(new Float64Array([10, 15]), little)
      tap.feed(bytes.subarray(0, 7), 10)
      tap.feed(bytes.subarray(7), 17)
      expect([...tap.values]).toEqual(little ? [1, 0x12345678] : [0x01000000, 0x78563412])
    }
  })

  it('TextPadding counts fill bytes before aligned boundaries across seams', () => {
    const text = Buffer.alloc(64, 0x90)
    text.fill(0xcc, 10, 16)
    text.fill(0xcc, 40, 48)
    const padding = new TextPadding(1000, 0x400000, 64, 0xcc)
    padding.feed(text.subarray(0, 13), 1000)
    padding.feed(text.subarray(13, 44), 1013)
    padding.feed(text.subarray(44), 1044)
    expect([16, 32, 48].map((at) => padding.before(0x400000 + at))).toEqual([6, 0, 8])
    expect(padding.before(0x400000 + 17)).toBe(0)
  })

  it('TextPadding counts fill before a function that starts with int3, also where the text ends in fill', () => {
    const text = Buffer.alloc(48, 0x90)
    text.fill(0xcc, 27)
    const padding = new TextPadding(0, 0x400000, 48, 0xcc)
    padding.feed(text.subarray(0, 40), 0)
    padding.feed(text.subarray(40), 40)
    expect([32, 48].map((at) => padding.before(0x400000 + at))).toEqual([5, 21])
  })
})
