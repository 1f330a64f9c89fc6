/**
 * Will the container start? Resolves the command the image runs and checks that every dynamic
 * executable finds its loader and shared libraries in the final filesystem.
 */
import type { ImageConfig } from '../archive/image-documents.js'
import type { Stage } from '../model/dockerfile.js'
import type { ElfInfo } from '../binary/elf.js'
import { dirname, normaliseDots, type MergedFilesystem } from '../model/filesystem.js'
import type { BinaryFact } from './binaries.js'
import type { ImageModel } from '../model/model.js'
import type { Finding, Severity } from './finding.js'

/** The PATH Docker gives a container whose image sets none. */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

/** Where the loader looks when a binary's RPATH/RUNPATH do not name the library; /usr/local/lib is in glibc's and musl's default config. */
export const LIBRARY_DIRS = ['lib', 'usr/lib', 'lib64', 'usr/lib64', 'usr/local/lib']

/** Multiarch directories (Debian/Ubuntu `x86_64-linux-gnu`, and the musl equivalents) under these. */
const MULTIARCH_PARENTS = ['lib', 'usr/lib']
const MULTIARCH_NAME = /-linux-(gnu|musl)/

/** Linux's limit on symlinks followed while resolving one path. */
const MAX_SYMLINK_HOPS = 40

/** The command a container of the image runs, and the config key it came from. */
export interface ImageCommand {
  source: 'ENTRYPOINT' | 'CMD'
  argv: string[]
}

export function imageCommand(config: ImageConfig): ImageCommand | undefined {
  const entrypoint = config.config?.Entrypoint ?? []
  if (entrypoint.length > 0 && entrypoint[0] !== '') return { source: 'ENTRYPOINT', argv: entrypoint }
  const cmd = config.config?.Cmd ?? []
  if (cmd.length > 0 && cmd[0] !== '') return { source: 'CMD', argv: cmd }
  return undefined
}

/**
 * Resolves `path` the way the kernel does, following symlinks in every component (so `/bin/sh`
 * works on merged-/usr images where `bin` links to `usr/bin`). Returns the real path, or undefined.
 */
export function resolveInImage(fs: MergedFilesystem, path: string): string | undefined {
  const resolved: string[] = []
  const pending = path.split('/')
  let hops = 0
  while (pending.length > 0) {
    const part = pending.shift() as string
    if (part === '' || part === '.') continue
    if (part === '..') {
      resolved.pop()
      continue
    }
    const candidate = [...resolved, part].join('/')
    const file = fs.get(candidate)
    if (file?.type === 'symlink' && file.linkname !== undefined) {
      if (++hops > MAX_SYMLINK_HOPS) return undefined
      if (file.linkname.startsWith('/')) resolved.length = 0
      pending.unshift(...file.linkname.split('/'))
      continue
    }
    // A directory the layer tars never listed still exists when files sit below it.
    if (!file && fs.walk(candidate).next().done) return undefined
    resolved.push(part)
  }
  return resolved.join('/')
}

/** True when `path` resolves to something other than a directory, e.g. a file or device. */
export function isFileInImage(fs: MergedFilesystem, path: string): boolean {
  const real = resolveInImage(fs, path)
  return real !== undefined && real !== '' && !isDirectory(fs, real)
}

function isDirectory(fs: MergedFilesystem, real: string): boolean {
  const file = fs.get(real)
  return file === undefined || file.type === 'directory'
}

/** The real path of the executable the command names: absolute, relative to WorkingDir, or found on PATH. */
export function locateExecutable(model: ImageModel, name: string): string | undefined {
  const fs = model.filesystem
  const candidates = name.includes('/') ? [inWorkingDir(model, name)] : searchPath(model).map((dir) => `${dir}/${name}`)
  for (const candidate of candidates) {
    if (isFileInImage(fs, candidate)) return resolveInImage(fs, candidate)
  }
  return undefined
}

function inWorkingDir(model: ImageModel, path: string): string {
  return path.startsWith('/') ? path : `${model.config.config?.WorkingDir || '/'}/${path}`
}

function searchPath(model: ImageModel): string[] {
  const path = model.env['PATH'] ?? DEFAULT_PATH
  return path
    .split(':')
    .filter((dir) => dir !== '')
    .map((dir) => inWorkingDir(model, dir))
}

/** Line of the last instruction with this keyword in the stage, which is the one the image keeps. */
export function instructionLine(stage: Stage | undefined, keyword: string): number | undefined {
  const matching = stage?.instructions.filter((instruction) => instruction.keyword === keyword) ?? []
  return matching[matching.length - 1]?.line
}

/** missing-entrypoint: the command's executable is nowhere in the image. */
export function entrypointFinding(model: ImageModel, severity: Severity, stage?: Stage): Finding | undefined {
  const command = imageCommand(model.config)
  const name = command?.argv[0]
  if (!command || name === undefined || locateExecutable(model, name) !== undefined) return undefined
  const finding: Finding = { rule: 'missing-entrypoint', severity, message: entrypointMessage(model, command, name) }
  if (name.includes('/')) finding.path = `/${normaliseDots(inWorkingDir(model, name))}`
  const line = instructionLine(stage, command.source)
  if (line !== undefined) finding.line = line
  return finding
}

function entrypointMessage(model: ImageModel, command: ImageCommand, name: string): string {
  const { source } = command
  const fix = 'COPY it into the final stage or fix the path'
  if (command.argv[1] === '-c' && /^(\/bin\/)?sh$/.test(name)) {
    return `${source} uses shell form, which runs /bin/sh, and the image has no /bin/sh; write it in exec form, e.g. ${source} ["/app"]`
  }
  if (!name.includes('/')) {
    const dirs = model.env['PATH'] ?? DEFAULT_PATH
    return `${source} runs ${name}, which is in none of the image's PATH directories (${dirs}); COPY it into one of them or use an absolute path`
  }
  const full = `/${normaliseDots(inWorkingDir(model, name))}`
  const runs = name.startsWith('/')
    ? `${source} runs ${name}`
    : `${source} runs ${name} from WORKDIR ${model.config.config?.WorkingDir || '/'}`
  const it = full === name ? `${runs}, which` : `${runs}, but ${full}`
  const link = model.filesystem.get(full.slice(1))
  if (link?.type === 'symlink') return `${it} is a symlink to ${link.linkname}, which does not exist in the image; ${fix}`
  if (resolveInImage(model.filesystem, full) !== undefined) return `${it} is a directory; point it at the executable inside`
  return `${it} does not exist in the image; ${fix}`
}

/** missing-interpreter and missing-library for every dynamic executable. */
export function linkFindings(model: ImageModel, facts: BinaryFact[], severityFor: (fact: BinaryFact) => Severity): Finding[] {
  const fs = model.filesystem
  const systemDirs = [...libraryPathDirs(model), ...LIBRARY_DIRS, ...multiarchDirs(fs)]
  const findings: Finding[] = []
  for (const fact of facts) {
    const file = fs.get(fact.path.slice(1))
    if (fact.static || !file?.elf) continue
    const at = { path: fact.path, layer: file.layer, severity: severityFor(fact) }
    if (fact.interpreter !== null && !isFileInImage(fs, fact.interpreter)) {
      findings.push({ rule: 'missing-interpreter', message: interpreterMessage(fact), ...at })
    }
    const dirs = [...originDirs(fs, fact.path, file.elf), ...systemDirs]
    const missing = fact.needed.filter((library) => !findLibrary(fs, library, dirs))
    if (missing.length > 0) findings.push({ rule: 'missing-library', message: libraryMessage(fact, missing), ...at })
  }
  return findings
}

function interpreterMessage(fact: BinaryFact): string {
  const base = fact.interpreter?.includes('musl') ? 'alpine' : 'gcr.io/distroless/base'
  const rebuild = fact.goVersion !== null ? 'build it with CGO_ENABLED=0' : 'link it statically'
  const loader = `${fact.path} needs the dynamic loader ${fact.interpreter}, which the image does not have`
  return `${loader}; ${rebuild}, or use a base image with its C library such as ${base}`
}

function libraryMessage(fact: BinaryFact, missing: string[]): string {
  const rebuild = fact.goVersion !== null ? ', or build it with CGO_ENABLED=0' : ''
  const needs = `${fact.path} needs shared libraries the image does not have: ${missing.join(', ')}`
  return `${needs}; install the packages that provide them or COPY them from the build stage${rebuild}`
}

function findLibrary(fs: MergedFilesystem, library: string, dirs: string[]): boolean {
  // A DT_NEEDED with a slash is opened as a path, not searched for.
  if (library.includes('/')) return isFileInImage(fs, library)
  return dirs.some((dir) => isFileInImage(fs, `${dir}/${library}`))
}

/** RPATH and RUNPATH entries with $ORIGIN set to the directory the binary really lives in. */
function originDirs(fs: MergedFilesystem, path: string, elf: ElfInfo): string[] {
  const origin = `/${dirname(resolveInImage(fs, path) ?? path.slice(1))}`
  return [...elf.runpath, ...elf.rpath].map((dir) => dir.replace(/\$ORIGIN|\$\{ORIGIN\}/g, origin))
}

function libraryPathDirs(model: ImageModel): string[] {
  return (model.env['LD_LIBRARY_PATH'] ?? '').split(':').filter((dir) => dir !== '')
}

/** `lib/<triplet>` and `usr/lib/<triplet>` directories present in the image. */
function multiarchDirs(fs: MergedFilesystem): string[] {
  const dirs = new Set<string>()
  for (const parent of MULTIARCH_PARENTS) {
    const real = resolveInImage(fs, parent)
    if (real === undefined) continue
    for (const file of fs.walk(real)) {
      const child = file.path.slice(real.length + 1).split('/')[0]
      if (child && MULTIARCH_NAME.test(child)) dirs.add(`${parent}/${child}`)
    }
  }
  return [...dirs]
}
