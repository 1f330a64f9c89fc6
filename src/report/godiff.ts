/**
 * The module diff of a pull request's Go binaries: head against base, matched by path or else by main
 * module. Per pair: modules added, removed, upgraded, downgraded or replaced, with their size deltas; the
 * Go version; the build settings that change size (cgo, -trimpath, -ldflags, -tags, GOAMD64/GOARM,
 * -buildmode); and the non-code buckets. Pure.
 */
import type { GoAttribution, ModuleBytes, NamedBytes } from '../binary/goattribution.js'

/** What the diff needs of a binary; BinaryFact has it, and so does a saved report's `binaries[]`. */
export interface GoBinary {
  path: string
  size: number
  module: string | null
  goAttribution: GoAttribution | null
}

export type ModuleChangeKind = 'added' | 'removed' | 'upgraded' | 'downgraded' | 'replaced' | 'unchanged'

export interface ModuleChange {
  path: string
  kind: ModuleChangeKind
  base: { version: string; replace?: string } | null
  head: { version: string; replace?: string } | null
  baseBytes: number
  headBytes: number
  delta: number
}

export interface SettingChange {
  key: string
  base: string | null
  head: string | null
}

export interface BucketChange {
  name: string
  base: number
  head: number
  delta: number
}

export interface BinaryDiff {
  path: string
  basePath: string
  matchedBy: 'path' | 'module'
  baseSize: number
  headSize: number
  delta: number
  goVersion: { base: string; head: string } | null
  /** Changed modules (in version or bytes), largest |delta| first. */
  modules: ModuleChange[]
  settings: SettingChange[]
  buckets: BucketChange[]
}

/** Build settings that change what the linker writes. */
export const SIZE_SETTINGS = [
  'CGO_ENABLED',
  '-trimpath',
  '-ldflags',
  '-tags',
  '-buildmode',
  'GOAMD64',
  'GOARM',
  'GOARM64',
  'GO386'
] as const

/** Every head Go binary with a base counterpart: by path first, then by a main module unique on both sides. */
export function diffGoBinaries(head: readonly GoBinary[], base: readonly GoBinary[]): BinaryDiff[] {
  const heads = head.filter(hasAttribution)
  const bases = base.filter(hasAttribution)
  const basePaths = new Map(bases.map((b) => [b.path, b]))
  const diffs: BinaryDiff[] = []
  const used = new Set<string>()
  for (const h of heads) {
    const b = basePaths.get(h.path)
    if (!b) continue
    used.add(b.path)
    diffs.push(diffBinary(h, b, 'path'))
  }
  const matched = new Set(diffs.map((d) => d.path))
  const byModule = uniqueByModule(bases.filter((b) => !used.has(b.path)))
  const headModules = uniqueByModule(heads.filter((h) => !matched.has(h.path)))
  for (const [module, h] of headModules) {
    const b = byModule.get(module)
    if (b) diffs.push(diffBinary(h, b, 'module'))
  }
  return diffs.sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || (a.path < b.path ? -1 : 1))
}

type Attributed = GoBinary & { goAttribution: GoAttribution }

/** The Go binaries with a well-formed attribution, slimmed to what the diff reads. */
export function goBinaries(binaries: readonly GoBinary[]): GoBinary[] {
  return binaries.filter(hasAttribution).map(({ path, size, module, goAttribution }) => ({ path, size, module, goAttribution }))
}

/** A report read back from disk may be older or hand-edited: only well-formed attributions count. */
function hasAttribution(binary: GoBinary): binary is Attributed {
  const a = binary.goAttribution as Partial<GoAttribution> | null | undefined
  return (
    typeof binary.path === 'string' &&
    typeof binary.size === 'number' &&
    !!a &&
    Array.isArray(a.modules) &&
    Array.isArray(a.buckets) &&
    typeof a.goVersion === 'string' &&
    typeof a.settings === 'object' &&
    a.settings !== null
  )
}

function uniqueByModule(binaries: Attributed[]): Map<string, Attributed> {
  const counts = new Map<string, number>()
  for (const b of binaries) if (b.module) counts.set(b.module, (counts.get(b.module) ?? 0) + 1)
  return new Map(binaries.filter((b) => b.module && counts.get(b.module) === 1).map((b) => [b.module as string, b]))
}

/**
 * What two attributions can be compared on: code and data when both had a symbol table, else code alone (a
 * stripped side's data stays in its sections), so dropping `-s -w` does not look like modules growing.
 */
function comparable(a: GoAttribution, withData: boolean): Pick<GoAttribution, 'modules' | 'buckets'> {
  if (withData) return a
  return { modules: a.modules.map((m) => ({ ...m, bytes: m.code ?? m.bytes })), buckets: a.codeOnlyBuckets ?? a.buckets }
}

function diffBinary(head: Attributed, base: Attributed, matchedBy: BinaryDiff['matchedBy']): BinaryDiff {
  const withData = head.goAttribution.symbolData === true && base.goAttribution.symbolData === true
  const h = { ...head.goAttribution, ...comparable(head.goAttribution, withData) }
  const b = { ...base.goAttribution, ...comparable(base.goAttribution, withData) }
  return {
    path: head.path,
    basePath: base.path,
    matchedBy,
    baseSize: base.size,
    headSize: head.size,
    delta: head.size - base.size,
    goVersion: h.goVersion === b.goVersion ? null : { base: b.goVersion, head: h.goVersion },
    modules: moduleChanges(h.modules, b.modules),
    settings: settingChanges(h.settings, b.settings),
    buckets: bucketChanges(h.buckets, b.buckets)
  }
}

function moduleChanges(head: ModuleBytes[], base: ModuleBytes[]): ModuleChange[] {
  const before = new Map(base.map((m) => [m.path, m]))
  const after = new Map(head.map((m) => [m.path, m]))
  const paths = [...new Set([...after.keys(), ...before.keys()])]
  return paths
    .map((path) => moduleChange(path, before.get(path), after.get(path)))
    .filter((change) => change.kind !== 'unchanged' || change.delta !== 0)
    .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || (a.path < b.path ? -1 : 1))
}

function moduleChange(path: string, base: ModuleBytes | undefined, head: ModuleBytes | undefined): ModuleChange {
  const side = (m: ModuleBytes | undefined): ModuleChange['base'] =>
    m ? { version: m.version, ...(m.replace ? { replace: m.replace } : {}) } : null
  const baseBytes = base?.bytes ?? 0
  const headBytes = head?.bytes ?? 0
  return { path, kind: changeKind(base, head), base: side(base), head: side(head), baseBytes, headBytes, delta: headBytes - baseBytes }
}

function changeKind(base: ModuleBytes | undefined, head: ModuleBytes | undefined): ModuleChangeKind {
  if (!base || !head) return base ? 'removed' : 'added'
  const order = compareVersions(head.version, base.version)
  if (order !== 0) return order > 0 ? 'upgraded' : 'downgraded'
  return (head.replace ?? '') === (base.replace ?? '') ? 'unchanged' : 'replaced'
}

/** Semantic version order (`v1.2.3`, `go1.22.4`, pre-releases before releases); text order otherwise. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => /^(?:v|go)?(\d+)(?:\.(\d+))?(?:\.(\d+))?(.*)$/.exec(v)
  const [pa, pb] = [parse(a), parse(b)]
  if (!pa || !pb) return a === b ? 0 : a < b ? -1 : 1
  for (const i of [1, 2, 3]) {
    const diff = Number(pa[i] ?? 0) - Number(pb[i] ?? 0)
    if (diff !== 0) return Math.sign(diff)
  }
  const [ra, rb] = [pa[4] ?? '', pb[4] ?? '']
  if (ra === rb) return 0
  if (ra === '' || rb === '') return ra === '' ? 1 : -1
  return ra < rb ? -1 : 1
}

function settingChanges(head: Record<string, string>, base: Record<string, string>): SettingChange[] {
  return SIZE_SETTINGS.filter((key) => (head[key] ?? null) !== (base[key] ?? null)).map((key) => ({
    key,
    base: base[key] ?? null,
    head: head[key] ?? null
  }))
}

function bucketChanges(head: NamedBytes[], base: NamedBytes[]): BucketChange[] {
  const before = new Map(base.map((b) => [b.name, b.bytes]))
  const after = new Map(head.map((b) => [b.name, b.bytes]))
  return [...new Set([...after.keys(), ...before.keys()])]
    .map((name) => ({
      name,
      base: before.get(name) ?? 0,
      head: after.get(name) ?? 0,
      delta: (after.get(name) ?? 0) - (before.get(name) ?? 0)
    }))
    .filter((change) => change.delta !== 0)
    .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || (a.name < b.name ? -1 : 1))
}
