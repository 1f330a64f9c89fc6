import { dirname, fileBytes, type HiddenFile, type MergedFile, type MergedFilesystem } from '../model/filesystem.js'

/** A Go toolchain a container of the image can run. */
export interface Toolchain {
  /** GOROOT when the files around the binaries form one, else the directory of the binary. */
  root: string
  goVersion: string
  /** Toolchain executables found (those whose build info names a `cmd/…` package). */
  binaries: string[]
  /** True when VERSION or pkg/tool/<os>_<arch>/compile sit under root, as in a real GOROOT. */
  gorootLayout: boolean
  /** Bytes the toolchain occupies: its GOROOT including directories it links to, or its binaries. */
  bytes: number
  /** The layer that added the main binary. */
  layer: number
}

/** A toolchain that a later layer deleted: invisible to containers, but its bytes still ship. */
export interface DeletedToolchain {
  root: string
  goVersion: string
  bytes: number
  layer: number
  deletedIn: number
}

export interface ToolchainScan {
  toolchains: Toolchain[]
  deleted: DeletedToolchain[]
  /** Environment variables that suggest Go; never proof on their own. */
  hints: string[]
}

const HINT_VARIABLES = ['GOLANG_VERSION', 'GOROOT', 'GOTOOLCHAIN', 'GOPATH']

/** A Go toolchain is an executable built from the Go distribution's own `cmd/…` packages. */
export function isToolchainBinary(file: { elf?: { go?: { path: string } } }): boolean {
  const path = file.elf?.go?.path
  return path !== undefined && path.startsWith('cmd/')
}

/** Finds the Go toolchains in the merged filesystem, and the ones that were shipped and then deleted. */
export function scanToolchains(fs: MergedFilesystem, env: Record<string, string>): ToolchainScan {
  const groups = new Map<string, MergedFile[]>()
  for (const file of fs.walk()) {
    if (file.type === 'file' && isToolchainBinary(file)) groupBy(groups, gorootOf(file.path), file)
  }
  const toolchains = [...groups].map(([root, binaries]) => describeToolchain(fs, root, binaries))
  return {
    toolchains: toolchains.sort((a, b) => b.bytes - a.bytes),
    deleted: findDeleted(fs, toolchains),
    hints: HINT_VARIABLES.filter((name) => env[name] !== undefined).map((name) => `${name}=${env[name]}`)
  }
}

function describeToolchain(fs: MergedFilesystem, root: string, binaries: MergedFile[]): Toolchain {
  const main = binaries.find((file) => file.elf?.go?.path === 'cmd/go') ?? (binaries[0] as MergedFile)
  const layout = hasGorootLayout(fs, root)
  return {
    root: layout ? root : dirname(main.path),
    goVersion: main.elf?.go?.goVersion ?? 'unknown',
    binaries: binaries.map((file) => file.path).sort(),
    gorootLayout: layout,
    bytes: layout ? gorootBytes(fs, root) : inodeBytes(binaries),
    layer: main.layer
  }
}

/** The GOROOT a toolchain binary belongs to, judged by where Go installs its tools. */
export function gorootOf(path: string): string {
  const tool = /^(.*)\/pkg\/tool\/[^/]+\/[^/]+$/.exec(path)
  if (tool?.[1] !== undefined) return tool[1]
  const bin = /^(.*)\/bin\/[^/]+$/.exec(path)
  if (bin?.[1] !== undefined) return bin[1]
  return dirname(path)
}

/** Bytes of these files, a hard-linked inode once. */
function inodeBytes(files: readonly MergedFile[]): number {
  const inodes = new Map(files.map((file) => [file.inode, fileBytes(file)]))
  return [...inodes.values()].reduce((total, bytes) => total + bytes, 0)
}

function hasGorootLayout(fs: MergedFilesystem, root: string): boolean {
  if (fs.resolve(`${root}/VERSION`) !== undefined) return true
  const tools = fs.resolve(`${root}/pkg/tool`)
  if (tools === undefined) return false
  for (const file of fs.walk(tools)) if (file.path.endsWith('/compile')) return true
  return false
}

/** GOROOT bytes, following symlinks out of it (Debian links src/ to /usr/share/go-1.xx) once each. */
function gorootBytes(fs: MergedFilesystem, root: string): number {
  const targets: string[] = []
  for (const file of fs.walk(root)) {
    if (file.type !== 'symlink') continue
    const target = fs.resolve(file.path)
    if (target !== undefined && !isUnder(target, root) && fs.get(target)?.type === 'directory') targets.push(target)
  }
  const outside = targets.sort().filter((target, i, all) => !all.slice(0, i).some((earlier) => isUnder(target, earlier)))
  return outside.reduce((total, target) => total + fs.bytesUnder(target), fs.bytesUnder(root))
}

function findDeleted(fs: MergedFilesystem, present: readonly Toolchain[]): DeletedToolchain[] {
  const groups = new Map<string, HiddenFile[]>()
  for (const file of fs.hiddenFiles()) {
    if (isToolchainBinary(file) && !isToolchainBinary(fs.get(file.path) ?? {})) groupBy(groups, gorootOf(file.path), file)
  }
  // A toolchain still at that root is not deleted: an older copy of it is only wasted bytes.
  const gone = [...groups].filter(([root]) => !present.some((toolchain) => toolchain.root === root))
  return gone.map(([root, binaries]) => {
    const main = binaries[0] as HiddenFile
    let bytes = 0
    for (const file of fs.hiddenFiles()) {
      if (file.layer === main.layer && (file.path === root || isUnder(file.path, root))) bytes += fileBytes(file)
    }
    return { root, goVersion: main.elf?.go?.goVersion ?? 'unknown', bytes, layer: main.layer, deletedIn: main.hiddenBy }
  })
}

function isUnder(path: string, dir: string): boolean {
  return dir === '' || path.startsWith(`${dir}/`)
}

function groupBy<T>(groups: Map<string, T[]>, key: string, item: T): void {
  const list = groups.get(key)
  if (list) list.push(item)
  else groups.set(key, [item])
}
