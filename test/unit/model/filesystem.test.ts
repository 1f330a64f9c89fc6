import { describe, expect, it } from '@jest/globals'
import { MergedFilesystem } from '../../../src/model/filesystem.js'
import type { FileEntry } from '../../../src/archive/layer.js'

const file = (path: string, size = 10): FileEntry => ({ path, type: 'file', size, mode: 0o644 })
const dir = (path: string): FileEntry => ({ path, type: 'directory', size: 0, mode: 0o755 })
const link = (path: string, linkname: string): FileEntry => ({ path, type: 'symlink', size: 0, mode: 0o777, linkname })

const hidden = (fs: MergedFilesystem) => [...fs.hiddenFiles()]
const visible = (fs: MergedFilesystem): string[] =>
  [...fs.walk()]
    .filter((f) => f.type !== 'directory')
    .map((f) => f.path)
    .sort()

describe('MergedFilesystem', () => {
  it('lets later layers replace files and records the replaced bytes as hidden', () => {
    const fs = MergedFilesystem.fromLayers([[dir('app'), file('app/bin', 100)], [file('app/bin', 40)]])
    expect(fs.get('app/bin')).toMatchObject({ size: 40, layer: 1 })
    expect(hidden(fs)).toEqual([expect.objectContaining({ path: 'app/bin', size: 100, layer: 0, hiddenBy: 1 })])
  })

  it('applies a whiteout to a file and to a whole directory', () => {
    const fs = MergedFilesystem.fromLayers([
      [file('a'), dir('usr'), dir('usr/lib/go'), file('usr/lib/go/bin/go', 500), file('usr/lib/go/VERSION', 7)],
      [file('.wh.a', 0), file('usr/lib/.wh.go', 0)]
    ])
    expect(visible(fs)).toEqual([])
    expect(
      hidden(fs)
        .map((f) => f.path)
        .sort()
    ).toEqual(['a', 'usr/lib/go/VERSION', 'usr/lib/go/bin/go'])
    expect(hidden(fs).every((f) => f.hiddenBy === 1)).toBe(true)
  })

  it("hides only lower content of an opaque directory, keeping the same layer's entries", () => {
    const fs = MergedFilesystem.fromLayers([
      [file('cache/old1'), file('cache/old2'), file('keep')],
      [file('cache/new'), file('cache/.wh..wh..opq', 0)]
    ])
    expect(visible(fs)).toEqual(['cache/new', 'keep'])
    expect(
      hidden(fs)
        .map((f) => f.path)
        .sort()
    ).toEqual(['cache/old1', 'cache/old2'])
  })

  it("lets a file replace a directory, hiding the directory's contents", () => {
    const fs = MergedFilesystem.fromLayers([[file('x/y', 5)], [file('x', 3)]])
    expect(visible(fs)).toEqual(['x'])
    expect(hidden(fs).map((f) => f.path)).toEqual(['x/y'])
  })

  it('merges a directory over a directory without hiding its children', () => {
    const fs = MergedFilesystem.fromLayers([
      [dir('d'), file('d/a')],
      [dir('d'), file('d/b')]
    ])
    expect(visible(fs)).toEqual(['d/a', 'd/b'])
    expect(hidden(fs)).toEqual([])
  })

  it('counts bytes as the engine does: files by size, symlinks by target length', () => {
    const fs = MergedFilesystem.fromLayers([[file('r/a', 100), link('r/l', '../target'), dir('r/d')]])
    expect(fs.bytesUnder('r')).toBe(100 + '../target'.length)
  })

  it('resolves relative and absolute symlinks, and gives up on loops', () => {
    const fs = MergedFilesystem.fromLayers([
      [dir('usr/share/go/src'), link('usr/lib/go/src', '../../share/go/src'), link('usr/bin/go', '/usr/lib/go/bin/go')],
      [file('usr/lib/go/bin/go'), link('loop/a', 'b'), link('loop/b', 'a')]
    ])
    expect(fs.resolve('usr/lib/go/src')).toBe('usr/share/go/src')
    expect(fs.resolve('usr/bin/go')).toBe('usr/lib/go/bin/go')
    expect(fs.resolve('loop/a')).toBeUndefined()
    expect(fs.resolve('missing')).toBeUndefined()
  })
})
