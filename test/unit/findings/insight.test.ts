import { describe, expect, it } from '@jest/globals'
import type { ImageConfig } from '../../../src/archive/image-documents.js'
import { parseDockerfile, type Stage } from '../../../src/model/dockerfile.js'
import type { ElfInfo, GoUses } from '../../../src/binary/elf.js'
import { fileBytes, MergedFilesystem } from '../../../src/model/filesystem.js'
import { advice, insightFindings, type InsightOptions } from '../../../src/findings/insight.js'
import { wastedBytes } from '../../../src/findings/waste.js'
import { binaryFacts } from '../../../src/findings/binaries.js'
import type { FileEntry } from '../../../src/archive/layer.js'
import type { ImageModel } from '../../../src/model/model.js'
import type { Finding } from '../../../src/findings/finding.js'
import type { Rule } from '../../../src/findings/rule.js'

type RunConfig = NonNullable<ImageConfig['config']>

const LOADER = '/lib64/ld-linux-x86-64.so.2'
const noUses: GoUses = { tls: false, tzdata: false, embeddedTzdata: false, user: false }

function elf(extra: Partial<ElfInfo> = {}): ElfInfo {
  return {
    bits: 64,
    machine: 'x86-64',
    type: 'exec',
    static: true,
    needed: [],
    rpath: [],
    runpath: [],
    stripped: true,
    strippableBytes: 0,
    ...extra
  }
}
/** A dynamically linked C program, as `gcc` leaves it. */
const cElf = (extra: Partial<ElfInfo> = {}) => elf({ type: 'dyn', static: false, interpreter: LOADER, needed: ['libc.so.6'], ...extra })
const goElf = (uses: Partial<GoUses> = {}, extra: Partial<ElfInfo> = {}, goPath = 'example.com/app') =>
  elf({
    go: { goVersion: 'go1.22.5', path: goPath, module: 'example.com/app', deps: [], settings: {}, uses: { ...noUses, ...uses } },
    ...extra
  })

const exe = (path: string, info: ElfInfo, size = 1000): FileEntry => ({ path, type: 'file', size, mode: 0o755, elf: info })
const file = (path: string, size = 10): FileEntry => ({ path, type: 'file', size, mode: 0o644 })
const link = (path: string, linkname: string): FileEntry => ({ path, type: 'symlink', size: 0, mode: 0o777, linkname })
const dir = (path: string): FileEntry => ({ path, type: 'directory', size: 0, mode: 0o755 })
const whiteout = (path: string): FileEntry => file(path.replace(/([^/]+)$/, '.wh.$1'), 0)

/** An image whose layer `i` was made by Dockerfile line `10 + i`, so lines and indexes differ. */
function image(layers: FileEntry[][], config: RunConfig = {}): ImageModel {
  const models = layers.map((entries, index) => {
    const size = entries.reduce((total, entry) => total + fileBytes(entry), 0)
    return { index, diffId: `sha256:${index}`, size, compressedExact: false, files: entries.length, dockerfileLine: 10 + index }
  })
  const env = Object.fromEntries((config.Env ?? []).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]))
  return {
    id: 'sha256:abc',
    platform: 'linux/amd64',
    size: models.reduce((total, layer) => total + layer.size, 0),
    compressedExact: false,
    layers: models,
    config: { config },
    env,
    filesystem: MergedFilesystem.fromLayers(layers)
  }
}

function stage(...lines: string[]): Stage {
  const stages = parseDockerfile(lines.join('\n'), 'Dockerfile').stages
  return stages[stages.length - 1] as Stage
}

const options = (extra: Partial<InsightOptions> = {}): InsightOptions => ({ failOnBrokenEntrypoint: true, ...extra })
function findings(model: ImageModel, extra: Partial<InsightOptions> = {}): Finding[] {
  return insightFindings(model, binaryFacts(model.filesystem), options(extra))
}
const only = (model: ImageModel, rule: Rule, extra: Partial<InsightOptions> = {}) => findings(model, extra).filter((f) => f.rule === rule)
/** Runs as a non-root user, so root-user stays out of tests about other rules. */
const user = (config: RunConfig = {}): RunConfig => ({ User: '65532', ...config })

describe('binaryFacts', () => {
  it('lists executables sorted with a leading slash, and skips shared libraries and non-ELF files', () => {
    const fs = MergedFilesystem.fromLayers([
      [
        exe('usr/bin/tool', cElf()),
        exe('app', goElf({ tls: true, embeddedTzdata: true }, { stripped: false, strippableBytes: 90_000 }), 6_400_000),
        exe('lib/x86_64-linux-gnu/libc.so.6', cElf({ type: 'dyn' })),
        exe('lib64/ld-linux-x86-64.so.2', elf({ type: 'dyn' })),
        { ...exe('usr/lib/plugin', cElf()), mode: 0o644 },
        file('etc/passwd')
      ]
    ])
    const facts = binaryFacts(fs)
    expect(facts.map((fact) => fact.path)).toEqual(['/app', '/usr/bin/tool'])
    expect(facts[0]).toEqual({
      path: '/app',
      size: 6_400_000,
      static: true,
      interpreter: null,
      needed: [],
      stripped: false,
      strippableBytes: 90_000,
      goVersion: 'go1.22.5',
      module: 'example.com/app',
      cgo: null,
      trimpath: null,
      vcsRevision: null,
      uses: { tls: true, tzdata: false, user: false },
      goAttribution: null
    })
    expect(facts[1]).toMatchObject({ static: false, interpreter: LOADER, needed: ['libc.so.6'], goVersion: null, uses: null })
  })
})

describe('missing-entrypoint', () => {
  const server = exe('app/server', goElf())

  it('says nothing when the image has no ENTRYPOINT or CMD', () => {
    expect(only(image([[file('etc/hostname')]], user()), 'missing-entrypoint')).toEqual([])
  })

  it('reports an ENTRYPOINT path that was never copied, at the ENTRYPOINT line', () => {
    const model = image([[server]], user({ Entrypoint: ['/app/serve'], Cmd: ['--port', '80'] }))
    const built = stage('FROM scratch', 'COPY server /app/server', 'ENTRYPOINT ["/app/serve"]', 'CMD ["--port", "80"]')
    expect(only(model, 'missing-entrypoint', { stage: built })).toEqual([
      {
        rule: 'missing-entrypoint',
        severity: 'error',
        message: 'ENTRYPOINT runs /app/serve, which does not exist in the image; COPY it into the final stage or fix the path',
        path: '/app/serve',
        line: 3
      }
    ])
    expect(only(model, 'missing-entrypoint', { failOnBrokenEntrypoint: false })[0]?.severity).toBe('warning')
    expect(only(image([[server]], user({ Entrypoint: ['/app/server'] })), 'missing-entrypoint')).toEqual([])
  })

  it('resolves a bare CMD through the image PATH, and names the PATH it searched', () => {
    const path = 'PATH=/usr/local/bin:/usr/bin'
    expect(only(image([[exe('usr/local/bin/server', goElf())]], user({ Cmd: ['server'], Env: [path] })), 'missing-entrypoint')).toEqual([])
    const missed = only(image([[exe('opt/server', goElf())]], user({ Cmd: ['server'], Env: [path] })), 'missing-entrypoint')
    expect(missed.map((f) => f.message)).toEqual([
      "CMD runs server, which is in none of the image's PATH directories (/usr/local/bin:/usr/bin); COPY it into one of them or use an absolute path"
    ])
  })

  it("uses Docker's default PATH when the image sets none", () => {
    expect(only(image([[exe('usr/sbin/server', goElf())]], user({ Cmd: ['server'] })), 'missing-entrypoint')).toEqual([])
  })

  it('resolves a relative ENTRYPOINT against WorkingDir', () => {
    expect(
      only(image([[exe('srv/server', goElf())]], user({ Entrypoint: ['./server'], WorkingDir: '/srv' })), 'missing-entrypoint')
    ).toEqual([])
    const missed = only(image([[exe('srv/server', goElf())]], user({ Entrypoint: ['./server'], WorkingDir: '/app' })), 'missing-entrypoint')
    expect(missed.map((f) => [f.message, f.path])).toEqual([
      [
        'ENTRYPOINT runs ./server from WORKDIR /app, but /app/server does not exist in the image; COPY it into the final stage or fix the path',
        '/app/server'
      ]
    ])
  })

  it('follows symlinks, including symlinked directories such as merged /usr', () => {
    const layers = [
      [
        dir('usr'),
        dir('usr/bin'),
        exe('usr/bin/sh', cElf({ needed: [] })),
        link('bin', 'usr/bin'),
        server,
        link('usr/local/bin/app', '../../../app/server')
      ]
    ]
    expect(only(image(layers, user({ Entrypoint: ['/usr/local/bin/app'] })), 'missing-entrypoint')).toEqual([])
    expect(only(image(layers, user({ Cmd: ['/bin/sh', '-c', 'exec /app/server'] })), 'missing-entrypoint')).toEqual([])
  })

  it('explains a dangling symlink and a shell-form command on scratch', () => {
    const dangling = image([[link('usr/local/bin/app', '/opt/app/app')]], user({ Entrypoint: ['/usr/local/bin/app'] }))
    expect(only(dangling, 'missing-entrypoint')[0]?.message).toBe(
      'ENTRYPOINT runs /usr/local/bin/app, which is a symlink to /opt/app/app, which does not exist in the image; COPY it into the final stage or fix the path'
    )
    const shell = image([[server]], user({ Cmd: ['/bin/sh', '-c', '/app/server'] }))
    expect(only(shell, 'missing-entrypoint')[0]?.message).toBe(
      'CMD uses shell form, which runs /bin/sh, and the image has no /bin/sh; write it in exec form, e.g. CMD ["/app"]'
    )
  })
})

describe('missing-interpreter and missing-library', () => {
  const tool = exe('usr/local/bin/tool', cElf({ needed: ['libssl.so.3', 'libc.so.6'] }))
  const glibc = [
    link('lib64', 'usr/lib64'),
    exe('usr/lib64/ld-linux-x86-64.so.2', elf({ type: 'dyn' })),
    exe('usr/lib/x86_64-linux-gnu/libc.so.6', cElf()),
    link('usr/lib/x86_64-linux-gnu/libssl.so.3', 'libssl.so.3.0.2'),
    exe('usr/lib/x86_64-linux-gnu/libssl.so.3.0.2', cElf())
  ]
  const linking = (model: ImageModel, extra: Partial<InsightOptions> = {}) =>
    findings(model, extra).filter((f) => f.rule === 'missing-interpreter' || f.rule === 'missing-library')

  it('fails a dynamic tool copied into scratch as the entrypoint: no loader, no libraries', () => {
    const model = image([[], [tool]], user({ Entrypoint: ['/usr/local/bin/tool'] }))
    expect(linking(model)).toEqual([
      {
        rule: 'missing-interpreter',
        severity: 'error',
        message: `/usr/local/bin/tool needs the dynamic loader ${LOADER}, which the image does not have; link it statically, or use a base image with its C library such as gcr.io/distroless/base`,
        path: '/usr/local/bin/tool',
        layer: 1,
        line: 11
      },
      {
        rule: 'missing-library',
        severity: 'error',
        message:
          '/usr/local/bin/tool needs shared libraries the image does not have: libssl.so.3, libc.so.6; install the packages that provide them or COPY them from the build stage',
        path: '/usr/local/bin/tool',
        layer: 1,
        line: 11
      }
    ])
    expect(linking(model, { failOnBrokenEntrypoint: false }).map((f) => f.severity)).toEqual(['warning', 'warning'])
  })

  it('only warns about a broken binary that is not the entrypoint', () => {
    const model = image([[tool, exe('app', goElf())]], user({ Entrypoint: ['/app'] }))
    expect(linking(model).map((f) => [f.rule, f.severity])).toEqual([
      ['missing-interpreter', 'warning'],
      ['missing-library', 'warning']
    ])
  })

  it('finds the loader and libraries through symlinks and multiarch directories', () => {
    expect(linking(image([glibc, [tool]], user({ Entrypoint: ['/usr/local/bin/tool'] })))).toEqual([])
  })

  it('names only the libraries that are missing, and suggests CGO_ENABLED=0 for Go', () => {
    const cgo = exe('app', goElf({}, { type: 'dyn', static: false, interpreter: LOADER, needed: ['libc.so.6', 'libsqlite3.so.0'] }))
    expect(linking(image([glibc, [cgo]], user())).map((f) => f.message)).toEqual([
      '/app needs shared libraries the image does not have: libsqlite3.so.0; install the packages that provide them or COPY them from the build stage, or build it with CGO_ENABLED=0'
    ])
  })

  it('searches RUNPATH with $ORIGIN set to the directory of the binary', () => {
    const bundled = exe('opt/app/bin/tool', cElf({ needed: ['libc.so.6', 'libfoo.so.1'], runpath: ['$ORIGIN/../lib'] }))
    const withLib = image([glibc, [bundled, file('opt/app/lib/libfoo.so.1', 5000)]], user())
    expect(linking(withLib)).toEqual([])
    const without = image([glibc, [bundled, file('usr/local/lib/libbar.so.1')]], user())
    expect(linking(without).map((f) => f.message)).toEqual([expect.stringContaining('does not have: libfoo.so.1;')])
  })
})

describe('missing-ca-certificates', () => {
  const https = exe('app/server', goElf({ tls: true }))

  it('warns about an HTTPS Go binary on scratch, pointing at the layer that added it', () => {
    expect(only(image([[], [https]], user({ Entrypoint: ['/app/server'] })), 'missing-ca-certificates')).toEqual([
      {
        rule: 'missing-ca-certificates',
        severity: 'warning',
        message:
          '/app/server uses TLS but the image has no CA certificates where Go looks for them (e.g. /etc/ssl/certs/ca-certificates.crt); ' +
          'COPY --from=<build stage> /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/, use a base image with ca-certificates, or set SSL_CERT_FILE',
        path: '/app/server',
        layer: 1,
        line: 11
      }
    ])
  })

  it('names every TLS binary in one finding', () => {
    const model = image([[https, exe('app/worker', goElf({ tls: true })), exe('app/plain', goElf())]], user())
    expect(only(model, 'missing-ca-certificates').map((f) => f.message.split(' but ')[0])).toEqual(['/app/server and /app/worker use TLS'])
  })

  it.each([
    ['a CA bundle file', [file('etc/ssl/certs/ca-certificates.crt', 220_000)], []],
    ['a bundle reached through a symlink', [link('etc/ssl/cert.pem', '/usr/share/ca/bundle.pem'), file('usr/share/ca/bundle.pem')], []],
    ['a certificate directory with a file', [file('etc/pki/tls/certs/my-ca.pem')], []],
    ['SSL_CERT_FILE', [], ['SSL_CERT_FILE=/certs/ca.pem']],
    ['SSL_CERT_DIR', [], ['SSL_CERT_DIR=/certs']]
  ])('is quiet with %s', (_name, extra, env) => {
    expect(only(image([[https, ...extra]], user({ Env: env })), 'missing-ca-certificates')).toEqual([])
  })

  it('does not count an empty certificate directory or a binary without TLS', () => {
    expect(only(image([[https, dir('etc/ssl/certs')]], user()), 'missing-ca-certificates')).toHaveLength(1)
    expect(only(image([[exe('app/server', goElf())]], user()), 'missing-ca-certificates')).toEqual([])
  })
})

describe('missing-tzdata', () => {
  const zoned = exe('app', goElf({ tzdata: true }))

  it('notes a Go binary that loads time zones with no zoneinfo and no embedded tzdata', () => {
    expect(only(image([[zoned]], user()), 'missing-tzdata')).toEqual([
      {
        rule: 'missing-tzdata',
        severity: 'notice',
        message:
          '/app loads time zones but the image has no /usr/share/zoneinfo and it does not embed one; ' +
          'add import _ "time/tzdata" (or build with -tags timetzdata), or COPY /usr/share/zoneinfo from the build stage',
        path: '/app',
        layer: 0,
        line: 10
      }
    ])
  })

  it.each([
    ['embedded tzdata', [exe('app', goElf({ tzdata: true, embeddedTzdata: true }))], []],
    ['/usr/share/zoneinfo', [zoned, file('usr/share/zoneinfo/Europe/Paris', 2000)], []],
    ['ZONEINFO', [zoned], ['ZONEINFO=/zoneinfo.zip']],
    ['a binary that does not load zones', [exe('app', goElf())], []]
  ])('is quiet with %s', (_name, files, env) => {
    expect(only(image([files], user({ Env: env })), 'missing-tzdata')).toEqual([])
  })
})

describe('unstripped-binary', () => {
  it('gives the bytes -ldflags="-s -w" would save for Go, and strip for others', () => {
    const model = image(
      [
        [
          exe('app', goElf({}, { stripped: false, strippableBytes: 1_234_000 })),
          exe('usr/bin/tool', elf({ stripped: false, strippableBytes: 64_000 }))
        ]
      ],
      user()
    )
    expect(only(model, 'unstripped-binary')).toEqual([
      {
        rule: 'unstripped-binary',
        severity: 'notice',
        message: '/app is not stripped; building it with -ldflags="-s -w" would save 1.23 MB',
        path: '/app',
        layer: 0,
        line: 10
      },
      {
        rule: 'unstripped-binary',
        severity: 'notice',
        message: '/usr/bin/tool is not stripped; running strip on it would save 64.0 kB',
        path: '/usr/bin/tool',
        layer: 0,
        line: 10
      }
    ])
  })

  it('stays quiet below 64 kB, for stripped or unknown binaries, and for the Go toolchain', () => {
    const files = [
      exe('small', elf({ stripped: false, strippableBytes: 63_999 })),
      exe('unknown', elf({ stripped: null, strippableBytes: null })),
      exe('usr/local/go/bin/go', goElf({}, { stripped: false, strippableBytes: 5_000_000 }, 'cmd/go'))
    ]
    expect(only(image([files], user()), 'unstripped-binary')).toEqual([])
  })
})

describe('build-cache', () => {
  it('reports a Go build cache with its bytes and the layer that filled it', () => {
    const model = image(
      [[file('etc/os-release')], [file('root/.cache/go-build/ab/abcd-d', 300_000), file('root/.cache/go-build/cd/cdef-a', 12_000)]],
      user()
    )
    expect(only(model, 'build-cache')).toEqual([
      {
        rule: 'build-cache',
        severity: 'warning',
        message:
          '/root/.cache/go-build holds 312 kB of Go build cache in the final image; mount it as a cache (RUN --mount=type=cache,target=/root/.cache/go-build …) or build in an earlier stage',
        path: '/root/.cache/go-build',
        layer: 1,
        line: 11
      }
    ])
  })

  it('finds module caches under GOPATH, any user’s go-build cache, and apt and apk caches', () => {
    const model = image(
      [
        [
          file('gopath/pkg/mod/cache/download/x.zip', 5000),
          file('home/dev/.cache/go-build/00/x', 2000),
          file('var/lib/apt/lists/deb.debian.org_dists_bookworm_InRelease', 150_000),
          file('var/cache/apt/archives/curl.deb', 300_000),
          file('var/cache/apk/APKINDEX.tar.gz', 40_000)
        ]
      ],
      user({ Env: ['GOPATH=/gopath'] })
    )
    expect(only(model, 'build-cache').map((f) => f.message.split(' in the final image')[0])).toEqual([
      '/gopath/pkg/mod holds 5.00 kB of Go module cache',
      '/var/lib/apt/lists holds 150 kB of apt package lists',
      '/var/cache/apt holds 300 kB of apt package cache',
      '/var/cache/apk holds 40.0 kB of apk cache',
      '/home/dev/.cache/go-build holds 2.00 kB of Go build cache'
    ])
  })

  it('ignores caches under 1 kB and apt files that are not cache', () => {
    const files = [
      dir('var/lib/apt/lists/partial'),
      file('var/lib/apt/lists/lock', 0),
      file('var/cache/apt/archives/lock', 0),
      file('var/cache/apt/other', 5000),
      file('root/.npm/_logs/x', 999)
    ]
    expect(only(image([files], user()), 'build-cache')).toEqual([])
  })
})

describe('wasted-bytes', () => {
  const big = (path: string, size: number) => file(path, size)

  it('counts a file written then deleted in a later layer, with its layer and the one that hid it', () => {
    const fs = MergedFilesystem.fromLayers([[file('etc/os-release')], [big('tmp/src.tar', 2_500_000)], [whiteout('tmp/src.tar')]])
    expect(wastedBytes(fs)).toEqual({ bytes: 2_500_000, top: [{ path: '/tmp/src.tar', bytes: 2_500_000, layer: 1, hiddenBy: 2 }] })
  })

  it('warns from 1 MB, listing the largest files, at the line of the layer that shipped the biggest', () => {
    const model = image(
      [
        [big('app', 2_499_780), big('tmp/src.tar', 2_500_000), big('etc/app.conf', 100)],
        [whiteout('tmp/src.tar'), big('etc/app.conf', 120)]
      ],
      user()
    )
    expect(only(model, 'wasted-bytes')).toEqual([
      {
        rule: 'wasted-bytes',
        severity: 'warning',
        message:
          '2.50 MB (50.0% of the image) ship in layers that a later layer overwrites or deletes; ' +
          'largest: /tmp/src.tar 2.50 MB (layer 1, deleted in layer 2), /etc/app.conf 100 B (layer 1, replaced in layer 2); ' +
          'delete temporary files in the same RUN that creates them, or COPY only what you need from a build stage',
        path: '/tmp/src.tar',
        layer: 0,
        line: 10
      }
    ])
  })

  it('lists at most five files, biggest first', () => {
    const sizes = [100, 600, 300, 500, 200, 400]
    const fs = MergedFilesystem.fromLayers([sizes.map((size) => big(`f${size}`, size)), sizes.map((size) => whiteout(`f${size}`))])
    const waste = wastedBytes(fs)
    expect(waste.bytes).toBe(2100)
    expect(waste.top.map((top) => top.path)).toEqual(['/f600', '/f500', '/f400', '/f300', '/f200'])
  })

  it('stays quiet under 1 MB, but fails over a max-wasted percentage of the image', () => {
    const model = image([[big('app', 800_000), big('tmp/x', 200_000)], [whiteout('tmp/x')]], user())
    expect(only(model, 'wasted-bytes')).toEqual([])
    const over = only(model, 'wasted-bytes', { maxWasted: { kind: 'percent', value: 10 } })
    expect(over.map((f) => [f.severity, f.message.split(';')[0]])).toEqual([
      ['error', '200 kB (20.0% of the image) ship in layers that a later layer overwrites or deletes, over the max-wasted of 10%']
    ])
    expect(only(model, 'wasted-bytes', { maxWasted: { kind: 'percent', value: 20 } })).toEqual([])
  })

  it('fails over a max-wasted size, and only warns when within it', () => {
    const model = image([[big('tmp/x', 3_000_000)], [whiteout('tmp/x')]], user())
    expect(
      only(model, 'wasted-bytes', { maxWasted: { kind: 'bytes', value: 2_000_000 } }).map((f) => [f.severity, f.message.split(';')[0]])
    ).toEqual([
      ['error', '3.00 MB (100.0% of the image) ship in layers that a later layer overwrites or deletes, over the max-wasted of 2.00 MB']
    ])
    expect(only(model, 'wasted-bytes', { maxWasted: { kind: 'bytes', value: 3_000_000 } }).map((f) => f.severity)).toEqual(['warning'])
  })
})

describe('root-user', () => {
  it.each(['', 'root', '0', '0:0', 'root:root'])('notes that User %p runs as root', (name) => {
    const found = only(image([[file('x')]], { User: name }), 'root-user')
    expect(found).toHaveLength(1)
    expect(found[0]?.severity).toBe('notice')
  })

  it('says which USER, at the USER line', () => {
    const built = stage('FROM debian:12', 'USER root', 'RUN true')
    expect(only(image([[file('x')]], { User: 'root' }), 'root-user', { stage: built })).toEqual([
      {
        rule: 'root-user',
        severity: 'notice',
        message: 'the image runs as root (USER root); add USER 65532:65532, or another non-root user, to the final stage',
        line: 2
      }
    ])
    expect(only(image([[file('x')]]), 'root-user')[0]?.message).toContain('(no USER is set)')
  })

  it.each(['65532', '65532:65532', 'nonroot', 'rootless'])('is quiet for User %p', (name) => {
    expect(only(image([[file('x')]], { User: name }), 'root-user')).toEqual([])
  })
})

describe('advice', () => {
  /** The seeds' golang:1.22-based image: 806.6 MB of toolchain and Debian, plus a 6.4 MB program. */
  const golang = (program: FileEntry, extra: FileEntry[] = []) =>
    image([
      [file('usr/local/go/pkg/everything', 806_600_000), exe('usr/local/go/bin/go', goElf({ tls: true }, {}, 'cmd/go')), ...extra],
      [program]
    ])
  const facts = (model: ImageModel) => binaryFacts(model.filesystem)

  it('says what an 813 MB golang-based image would weigh on scratch', () => {
    const model = golang(exe('app', goElf(), 6_399_000))
    expect(advice(model, facts(model))).toEqual({
      scratchBytes: 6_399_000,
      distrolessBytes: 8_399_000,
      nowBytes: 813_000_000,
      text: 'this image could be about 6.40 MB on scratch (now 813 MB)'
    })
  })

  it('adds the CA bundle and zoneinfo the program needs: measured when present, estimated when not', () => {
    const program = exe('app', goElf({ tls: true, tzdata: true }), 6_399_000)
    const bare = golang(program)
    expect(advice(bare, facts(bare))?.scratchBytes).toBe(6_399_000 + 220_000 + 450_000)
    const measured = golang(program, [
      file('etc/ssl/certs/ca-certificates.crt', 190_000),
      file('usr/share/zoneinfo/UTC', 100),
      file('usr/share/zoneinfo/Europe/Paris', 2000)
    ])
    expect(advice(measured, facts(measured))?.scratchBytes).toBe(6_399_000 + 190_000 + 2100)
  })

  it('points dynamically linked Go programs at distroless/base', () => {
    const model = golang(exe('app', goElf({}, { type: 'dyn', static: false, interpreter: LOADER, needed: ['libc.so.6'] }), 6_399_000))
    expect(advice(model, facts(model))?.text).toBe('this image could be about 26.4 MB on gcr.io/distroless/base (now 813 MB)')
  })

  it('is null without a Go program, and within 10% of the scratch figure', () => {
    const toolchainOnly = image([[exe('usr/local/go/bin/go', goElf({}, {}, 'cmd/go'), 15_000_000), file('big', 100_000_000)]])
    expect(advice(toolchainOnly, facts(toolchainOnly))).toBeNull()
    const lean = image([[exe('app', goElf(), 6_000_000), file('etc/passwd', 600_000)]])
    expect(advice(lean, facts(lean))).toBeNull()
    const heavier = image([[exe('app', goElf(), 6_000_000), file('etc/passwd', 601_000)]])
    expect(advice(heavier, facts(heavier))?.text).toBe('this image could be about 6.00 MB on scratch (now 6.60 MB)')
  })
})
