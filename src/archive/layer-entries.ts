import type { ElfInfo } from '../binary/elf.js'
import { grown, PathTree } from './path-tree.js'
import type { EntryType } from './tar.js'

/** One path in one layer, as the layer's tar recorded it. */
export interface FileEntry {
  path: string
  type: EntryType
  size: number
  mode: number
  linkname?: string
  elf?: ElfInfo
}

const TYPES: readonly EntryType[] = ['file', 'hardlink', 'symlink', 'directory', 'char', 'block', 'fifo', 'other']
const TYPE_CODES = new Map(TYPES.map((type, code) => [type, code]))
/** Permission bits only: the rules read the executable bits, and 12 bits fit a Uint16Array. */
const PERMISSION_BITS = 0o7777

/**
 * The entries of one layer tar in tar order, as columns: each path as a node of a path tree that the
 * layers of a run share (the merged filesystem reuses it, so a path is stored once), numbers in typed
 * arrays, link targets and ELF facts only for the entries that have them.
 */
export class LayerEntries implements Iterable<FileEntry> {
  private nodes = new Int32Array(256)
  private types = new Uint8Array(256)
  private modes = new Uint16Array(256)
  private sizes = new Float64Array(256)
  private readonly linknames = new Map<number, string>()
  private readonly elfs = new Map<number, ElfInfo>()
  length = 0

  constructor(readonly paths: PathTree = new PathTree()) {}

  static from(entries: Iterable<FileEntry>, paths?: PathTree): LayerEntries {
    const table = new LayerEntries(paths)
    for (const entry of entries) {
      const index = table.add(entry)
      if (entry.elf) table.setElf(index, entry.elf)
    }
    return table
  }

  /** Appends an entry and returns its index. */
  add(entry: { path: string; type: EntryType; size: number; mode: number; linkname?: string }): number {
    const index = this.length++
    this.nodes = grown(this.nodes, this.length)
    this.nodes[index] = this.paths.nodeOrCreate(entry.path)
    this.types = grown(this.types, this.length)
    this.modes = grown(this.modes, this.length)
    this.sizes = grown(this.sizes, this.length)
    this.types[index] = TYPE_CODES.get(entry.type) ?? TYPES.length - 1
    this.modes[index] = entry.mode & PERMISSION_BITS
    this.sizes[index] = entry.size
    if (entry.linkname && (entry.type === 'symlink' || entry.type === 'hardlink')) this.linknames.set(index, entry.linkname)
    return index
  }

  setElf(index: number, elf: ElfInfo): void {
    this.elfs.set(index, elf)
  }

  /** The entry's node in `paths`. */
  node(index: number): number {
    return this.nodes[index] ?? 0
  }

  path(index: number): string {
    return this.paths.path(this.node(index))
  }

  type(index: number): EntryType {
    return TYPES[this.types[index] ?? TYPES.length - 1] ?? 'other'
  }

  size(index: number): number {
    return this.sizes[index] ?? 0
  }

  mode(index: number): number {
    return this.modes[index] ?? 0
  }

  linkname(index: number): string | undefined {
    return this.linknames.get(index)
  }

  elf(index: number): ElfInfo | undefined {
    return this.elfs.get(index)
  }

  /** The entry at `index` as an object, made on demand. */
  entry(index: number, path = this.path(index)): FileEntry {
    const entry: FileEntry = { path, type: this.type(index), size: this.size(index), mode: this.mode(index) }
    const linkname = this.linkname(index)
    if (linkname !== undefined) entry.linkname = linkname
    const elf = this.elf(index)
    if (elf) entry.elf = elf
    return entry
  }

  *[Symbol.iterator](): Generator<FileEntry> {
    for (let index = 0; index < this.length; index++) yield this.entry(index)
  }
}
