import { LayerEntries, type FileEntry } from '../archive/layer-entries.js'
import { grown, PathTree, ROOT } from '../archive/path-tree.js'
import { normalisePath } from '../archive/tar.js'

/** A file as the container sees it. Every name of a hard-linked inode is the file, with its content. */
export interface MergedFile extends FileEntry {
  /** The layer whose tar holds the content (for a hard link into a lower layer, that lower layer). */
  layer: number
  /** One number per content; names that share it are hard links to one inode (-1 for directories). */
  inode: number
  /** How many visible names the inode has. */
  links: number
}

/** Content a lower layer shipped that no visible name refers to any more: bytes that still ship. */
export interface HiddenFile extends MergedFile {
  hiddenBy: number
}

const NONE = -1
const PRESENT = 1
const WHITEOUT_PREFIX = '.wh.'
const OPAQUE_MARKER = '.wh..wh..opq'

/**
 * The union of an image's layers as a container sees it: later layers replace earlier paths,
 * whiteout (`.wh.name`) and opaque (`.wh..wh..opq`) markers hide lower content, and a hard link
 * names its target's content, which lives while any name of it does. Per path it keeps numbers only.
 */
export class MergedFilesystem {
  /** The layers' own path tree: the merge keeps per node numbers only, sized once for every node the layers have. */
  private readonly tree: PathTree
  private readonly present: Uint8Array
  /** The entry that gave each path its name, as a layer and an index into it. */
  private readonly entryLayer: Int16Array
  private readonly entryIndex: Int32Array
  /** The inode each path names: the number of the entry holding the content. */
  private readonly content: Int32Array
  /** Visible names per inode. */
  private readonly linkCounts: Uint32Array
  /** Inode number of each layer's first entry. */
  private readonly bases: number[] = []
  private hiddenInodes = new Int32Array(64)
  private hiddenBy = new Int16Array(64)
  private hiddenCount = 0

  private constructor(private readonly layers: readonly LayerEntries[]) {
    let total = 0
    for (const layer of layers) {
      this.bases.push(total)
      total += layer.length
    }
    this.linkCounts = new Uint32Array(total)
    this.tree = layers[0]?.paths ?? new PathTree()
    const nodes = this.tree.size
    this.present = new Uint8Array(nodes)
    this.entryLayer = new Int16Array(nodes).fill(NONE)
    this.entryIndex = new Int32Array(nodes).fill(NONE)
    this.content = new Int32Array(nodes).fill(NONE)
    this.present[ROOT] = PRESENT
  }

  static fromLayers(layers: readonly (LayerEntries | readonly FileEntry[])[]): MergedFilesystem {
    const paths = layers.find((layer): layer is LayerEntries => layer instanceof LayerEntries)?.paths ?? new PathTree()
    // Layers scanned into another tree (or given as plain entries) are copied into this one.
    const tables = layers.map((layer) => (layer instanceof LayerEntries && layer.paths === paths ? layer : LayerEntries.from(layer, paths)))
    const fs = new MergedFilesystem(tables)
    fs.layers.forEach((_, index) => fs.apply(index))
    return fs
  }

  get(path: string): MergedFile | undefined {
    const node = this.find(path)
    return node === NONE || this.entryLayer[node] === NONE ? undefined : this.fileAt(node, path)
  }

  /** Every visible file below `path` (or everywhere), depth first; a hard-linked inode once per name. */
  *walk(path = ''): Generator<MergedFile> {
    const start = this.find(path)
    if (start === NONE) return
    const nodes = [start]
    const paths = [path]
    while (nodes.length > 0) {
      const node = nodes.pop() as number
      const nodePath = paths.pop() as string
      if (this.entryLayer[node] !== NONE) yield this.fileAt(node, nodePath)
      const children: number[] = []
      for (let child = this.tree.firstChild(node); child !== NONE; child = this.tree.nextSibling(child)) {
        if (this.present[child] === PRESENT) children.push(child)
      }
      for (const child of children.reverse()) {
        nodes.push(child)
        paths.push(join(nodePath, this.tree.name(child)))
      }
    }
  }

  /** Content lower layers shipped that no visible name refers to, in the order it was hidden. */
  *hiddenFiles(): Generator<HiddenFile> {
    for (let i = 0; i < this.hiddenCount; i++) {
      const inode = this.hiddenInodes[i] ?? NONE
      const layer = this.layerOf(inode)
      const index = inode - (this.bases[layer] ?? 0)
      yield { ...this.fileOf(layer, index, this.table(layer).path(index), inode, 0), hiddenBy: this.hiddenBy[i] ?? NONE }
    }
  }

  /** Bytes of the visible files below `path`, counted as the engine counts them: an inode once. */
  bytesUnder(path: string): number {
    let total = 0
    const seen = new Set<number>()
    for (const file of this.walk(path)) {
      if (file.links > 1 && seen.has(file.inode)) continue
      if (file.links > 1) seen.add(file.inode)
      total += fileBytes(file)
    }
    return total
  }

  /** Follows symlinks (absolute or relative) to the path they finally name, if it exists. */
  resolve(path: string, hops = 0): string | undefined {
    const file = this.get(path)
    if (!file) return undefined
    if (file.type !== 'symlink' || file.linkname === undefined) return path
    if (hops > 16) return undefined
    const target = file.linkname.startsWith('/') ? file.linkname : `${dirname(path)}/${file.linkname}`
    return this.resolve(normaliseDots(target), hops + 1)
  }

  /** Applies one layer: its markers hide lower content first, then its entries are laid on top in tar order. */
  private apply(layer: number): void {
    const entries = this.table(layer)
    for (let index = 0; index < entries.length; index++) {
      const node = entries.node(index)
      const name = this.tree.name(node)
      if (name === OPAQUE_MARKER) this.clearChildren(this.tree.parent(node), layer)
      else if (name.startsWith(WHITEOUT_PREFIX))
        this.remove(this.tree.child(this.tree.parent(node), name.slice(WHITEOUT_PREFIX.length)), layer)
    }
    for (let index = 0; index < entries.length; index++) {
      const node = entries.node(index)
      if (node !== ROOT && !this.tree.name(node).startsWith(WHITEOUT_PREFIX)) this.add(node, layer, index)
    }
  }

  private add(node: number, layer: number, index: number): void {
    const isDirectory = this.table(layer).type(index) === 'directory'
    // Resolved before anything is replaced, as the engine links to what exists when it meets the entry.
    const inode = isDirectory ? NONE : this.inodeFor(layer, index)
    this.showParents(node)
    if (this.present[node] === PRESENT) {
      // A directory over a directory merges: only its metadata changes.
      if (isDirectory && this.isDirectory(node)) return this.setEntry(node, layer, index)
      this.hideSubtree(node, layer)
    }
    this.present[node] = PRESENT
    this.setEntry(node, layer, index)
    this.content[node] = inode
    if (inode !== NONE) this.linkCounts[inode] = (this.linkCounts[inode] ?? 0) + 1
  }

  /** A hard link names the inode its target names at this point of the merge; anything else is its own inode. */
  private inodeFor(layer: number, index: number): number {
    const entries = this.table(layer)
    const own = (this.bases[layer] ?? 0) + index
    if (entries.type(index) !== 'hardlink') return own
    const target = this.find(normalisePath(entries.linkname(index) ?? ''))
    const inode = target === NONE ? NONE : (this.content[target] ?? NONE)
    // A link to nothing, or to a directory, stays an empty link entry.
    return inode === NONE ? own : inode
  }

  private remove(node: number, layer: number): void {
    if (node !== NONE && this.present[node] === PRESENT) this.hideSubtree(node, layer)
  }

  private clearChildren(node: number, layer: number): void {
    if (node === NONE || this.present[node] !== PRESENT) return
    for (let child = this.tree.firstChild(node); child !== NONE; child = this.tree.nextSibling(child)) this.hideSubtree(child, layer)
  }

  /** Drops every name at and below `node`; an inode left with no name is hidden, if a lower layer shipped it. */
  private hideSubtree(node: number, layer: number): void {
    const pending = [node]
    while (pending.length > 0) {
      const current = pending.pop() as number
      if (this.present[current] !== PRESENT) continue
      this.unlink(current, layer)
      this.present[current] = 0
      this.entryLayer[current] = NONE
      this.entryIndex[current] = NONE
      for (let child = this.tree.firstChild(current); child !== NONE; child = this.tree.nextSibling(child)) pending.push(child)
    }
  }

  private unlink(node: number, layer: number): void {
    const inode = this.content[node] ?? NONE
    this.content[node] = NONE
    if (inode === NONE) return
    const left = (this.linkCounts[inode] ?? 1) - 1
    this.linkCounts[inode] = left
    if (left > 0 || this.layerOf(inode) >= layer) return
    this.hiddenInodes = grown(this.hiddenInodes, this.hiddenCount + 1)
    this.hiddenBy = grown(this.hiddenBy, this.hiddenCount + 1)
    this.hiddenInodes[this.hiddenCount] = inode
    this.hiddenBy[this.hiddenCount++] = layer
  }

  /** A node's parents become visible, as implied directories, when a layer names something inside them. */
  private showParents(node: number): void {
    for (let at = this.tree.parent(node); at > ROOT && this.present[at] !== PRESENT; at = this.tree.parent(at)) this.present[at] = PRESENT
  }

  private setEntry(node: number, layer: number, index: number): void {
    this.entryLayer[node] = layer
    this.entryIndex[node] = index
  }

  private isDirectory(node: number): boolean {
    const layer = this.entryLayer[node] ?? NONE
    return layer === NONE || this.table(layer).type(this.entryIndex[node] ?? NONE) === 'directory'
  }

  /** The visible node at `path`, or -1. */
  private find(path: string): number {
    if (path === '') return ROOT
    let node = ROOT
    for (const part of path.split('/')) {
      node = this.tree.child(node, part)
      if (node === NONE || this.present[node] !== PRESENT) return NONE
    }
    return node
  }

  private fileAt(node: number, path: string): MergedFile {
    const inode = this.content[node] ?? NONE
    if (inode === NONE) return this.fileOf(this.entryLayer[node] ?? NONE, this.entryIndex[node] ?? NONE, path, NONE, 0)
    const layer = this.layerOf(inode)
    return this.fileOf(layer, inode - (this.bases[layer] ?? 0), path, inode, this.linkCounts[inode] ?? 0)
  }

  /** One object of one shape per file: walks make hundreds of thousands of them. */
  private fileOf(layer: number, index: number, path: string, inode: number, links: number): MergedFile {
    const entries = this.table(layer)
    const file: MergedFile = { path, type: entries.type(index), size: entries.size(index), mode: entries.mode(index), layer, inode, links }
    const linkname = entries.linkname(index)
    if (linkname !== undefined) file.linkname = linkname
    const elf = entries.elf(index)
    if (elf) file.elf = elf
    return file
  }

  private table(layer: number): LayerEntries {
    return this.layers[layer] as LayerEntries
  }

  /** The layer holding an inode: the last whose first inode number is not above it. */
  private layerOf(inode: number): number {
    let layer = this.bases.length - 1
    while (layer > 0 && (this.bases[layer] ?? 0) > inode) layer--
    return layer
  }
}

/** Engine-style bytes of one entry: a file's size, or a symlink's target length. */
export function fileBytes(file: Pick<FileEntry, 'type' | 'size' | 'linkname'>): number {
  if (file.type === 'file') return file.size
  if (file.type === 'symlink') return Buffer.byteLength(file.linkname ?? '')
  return 0
}

export function dirname(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash === -1 ? '' : path.slice(0, slash)
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1)
}

function join(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`
}

/** Resolves `.` and `..` segments in a root-relative path, clamping at the root. */
export function normaliseDots(path: string): string {
  const out: string[] = []
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') out.pop()
    else out.push(part)
  }
  return out.join('/')
}
