import type { GoAttribution } from '../binary/goattribution.js'
import { EXECUTABLE_BITS } from '../archive/tar.js'
import { basename, type MergedFile, type MergedFilesystem } from '../model/filesystem.js'

/** What the insight rules and the report need to know of one ELF executable in the image. */
export interface BinaryFact {
  path: string
  size: number
  static: boolean
  interpreter: string | null
  needed: string[]
  stripped: boolean | null
  strippableBytes: number | null
  goVersion: string | null
  module: string | null
  cgo: boolean | null
  trimpath: boolean | null
  vcsRevision: string | null
  uses: { tls: boolean; tzdata: boolean; user: boolean } | null
  /** Go binaries: bytes by module, package and named bucket; null for others or when unreadable. */
  goAttribution: GoAttribution | null
}

const SHARED_LIBRARY = /\.so(\.[0-9]+)*$/

/** Every ELF executable in the final merged filesystem (not shared libraries), sorted by path. */
export function binaryFacts(fs: MergedFilesystem): BinaryFact[] {
  const facts: BinaryFact[] = []
  for (const file of fs.walk()) {
    const elf = file.elf
    if (file.type !== 'file' || !elf || SHARED_LIBRARY.test(basename(file.path))) continue
    if (elf.type === 'exec' || (elf.type === 'dyn' && (file.mode & EXECUTABLE_BITS) !== 0)) facts.push(factOf(file))
  }
  return facts.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

function factOf(file: MergedFile): BinaryFact {
  const elf = file.elf as NonNullable<MergedFile['elf']>
  const go = elf.go
  return {
    path: `/${file.path}`,
    size: file.size,
    static: elf.static,
    interpreter: elf.interpreter ?? null,
    needed: [...elf.needed],
    stripped: elf.stripped,
    strippableBytes: elf.strippableBytes,
    goVersion: go?.goVersion ?? null,
    module: go?.module ?? null,
    cgo: go?.cgo ?? null,
    trimpath: go?.trimpath ?? null,
    vcsRevision: go?.vcsRevision ?? null,
    uses: go ? { tls: go.uses.tls, tzdata: go.uses.tzdata, user: go.uses.user } : null,
    goAttribution: elf.goAttribution ?? null
  }
}
