import type { FileEntry } from './layer.js'

/** A file as the container sees it, with the index of the layer that last wrote it. */
export interface MergedFile extends FileEntry {
  layer: number
}

/** A file a lower layer shipped that a later layer replaced or deleted: bytes that still ship. */
export interface HiddenFile extends MergedFile {
  hiddenBy: number
}

interface Node {
  file?: MergedFile
  children?: Map<string, Node>
}

const WHITEOUT_PREFIX = '.wh.'
const OPAQUE_MARKER = '.wh..wh..opq'

/**
 * The union of an image's layers as a container sees it: later layers replace earlier paths,
 * and whiteout (`.wh.name`) and opaque (`.wh..wh..opq`) markers hide lower content.
 */
export class MergedFilesystem {
  private readonly root: Node = { children: new Map() }
  readonly hidden: HiddenFile[] = []

  static fromLayers(layers: readonly (readonly FileEntry[])[]): MergedFilesystem {
    const fs = new MergedFilesystem()
    layers.forEach((entries, index) => fs.apply(entries, index))
    return fs
  }

  /** Applies one layer: its markers hide lower content first, then its entries are laid on top. */
  apply(entries: readonly FileEntry[], layer: number): void {
    for (const entry of entries) {
      const name = basename(entry.path)
      if (name === OPAQUE_MARKER) this.clearChildren(dirname(entry.path), layer)
      else if (name.startsWith(WHITEOUT_PREFIX)) this.remove(join(dirname(entry.path), name.slice(WHITEOUT_PREFIX.length)), layer)
    }
    for (const entry of entries) {
      if (!basename(entry.path).startsWith(WHITEOUT_PREFIX) && entry.path !== '') this.add({ ...entry, layer })
    }
  }

  get(path: string): MergedFile | undefined {
    return this.find(path)?.file
  }

  /** Every visible file below `path` (or everywhere), depth first. */
  *walk(path = ''): Generator<MergedFile> {
    const start = path === '' ? this.root : this.find(path)
    if (start) yield* walkNode(start)
  }

  /** Bytes of the visible files below `path`, counted as the engine counts them. */
  bytesUnder(path: string): number {
    let total = 0
    for (const file of this.walk(path)) total += fileBytes(file)
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

  private add(file: MergedFile): void {
    const parts = file.path.split('/')
    let parent = this.root
    for (const part of parts.slice(0, -1)) parent = childOf(parent, part)
    const name = parts[parts.length - 1] as string
    const existing = parent.children?.get(name)
    const existingIsDirectory = existing !== undefined && (existing.file === undefined || existing.file.type === 'directory')
    if (existing && file.type === 'directory' && existingIsDirectory) {
      // A directory over a directory merges: only its metadata changes.
      existing.file = file
      return
    }
    if (existing) this.hideSubtree(existing, file.layer)
    childOf(parent, name)
    parent.children?.set(name, { file })
  }

  private remove(path: string, layer: number): void {
    const parent = this.find(dirname(path))
    const name = basename(path)
    const node = parent?.children?.get(name)
    if (!node) return
    this.hideSubtree(node, layer)
    parent?.children?.delete(name)
  }

  private clearChildren(path: string, layer: number): void {
    const node = this.find(path)
    if (!node?.children) return
    for (const child of node.children.values()) this.hideSubtree(child, layer)
    node.children.clear()
  }

  private hideSubtree(node: Node, layer: number): void {
    for (const file of walkNode(node)) {
      if (file.layer < layer && file.type !== 'directory') this.hidden.push({ ...file, hiddenBy: layer })
    }
  }

  private find(path: string): Node | undefined {
    if (path === '') return this.root
    let node: Node | undefined = this.root
    for (const part of path.split('/')) {
      node = node.children?.get(part)
      if (!node) return undefined
    }
    return node
  }
}

/** Engine-style bytes of one entry: a file's size, or a symlink's target length. */
export function fileBytes(file: FileEntry): number {
  if (file.type === 'file') return file.size
  if (file.type === 'symlink') return Buffer.byteLength(file.linkname ?? '')
  return 0
}

function* walkNode(node: Node): Generator<MergedFile> {
  if (node.file) yield node.file
  if (!node.children) return
  for (const child of node.children.values()) yield* walkNode(child)
}

function childOf(node: Node, name: string): Node {
  node.children ??= new Map()
  let child = node.children.get(name)
  if (!child) {
    child = {}
    node.children.set(name, child)
  }
  return child
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
