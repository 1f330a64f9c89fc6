import { describe, expect, it } from '@jest/globals'
import { MergedFilesystem } from '../../../src/model/filesystem.js'
import type { FileEntry } from '../../../src/archive/layer.js'
import { pathUsage } from '../../../src/model/usage.js'

const file = (path: string, size: number): FileEntry => ({ path, type: 'file', size, mode: 0o644 })

describe('pathUsage', () => {
  it('sums directories to depth 3 and lists large files on their own', () => {
    const fs = MergedFilesystem.fromLayers([
      [file('service', 2_000_000), file('usr/lib/go-1.19/bin/go', 15_000_000), file('usr/lib/go-1.19/VERSION', 8), file('etc/passwd', 100)]
    ])
    const limits = { maxDepth: 3, minFileSize: 64_000, minSize: 1, limit: 100 }
    expect(pathUsage(fs, limits)).toEqual([
      { path: '/usr', size: 15_000_008 },
      { path: '/usr/lib', size: 15_000_008 },
      { path: '/usr/lib/go-1.19', size: 15_000_008 },
      { path: '/usr/lib/go-1.19/bin/go', size: 15_000_000 },
      { path: '/service', size: 2_000_000 },
      { path: '/etc', size: 100 }
    ])
  })

  it('leaves out small entries and keeps at most the limit, largest first', () => {
    const fs = MergedFilesystem.fromLayers([[file('a/x', 50_000), file('b/y', 20_000), file('c/z', 10)]])
    expect(pathUsage(fs, { maxDepth: 3, minFileSize: 64_000, minSize: 16_000, limit: 1 })).toEqual([{ path: '/a', size: 50_000 }])
  })
})
