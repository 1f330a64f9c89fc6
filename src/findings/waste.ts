/**
 * Bytes that ship but serve no one: files a later layer overwrote or deleted, and package-manager
 * or compiler caches left in the final filesystem.
 */
import { fileBytes, normaliseDots, type MergedFilesystem } from '../model/filesystem.js'
import type { ImageModel } from '../model/model.js'
import type { Finding } from './finding.js'
import { formatBytes, formatLimit, formatShare, type Limit } from '../size.js'

export interface Waste {
  bytes: number
  /** The largest hidden files, biggest first. */
  top: { path: string; bytes: number; layer: number; hiddenBy: number }[]
}

/** How many hidden files `Waste.top` lists. */
export const WASTE_TOP = 5
/** Below this, overwritten bytes are noise (a touched config file) unless max-wasted says otherwise. */
export const WASTE_REPORT_BYTES = 1_000_000
/** A cache smaller than this is an empty directory with a lock file. */
export const CACHE_REPORT_BYTES = 1_000

/** Content shipped in one layer that a later one overwrote or deleted under every name it had, as dive counts it. */
export function wastedBytes(fs: MergedFilesystem): Waste {
  let bytes = 0
  const top: Waste['top'] = []
  for (const file of fs.hiddenFiles()) {
    const hidden = { path: `/${file.path}`, bytes: fileBytes(file), layer: file.layer, hiddenBy: file.hiddenBy }
    bytes += hidden.bytes
    if (hidden.bytes > 0) keepLargest(top, hidden)
  }
  return { bytes, top }
}

/** Keeps `top` the WASTE_TOP largest files seen, biggest first, ties by path. */
function keepLargest(top: Waste['top'], file: Waste['top'][number]): void {
  const last = top[top.length - 1]
  if (top.length === WASTE_TOP && last && !isLarger(file, last)) return
  top.push(file)
  top.sort((a, b) => (isLarger(a, b) ? -1 : isLarger(b, a) ? 1 : 0))
  if (top.length > WASTE_TOP) top.pop()
}

function isLarger(a: Waste['top'][number], b: Waste['top'][number]): boolean {
  return a.bytes > b.bytes || (a.bytes === b.bytes && a.path.localeCompare(b.path) < 0)
}

/** wasted-bytes: a warning from 1 MB, an error over max-wasted (a percentage is of the image's size). */
export function wastedFinding(model: ImageModel, limit?: Limit, waste = wastedBytes(model.filesystem)): Finding | undefined {
  const percent = model.size > 0 ? (waste.bytes / model.size) * 100 : 0
  const over = limit !== undefined && (limit.kind === 'bytes' ? waste.bytes > limit.value : percent > limit.value)
  const largest = waste.top[0]
  if (!largest || (!over && waste.bytes < WASTE_REPORT_BYTES)) return undefined
  const overText = over ? `, over the max-wasted of ${formatLimit(limit)}` : ''
  const files = waste.top.map((file) => describeHidden(model.filesystem, file)).join(', ')
  return {
    rule: 'wasted-bytes',
    severity: over ? 'error' : 'warning',
    message:
      `${formatBytes(waste.bytes)} (${formatShare(percent)} of the image) ship in layers that a later layer overwrites or deletes${overText}; ` +
      `largest: ${files}; delete temporary files in the same RUN that creates them, or COPY only what you need from a build stage`,
    path: largest.path,
    layer: largest.layer
  }
}

function describeHidden(fs: MergedFilesystem, file: Waste['top'][number]): string {
  const how = fs.get(file.path.slice(1)) ? 'replaced' : 'deleted'
  return `${file.path} ${formatBytes(file.bytes)} (layer ${file.layer + 1}, ${how} in layer ${file.hiddenBy + 1})`
}

interface CacheKind {
  what: string
  fix: (path: string) => string
  /** Which files under the directory are cache; all of them when absent. */
  counts?: (path: string) => boolean
}

const mountFix = (alternative: string) => (path: string) => `mount it as a cache (RUN --mount=type=cache,target=${path} …) ${alternative}`
const GO_BUILD: CacheKind = { what: 'Go build cache', fix: mountFix('or build in an earlier stage') }
const GO_MODULES: CacheKind = { what: 'Go module cache', fix: mountFix('or build in an earlier stage') }
const APT_LISTS: CacheKind = {
  what: 'apt package lists',
  fix: () => 'run rm -rf /var/lib/apt/lists/* in the same RUN as apt-get install',
  counts: (path) => !path.endsWith('/lock')
}
const APT_ARCHIVES: CacheKind = {
  what: 'apt package cache',
  fix: () => 'run apt-get clean in the same RUN as apt-get install',
  counts: (path) => path.endsWith('.deb') || path.endsWith('.bin')
}
const FIXED_CACHES: ReadonlyArray<[string, CacheKind]> = [
  ['go/pkg/mod', GO_MODULES],
  ['root/go/pkg/mod', GO_MODULES],
  ['var/lib/apt/lists', APT_LISTS],
  ['var/cache/apt', APT_ARCHIVES],
  ['root/.npm', { what: 'npm cache', fix: mountFix('or run npm cache clean --force in the same RUN') }],
  ['root/.cache/pip', { what: 'pip cache', fix: () => 'install with pip install --no-cache-dir' }],
  ['var/cache/apk', { what: 'apk cache', fix: () => 'install with apk add --no-cache' }]
]

/** build-cache: one finding per cache directory holding at least 1 kB of visible files. */
export function buildCacheFindings(model: ImageModel): Finding[] {
  const findings: Finding[] = []
  for (const [path, kind] of cacheLocations(model)) {
    const { bytes, layer } = cacheBytes(model.filesystem, path, kind)
    if (bytes < CACHE_REPORT_BYTES) continue
    findings.push({
      rule: 'build-cache',
      severity: 'warning',
      message: `/${path} holds ${formatBytes(bytes)} of ${kind.what} in the final image; ${kind.fix(`/${path}`)}`,
      path: `/${path}`,
      layer
    })
  }
  return findings
}

/** Known cache directories, those named by Go's env, and every `.cache/go-build` found. */
function cacheLocations(model: ImageModel): Map<string, CacheKind> {
  const locations = new Map<string, CacheKind>()
  const add = (path: string, kind: CacheKind) => locations.set(normaliseDots(path), kind)
  const gopaths = (model.env['GOPATH'] ?? '').split(':').filter((dir) => dir !== '')
  for (const gopath of gopaths) add(`${gopath}/pkg/mod`, GO_MODULES)
  if (model.env['GOMODCACHE']) add(model.env['GOMODCACHE'], GO_MODULES)
  if (model.env['GOCACHE']) add(model.env['GOCACHE'], GO_BUILD)
  for (const [path, kind] of FIXED_CACHES) add(path, kind)
  for (const path of goBuildCaches(model.filesystem)) add(path, GO_BUILD)
  return locations
}

const GO_BUILD_DIR = '.cache/go-build'

function goBuildCaches(fs: MergedFilesystem): Set<string> {
  const found = new Set<string>()
  for (const file of fs.walk()) {
    const at = `/${file.path}/`.indexOf(`/${GO_BUILD_DIR}/`)
    if (at !== -1) found.add(file.path.slice(0, at + GO_BUILD_DIR.length))
  }
  return found
}

/** Visible cache bytes, and the layer that wrote most of them. */
function cacheBytes(fs: MergedFilesystem, path: string, kind: CacheKind): { bytes: number; layer: number } {
  const perLayer = new Map<number, number>()
  for (const file of fs.walk(path)) {
    if (kind.counts && !kind.counts(file.path)) continue
    perLayer.set(file.layer, (perLayer.get(file.layer) ?? 0) + fileBytes(file))
  }
  const ranked = [...perLayer].sort((a, b) => b[1] - a[1] || b[0] - a[0])
  return { bytes: ranked.reduce((total, [, bytes]) => total + bytes, 0), layer: ranked[0]?.[0] ?? 0 }
}
