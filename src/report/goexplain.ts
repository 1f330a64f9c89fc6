/**
 * Words and pictures for Go attribution: the "Why `/app` grew" section (top modules by |Δ| with their
 * versions, the build settings that changed, with what they cost) and a Mermaid pie of a binary's bytes
 * by module. Every piece of text that came from the image goes through imageText (markdown) or
 * pieLabel (Mermaid).
 */
import { BUCKETS, type GoAttribution } from '../binary/goattribution.js'
import { SIZE_SETTINGS, type BinaryDiff, type ModuleChange, type SettingChange } from './godiff.js'
import { codeSpan } from './markdown.js'
import { formatBytes, formatDelta } from '../size.js'

/** Modules shown per binary; the rest are summed on one line. */
export const TOP_MODULES = 8
/** Binaries explained in a comment; the JSON report has them all. */
export const MAX_BINARIES = 5
const PIE_SLICES = 8
const MAX_TEXT = 200

/**
 * Image text (module paths, versions, replace targets, binary paths) as markdown.ts code: encoded, so
 * nothing in it can become markdown or HTML, and newlines show as `\n`.
 */
export function imageText(text: string): string {
  return codeSpan(text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text)
}

type Style = (text: string) => string
const plain: Style = (text) => text.replace(/\r?\n|\r/g, '\\n')

/** One line per change, largest first: modules, then build settings with the bytes they explain. */
export function growthLines(diff: BinaryDiff, style: Style = imageText): string[] {
  const shown = diff.modules.slice(0, TOP_MODULES)
  const rest = diff.modules.slice(TOP_MODULES)
  const lines = shown.map((change) => moduleLine(change, style))
  if (rest.length > 0) {
    const delta = rest.reduce((sum, change) => sum + change.delta, 0)
    lines.push(`${formatDelta(delta)} in ${rest.length} more module${rest.length === 1 ? '' : 's'}`)
  }
  return [...lines, ...diff.settings.map((setting) => settingLine(setting, diff, style)), ...outsideLine(diff, style)]
}

/** The change of bytes outside any package that no settings line already explains, with its three largest parts. */
function outsideLine(diff: BinaryDiff, style: Style): string[] {
  const explainedBy = (key: string): boolean => diff.settings.some((s) => s.key === key)
  const skip = [...(explainedBy('-ldflags') ? [BUCKETS.dwarf, BUCKETS.symbols] : []), ...(explainedBy('CGO_ENABLED') ? [BUCKETS.cgo] : [])]
  const buckets = diff.buckets.filter((bucket) => !(skip as string[]).includes(bucket.name))
  const delta = buckets.reduce((sum, bucket) => sum + bucket.delta, 0)
  if (delta === 0) return []
  // Bucket names come back from history records and saved reports: they are data, like any image string.
  const parts = buckets.slice(0, 3).map((bucket) => `${bucketName(bucket.name, style)} ${formatDelta(bucket.delta)}`)
  return [`${formatDelta(delta)} outside packages (${parts.join(', ')}${buckets.length > 3 ? ', …' : ''})`]
}

/** Our own bucket names read as words; any other name came from a file and is shown as data. */
function bucketName(name: string, style: Style): string {
  return (Object.values(BUCKETS) as string[]).includes(name) ? name : style(name)
}

function moduleLine(change: ModuleChange, style: Style): string {
  return `${formatDelta(change.delta)} ${style(change.path)} (${versionText(change, style)})`
}

function versionText(change: ModuleChange, style: Style): string {
  const v = (text: string | undefined): string => (text ? style(text) : 'none')
  switch (change.kind) {
    case 'added':
      return `new, ${v(change.head?.version)}`
    case 'removed':
      return `removed, was ${v(change.base?.version)}`
    case 'upgraded':
    case 'downgraded':
      return `${v(change.base?.version)} → ${v(change.head?.version)}`
    case 'replaced':
      return `${v(change.head?.version)}, replaced: ${v(change.base?.replace)} → ${v(change.head?.replace)}`
    default:
      return v(change.head?.version)
  }
}

const STRIP_FLAGS = ['-s', '-w']

function settingLine(setting: SettingChange, diff: BinaryDiff, style: Style): string {
  if (setting.key === '-ldflags') {
    const before = flags(setting.base)
    const after = flags(setting.head)
    const removed = STRIP_FLAGS.filter((flag) => before.includes(flag) && !after.includes(flag))
    const added = STRIP_FLAGS.filter((flag) => after.includes(flag) && !before.includes(flag))
    const cost = bucketDelta(diff, [BUCKETS.dwarf, BUCKETS.symbols])
    if (removed.length > 0 && added.length === 0) return `ldflags: ${removed.join(' ')} removed (${formatDelta(cost)})`
    if (added.length > 0 && removed.length === 0) return `ldflags: ${added.join(' ')} added (${formatDelta(cost)})`
  }
  const key = (SIZE_SETTINGS as readonly string[]).includes(setting.key) ? setting.key : style(setting.key)
  const text = `${key}: ${settingValue(setting.base, style)} → ${settingValue(setting.head, style)}`
  const cgo = setting.key === 'CGO_ENABLED' ? bucketDelta(diff, [BUCKETS.cgo]) : 0
  return cgo === 0 ? text : `${text} (${formatDelta(cgo)} C code)`
}

/**
 * The linker's own flags, as `go build` splits -ldflags (quoted fields), without the value an `-X`
 * takes: `-X 'main.msg=built with -s'` does not strip anything.
 */
export function flags(ldflags: string | null): string[] {
  const fields = quotedFields(ldflags ?? '')
  const own: string[] = []
  for (let index = 0; index < fields.length; index++) {
    const field = fields[index] ?? ''
    if (field === '-X' || field === '--X') index++
    else if (!/^--?X=/.test(field)) own.push(field.replace(/^--/, '-').replace(/=true$/, ''))
  }
  return own
}

/** Fields separated by spaces, where single or double quotes group a field, as Go's cmd/internal/quoted splits them. */
function quotedFields(text: string): string[] {
  return [...text.matchAll(/(?:'[^']*'|"[^"]*"|[^\s'"])+/g)].map((match) => match[0].replace(/^(['"])(.*)\1$/, '$2'))
}

function settingValue(value: string | null, style: Style): string {
  return value === null ? 'unset' : value === '' ? 'empty' : style(value)
}

function bucketDelta(diff: BinaryDiff, names: string[]): number {
  return diff.buckets.filter((bucket) => names.includes(bucket.name)).reduce((sum, bucket) => sum + bucket.delta, 0)
}

/** Diffs worth explaining: the binary changed size, modules or settings. */
function explained(diffs: readonly BinaryDiff[]): BinaryDiff[] {
  return diffs.filter((d) => d.delta !== 0 || d.modules.length > 0 || d.settings.length > 0).slice(0, MAX_BINARIES)
}

/** The comment's "Why `/app` grew" sections, one per changed Go binary; [] when none changed. */
export function moduleGrowthSection(diffs: readonly BinaryDiff[]): string[] {
  return explained(diffs).flatMap((diff) => {
    const verb = diff.delta > 0 ? 'grew' : diff.delta < 0 ? 'shrank' : 'changed'
    const from = diff.matchedBy === 'module' ? ` (was ${imageText(diff.basePath)})` : ''
    const title = `**Why ${imageText(diff.path)} ${verb}** (${formatBytes(diff.baseSize)} → ${formatBytes(diff.headSize)}, ${formatDelta(diff.delta)})${from}`
    return [title, '', ...growthLines(diff).map((line) => `- ${line}`), '']
  })
}

/** The same for a terminal. */
export function moduleGrowthText(diffs: readonly BinaryDiff[]): string[] {
  return explained(diffs).flatMap((diff) => [
    `why ${diff.path} ${diff.delta >= 0 ? 'grew' : 'shrank'} (${formatDelta(diff.delta)}):`,
    ...growthLines(diff, plain).map((line) => `  ${line}`)
  ])
}

/**
 * A Mermaid pie of the binary's bytes: its largest modules, the other modules, and what is outside packages.
 * Labels keep only characters a Go module path may have, so no label can end its quotes or the block.
 */
export function modulePie(path: string, attribution: GoAttribution): string[] {
  const top = attribution.modules.slice(0, PIE_SLICES)
  const otherModules = attribution.modules.slice(PIE_SLICES).reduce((sum, m) => sum + m.bytes, 0)
  const outside = attribution.buckets.reduce((sum, b) => sum + b.bytes, 0)
  const slices: Array<[string, number]> = top.map((m) => [m.path === 'std' ? `std ${m.version}` : m.path, m.bytes])
  if (otherModules > 0) slices.push(['other modules', otherModules])
  if (outside > 0) slices.push(['outside packages (pclntab, types, strings, DWARF, headers)', outside])
  return [
    '```mermaid',
    `pie title ${pieLabel(path)} by module`,
    ...slices.map(([label, bytes]) => `    "${pieLabel(label)}" : ${bytes}`),
    '```'
  ]
}

export function pieLabel(text: string): string {
  return text.replace(/[^A-Za-z0-9._~/+@() ,-]/g, '_').slice(0, MAX_TEXT)
}

/** Pies drawn per report: the largest Go binaries. */
const MAX_PIES = 3

/** One pie per large Go binary, each a single multi-line string (a unit the comment can drop whole). */
export function modulePies(binaries: readonly { path: string; size: number; goAttribution: GoAttribution | null }[]): string[] {
  return [...binaries]
    .filter((b) => b.goAttribution !== null)
    .sort((a, b) => b.size - a.size)
    .slice(0, MAX_PIES)
    .map((b) =>
      [`**${imageText(b.path)}** (${formatBytes(b.size)})`, '', ...modulePie(b.path, b.goAttribution as GoAttribution)].join('\n')
    )
}
