import { describe, expect, it } from '@jest/globals'
import type { ElfInfo } from '../../../src/binary/elf.js'
import { MergedFilesystem } from '../../../src/model/filesystem.js'
import type { FileEntry } from '../../../src/archive/layer.js'
import { gorootOf, scanToolchains } from '../../../src/findings/toolchain.js'

function goBinary(path: string, goPath: string, size = 1000, goVersion = 'go1.19.8'): FileEntry {
  const elf: ElfInfo = {
    bits: 64,
    machine: 'x86-64',
    type: 'exec',
    static: true,
    needed: [],
    rpath: [],
    runpath: [],
    stripped: false,
    strippableBytes: 0,
    go: { goVersion, path: goPath, deps: [], settings: {}, uses: { tls: false, tzdata: false, embeddedTzdata: false, user: false } }
  }
  return { path, type: 'file', size, mode: 0o755, elf }
}
const file = (path: string, size = 10): FileEntry => ({ path, type: 'file', size, mode: 0o644 })
const link = (path: string, linkname: string): FileEntry => ({ path, type: 'symlink', size: 0, mode: 0o777, linkname })
const dir = (path: string): FileEntry => ({ path, type: 'directory', size: 0, mode: 0o755 })

describe('gorootOf', () => {
  it.each([
    ['usr/local/go/bin/go', 'usr/local/go'],
    ['usr/lib/go-1.19/pkg/tool/linux_amd64/compile', 'usr/lib/go-1.19'],
    ['opt/anything/go', 'opt/anything']
  ])('%s belongs to %s', (path, root) => {
    expect(gorootOf(path)).toBe(root)
  })
})

describe('scanToolchains', () => {
  it('finds a Debian-style GOROOT and counts the share/ tree it links to', () => {
    const fs = MergedFilesystem.fromLayers([
      [
        goBinary('usr/lib/go-1.19/bin/go', 'cmd/go', 15_000),
        goBinary('usr/lib/go-1.19/pkg/tool/linux_amd64/compile', 'cmd/compile', 20_000),
        link('usr/lib/go-1.19/VERSION', '../../share/go-1.19/VERSION'),
        link('usr/lib/go-1.19/src', '../../share/go-1.19/src'),
        file('usr/share/go-1.19/VERSION', 8),
        dir('usr/share/go-1.19/src'),
        file('usr/share/go-1.19/src/fmt/print.go', 30_000),
        link('usr/bin/go', '../lib/go-1.19/bin/go'),
        file('etc/hostname', 4)
      ]
    ])
    const scan = scanToolchains(fs, { GOLANG_VERSION: '1.19' })
    expect(scan.toolchains).toHaveLength(1)
    const [toolchain] = scan.toolchains
    expect(toolchain).toMatchObject({ root: 'usr/lib/go-1.19', goVersion: 'go1.19.8', gorootLayout: true, layer: 0 })
    expect(toolchain?.binaries).toEqual(['usr/lib/go-1.19/bin/go', 'usr/lib/go-1.19/pkg/tool/linux_amd64/compile'])
    const links = '../../share/go-1.19/VERSION'.length + '../../share/go-1.19/src'.length
    expect(toolchain?.bytes).toBe(15_000 + 20_000 + links + 30_000)
    expect(scan.hints).toEqual(['GOLANG_VERSION=1.19'])
  })

  it('does not call an application named go a toolchain', () => {
    const fs = MergedFilesystem.fromLayers([[goBinary('usr/local/bin/go', 'example.com/go')]])
    expect(scanToolchains(fs, {}).toolchains).toEqual([])
  })

  it('finds a toolchain binary copied to an unusual path', () => {
    const fs = MergedFilesystem.fromLayers([[file('etc/passwd')], [goBinary('opt/anything/gotool', 'cmd/go', 14_000)]])
    const [toolchain] = scanToolchains(fs, {}).toolchains
    expect(toolchain).toMatchObject({ root: 'opt/anything', gorootLayout: false, bytes: 14_000, layer: 1 })
  })

  it('reports a toolchain deleted by a later layer as shipped bytes, not as present', () => {
    const fs = MergedFilesystem.fromLayers([
      [goBinary('usr/local/go/bin/go', 'cmd/go', 15_000), file('usr/local/go/VERSION', 8), file('usr/local/go/src/a.go', 100)],
      [file('usr/local/.wh.go', 0)]
    ])
    const scan = scanToolchains(fs, {})
    expect(scan.toolchains).toEqual([])
    expect(scan.deleted).toEqual([{ root: 'usr/local/go', goVersion: 'go1.19.8', bytes: 15_108, layer: 0, deletedIn: 1 }])
  })

  it('gives environment variables as hints only', () => {
    const fs = MergedFilesystem.fromLayers([[file('app')]])
    const scan = scanToolchains(fs, { GOLANG_VERSION: '1.22.1', PATH: '/usr/local/go/bin' })
    expect(scan.toolchains).toEqual([])
    expect(scan.hints).toEqual(['GOLANG_VERSION=1.22.1'])
  })
})
