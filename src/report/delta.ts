import type { Baseline, Delta, Report, ReportLayer } from './report.js'
import type { PathUsage } from '../model/usage.js'
import type { MetricFigures } from '../findings/policy.js'

// `base` names the baseline's side of a diff, as `delta.binaries` does in the JSON report.

export type LayerChangeKind = 'added' | 'removed' | 'grown' | 'shrunk' | 'unchanged'
/** Where a layer came from: the parent image (`FROM`) or the Dockerfile's own instructions. */
export type LayerOrigin = 'parent-image' | 'dockerfile'

/** One head layer, one base layer, or a matched pair of them. */
export interface LayerChange {
  kind: LayerChangeKind
  /** Layers with no Dockerfile line come from the parent image (FROM …); the rest from the Dockerfile's own instructions. */
  origin: LayerOrigin
  head?: { index: number; layer: ReportLayer }
  base?: { index: number; layer: ReportLayer }
  /** head size − base size (uncompressed), and the compressed delta when both sides know it. */
  delta: number
  compressedDelta: number | null
  matchedBy: 'digest' | 'instruction' | null
}

export interface PathChange {
  path: string
  base: number
  head: number
  delta: number
}

/** A pull request's size change: head against its baseline. */
export interface Comparison {
  /** Per metric; null when either side lacks it (a registry baseline has no uncompressed size). */
  delta: Delta
  percent: { size: number | null; compressedSize: number | null }
  /** In head order, removed base layers after. */
  layers: LayerChange[]
  /** The sequence of parent-image layers differs, e.g. FROM was bumped. */
  parentImageChanged: boolean
  /** Each side's FROM image as its Dockerfile names it, where known. */
  parentImages: { base: string | null; head: string | null }
  /** The paths that grew most, most specific first among nested ones; [] when either side has no paths. */
  paths: PathChange[]
}

const MAX_PATHS = 10
/** A parent is dropped when one descendant explains at least this share of its growth. */
const DESCENDANT_SHARE = 0.9
/** The classic builder records COPY/ADD sources as a content hash, which changes with the content. */
const CONTENT_HASH = /\b(file|dir|multi):[0-9a-f]{12,}\b/g

/** Head minus base per metric; null where either side does not know the metric. */
export function deltaOf(image: { size: number; compressedSize: number | null }, baseline: MetricFigures): Delta {
  return {
    size: baseline.size === null ? null : image.size - baseline.size,
    compressedSize:
      image.compressedSize === null || baseline.compressedSize === null ? null : image.compressedSize - baseline.compressedSize
  }
}

/**
 * The sizes of the layers a Dockerfile made (those with a Dockerfile line), as an image's figures; null when
 * no layer says where it came from (an analysed image, a registry baseline), so its own layers are not known.
 */
export function ownLayerFigures(layers: readonly ReportLayer[]): { size: number; compressedSize: number | null } | null {
  const own = layers.filter((layer) => layer.dockerfileLine !== null)
  if (own.length === 0 && layers.length > 0) return null
  const size = own.reduce((sum, layer) => sum + layer.size, 0)
  const compressedSize = own.reduce<number | null>(
    (sum, layer) => (sum === null || layer.compressedSize === null ? null : sum + layer.compressedSize),
    0
  )
  return { size, compressedSize }
}

/** The whole comparison; head minus base is the one the judge put on the report, when it did. */
export function compare(head: Report, baseline: Baseline): Comparison {
  const { size, compressedSize } = head.delta ?? deltaOf(head.image, baseline)
  const delta = { size, compressedSize }
  return {
    delta,
    percent: { size: percentOf(delta.size, baseline.size), compressedSize: percentOf(delta.compressedSize, baseline.compressedSize) },
    layers: compareLayers(head.image.layers, baseline.layers, baseline.size !== null),
    parentImageChanged: parentImageChanged(head.image.layers, baseline.layers),
    parentImages: { base: baseline.parentImage ?? null, head: head.image.parentImage },
    paths: baseline.paths === null || head.image.paths === null ? [] : growingPaths(head.image.paths, baseline.paths)
  }
}

/** null when the base is empty: growth from nothing has no percentage. */
function percentOf(delta: number | null, base: number | null): number | null {
  if (delta === null || base === null || base === 0) return null
  return (delta / base) * 100
}

function layerOrigin(layer: ReportLayer): LayerOrigin {
  return layer.dockerfileLine === null ? 'parent-image' : 'dockerfile'
}

/** Layers with the origin each came from; see baselineOrigins for a baseline without Dockerfile lines. */
interface Side {
  layers: ReportLayer[]
  origins: LayerOrigin[]
}

/**
 * Pairs identical layers by diffId, then same-origin layers by normalised instruction, each in order.
 * `uncompressedKnown` is false for a registry baseline: its layer sizes are 0, so kinds go by compressed size.
 */
function compareLayers(head: ReportLayer[], base: ReportLayer[], uncompressedKnown = true): LayerChange[] {
  const headSide: Side = { layers: head, origins: head.map(layerOrigin) }
  const baseSide: Side = { layers: base, origins: baselineOrigins(head, base) }
  const byDigest = pairLayers(headSide, baseSide, [], (layer) => layer.diffId)
  const byInstruction = pairLayers(headSide, baseSide, byDigest, instructionKey)
  const matches = new Map<number, { base: number; by: 'digest' | 'instruction' }>()
  for (const [h, b] of byDigest) matches.set(h, { base: b, by: 'digest' })
  for (const [h, b] of byInstruction) matches.set(h, { base: b, by: 'instruction' })
  const matchedBase = new Set([...matches.values()].map((match) => match.base))
  const changes = head.map((layer, index) => {
    const match = matches.get(index)
    const baseLayer = match ? base[match.base] : undefined
    const pair = match && baseLayer ? { base: { index: match.base, layer: baseLayer }, matchedBy: match.by } : { matchedBy: null }
    return layerChange(layerOrigin(layer), { head: { index, layer }, ...pair }, uncompressedKnown)
  })
  base.forEach((layer, index) => {
    if (matchedBase.has(index)) return
    changes.push(layerChange(baseSide.origins[index] ?? layerOrigin(layer), { base: { index, layer }, matchedBy: null }, uncompressedKnown))
  })
  return changes
}

/**
 * A registry baseline records no Dockerfile lines; parent-image layers always come first, so its leading
 * layers, as many as the head's parent image has, are taken as its parent image.
 */
function baselineOrigins(head: ReportLayer[], base: ReportLayer[]): LayerOrigin[] {
  const hasLines = (layers: ReportLayer[]) => layers.some((layer) => layer.dockerfileLine !== null)
  if (hasLines(base) || !hasLines(head)) return base.map(layerOrigin)
  const leading = head.filter((layer) => layer.dockerfileLine === null).length
  return base.map((_, index) => (index < leading ? 'parent-image' : 'dockerfile'))
}

type Pair = [head: number, base: number]
type LayerKey = (layer: ReportLayer, origin: LayerOrigin) => string | null

/** Pairs still-unpaired layers with equal keys, first come first served, so order stays stable. */
function pairLayers(head: Side, base: Side, taken: Pair[], key: LayerKey): Pair[] {
  const usedHead = new Set(taken.map(([h]) => h))
  const usedBase = new Set(taken.map(([, b]) => b))
  const waiting = new Map<string, number[]>()
  base.layers.forEach((layer, index) => {
    const k = usedBase.has(index) ? null : key(layer, base.origins[index] ?? layerOrigin(layer))
    if (k === null) return
    const queue = waiting.get(k)
    if (queue) queue.push(index)
    else waiting.set(k, [index])
  })
  const pairs: Pair[] = []
  head.layers.forEach((layer, index) => {
    const k = usedHead.has(index) ? null : key(layer, head.origins[index] ?? layerOrigin(layer))
    const match = k === null ? undefined : waiting.get(k)?.shift()
    if (match !== undefined) pairs.push([index, match])
  })
  return pairs
}

/** Same origin and instruction text, ignoring whitespace and classic-builder content hashes. */
function instructionKey(layer: ReportLayer, origin: LayerOrigin): string | null {
  if (!layer.instruction) return null
  return `${origin}\n${layer.instruction.replace(/\s+/g, ' ').trim().replace(CONTENT_HASH, '$1:*')}`
}

type Sides = Pick<LayerChange, 'head' | 'base' | 'matchedBy'>

function layerChange(origin: LayerOrigin, { head, base, matchedBy }: Sides, uncompressedKnown: boolean): LayerChange {
  // Identical content: a registry baseline's layer sizes (0, or exact gzip) must not show as change.
  const identical = matchedBy === 'digest'
  const delta = identical ? 0 : (head?.layer.size ?? 0) - (base?.layer.size ?? 0)
  const compressedDelta = identical ? 0 : compressedDifference(head?.layer, base?.layer)
  const change: LayerChange = { kind: 'unchanged', origin, delta, compressedDelta, matchedBy }
  if (head) change.head = head
  if (base) change.base = base
  if (!head || !base) change.kind = head ? 'added' : 'removed'
  else if (matchedBy === 'instruction') change.kind = sizeKind(uncompressedKnown ? delta : (compressedDelta ?? 0))
  return change
}

/** An absent side counts as 0; a side present but unmeasured makes the difference unknown. */
function compressedDifference(head: ReportLayer | undefined, base: ReportLayer | undefined): number | null {
  const headSize = head ? head.compressedSize : 0
  const baseSize = base ? base.compressedSize : 0
  return headSize === null || baseSize === null ? null : headSize - baseSize
}

function sizeKind(delta: number): LayerChangeKind {
  if (delta > 0) return 'grown'
  return delta < 0 ? 'shrunk' : 'unchanged'
}

function parentImageChanged(head: ReportLayer[], base: ReportLayer[]): boolean {
  const origins = baselineOrigins(head, base)
  const before = base.filter((_, index) => origins[index] === 'parent-image').map((layer) => layer.diffId)
  const after = head.filter((layer) => layerOrigin(layer) === 'parent-image').map((layer) => layer.diffId)
  return before.length !== after.length || before.some((digest, index) => digest !== after[index])
}

/** The top growers of the union of both path tables, preferring the most specific of nested entries. */
export function growingPaths(head: PathUsage[], base: PathUsage[]): PathChange[] {
  const sizes = new Map<string, { base: number; head: number }>()
  for (const entry of base) sizes.set(entry.path, { base: entry.size, head: 0 })
  for (const entry of head) sizes.set(entry.path, { base: sizes.get(entry.path)?.base ?? 0, head: entry.size })
  const grown = [...sizes].map(([path, { base, head }]) => ({ path, base, head, delta: head - base })).filter((change) => change.delta > 0)
  const largestDescendant = descendantGrowth(grown)
  return grown
    .filter((change) => (largestDescendant.get(change.path) ?? 0) < DESCENDANT_SHARE * change.delta)
    .sort((a, b) => b.delta - a.delta || a.path.localeCompare(b.path))
    .slice(0, MAX_PATHS)
}

/** For every ancestor path, the largest growth of any one entry below it. */
function descendantGrowth(changes: PathChange[]): Map<string, number> {
  const largest = new Map<string, number>()
  for (const change of changes) {
    for (const ancestor of ancestors(change.path)) largest.set(ancestor, Math.max(largest.get(ancestor) ?? 0, change.delta))
  }
  return largest
}

/** `/usr/lib/go` → `/usr/lib`, `/usr`, `/`. */
function ancestors(path: string): string[] {
  const parts = path.split('/').filter((part) => part !== '')
  return parts.map((_, depth) => `/${parts.slice(0, depth).join('/')}`)
}
