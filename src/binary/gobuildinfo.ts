/**
 * Go build info: the version, main package and build settings that `go version -m` prints,
 * read from the bytes of a Go executable. Pure functions over captured byte ranges; the
 * ELF streaming (which bytes to keep) lives in elf.ts; GoBuildInfoReader says which of them Go needs.
 */
import { asBuffer, type ByteSource, type Needle } from './byte-source.js'

/** What a Go binary can do at run time that needs files from the image. */
export interface GoUses {
  tls: boolean
  tzdata: boolean
  embeddedTzdata: boolean
  user: boolean
}

/** A module line of the build info (`mod` or `dep`), with the `=>` replacement that followed it. */
export interface GoModule {
  path: string
  version: string
  replace?: { path: string; version: string }
}

export interface GoInfo {
  goVersion: string
  path: string
  module?: string
  /** The main module's version, `(devel)` for a local build. */
  moduleVersion?: string
  deps: GoModule[]
  settings: Record<string, string>
  cgo?: boolean
  trimpath?: boolean
  vcsRevision?: string
  uses: GoUses
}

/** The 14-byte magic that opens the `.go.buildinfo` section (Go ≥ 1.13). */
export const BUILDINFO_MAGIC = Buffer.from('\xff Go buildinf:', 'latin1')
export const BUILDINFO_HEADER_BYTES = 32
/** Go's debug/buildinfo looks this far into the first writable segment for the magic. */
export const BUILDINFO_SEARCH_BYTES = 64 * 1024
const BUILDINFO_ALIGN = 16
const FLAG_BIG_ENDIAN = 1
const FLAG_INLINE = 2

/** Sentinels the go command wraps around the modinfo text (runtime/debug strips them). */
export const MODINFO_START = Buffer.from('3077af0c9274080241e1c107e6d618e6', 'hex')
export const MODINFO_END = Buffer.from('f932433186182072008242104116d8f2', 'hex')
const SENTINEL_BYTES = 16

/** Function names in the pclntab (kept by `strip` and `-s -w`) that reveal what a binary uses. */
export const USE_PATTERNS: ReadonlyArray<{ use: keyof GoUses; text: string }> = [
  { use: 'tls', text: 'crypto/tls.' },
  // Reads the system CA bundle; present without crypto/tls when a program verifies certificates itself.
  { use: 'tls', text: 'crypto/x509.loadSystemRoots' },
  // Every path to the zoneinfo files (time.LoadLocation, time.Local's init) goes through loadLocation.
  { use: 'tzdata', text: 'time.loadLocation' },
  { use: 'embeddedTzdata', text: 'time/tzdata.' },
  { use: 'user', text: 'os/user.' }
]

/** How the header found at the start of `.go.buildinfo` stores the version and modinfo. */
export type BuildInfoHeader = { format: 'inline' } | PointerHeader
/** Go 1.13–1.17: addresses of the runtime.buildVersion and runtime.modinfo string headers. */
export interface PointerHeader {
  format: 'pointer'
  ptrSize: 4 | 8
  bigEndian: boolean
  versionAddr: number
  modinfoAddr: number
}

/** Index of the magic in `window` at a 16-byte aligned file offset, as Go requires; -1 when absent. */
export function findBuildInfoHeader(window: Uint8Array, windowOffset: number): number {
  const bytes = asBuffer(window)
  let at = bytes.indexOf(BUILDINFO_MAGIC)
  while (at !== -1 && (windowOffset + at) % BUILDINFO_ALIGN !== 0) at = bytes.indexOf(BUILDINFO_MAGIC, at + 1)
  return at
}

/** Reads the 32-byte header; null when it is truncated or names an impossible pointer size. */
export function readBuildInfoHeader(header: Uint8Array): BuildInfoHeader | null {
  if (header.length < BUILDINFO_HEADER_BYTES || !startsWith(header, BUILDINFO_MAGIC, 0)) return null
  const flags = header[15] ?? 0
  if ((flags & FLAG_INLINE) !== 0) return { format: 'inline' }
  const ptrSize = header[14]
  if (ptrSize !== 4 && ptrSize !== 8) return null
  const bigEndian = (flags & FLAG_BIG_ENDIAN) !== 0
  const versionAddr = readPointer(header, 16, ptrSize, bigEndian)
  const modinfoAddr = readPointer(header, 16 + ptrSize, ptrSize, bigEndian)
  return { format: 'pointer', ptrSize, bigEndian, versionAddr, modinfoAddr }
}

/** Reads an unsigned pointer-sized integer; 64-bit values above 2^53 lose precision (never a real address). */
export function readPointer(bytes: Uint8Array, at: number, size: 4 | 8, bigEndian: boolean): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (size === 4) return view.getUint32(at, !bigEndian)
  const high = view.getUint32(bigEndian ? at : at + 4, !bigEndian)
  const low = view.getUint32(bigEndian ? at + 4 : at, !bigEndian)
  return high * 2 ** 32 + low
}

/** Total bytes, from the magic on, that an inline header needs; null when the lengths are unreadable. */
export function inlineExtent(bytes: Uint8Array): number | null {
  const version = uvarint(bytes, BUILDINFO_HEADER_BYTES)
  if (!version) return null
  const modinfoAt = version.next + version.value
  const modinfo = uvarint(bytes, modinfoAt)
  if (!modinfo) return null
  return modinfo.next + modinfo.value
}

/** Splits an inline build info blob (header included) into its version and modinfo strings. */
export function parseInline(bytes: Uint8Array): { version: string; modinfo: Uint8Array } | null {
  const version = uvarint(bytes, BUILDINFO_HEADER_BYTES)
  if (!version || version.next + version.value > bytes.length) return null
  const modinfo = uvarint(bytes, version.next + version.value)
  if (!modinfo || modinfo.next + modinfo.value > bytes.length) return null
  return {
    version: asBuffer(bytes).toString('utf8', version.next, version.next + version.value),
    modinfo: bytes.subarray(modinfo.next, modinfo.next + modinfo.value)
  }
}

/** Go's uvarint (LEB128); null when it runs past the bytes or is longer than Go allows. */
function uvarint(bytes: Uint8Array, at: number): { value: number; next: number } | null {
  let value = 0
  for (let i = 0; i < 10 && at + i < bytes.length; i++) {
    const byte = bytes[at + i] ?? 0
    value += (byte & 0x7f) * 2 ** (7 * i)
    if (byte < 0x80) return { value, next: at + i + 1 }
  }
  return null
}

/** A Go string header (data pointer, length) as laid out in the data segment. */
export function readStringHeader(bytes: Uint8Array, ptrSize: 4 | 8, bigEndian: boolean): { addr: number; len: number } {
  return { addr: readPointer(bytes, 0, ptrSize, bigEndian), len: readPointer(bytes, ptrSize, ptrSize, bigEndian) }
}

const VERSION_PATTERN = /^go1\.\d+(?:\.\d+)?(?:(?:beta|rc)\d+)?/

/**
 * Best-effort runtime.buildVersion for the pointer format when its string header is unreadable:
 * Go strings are not NUL-terminated, so the version is the longest `go1.N[.N][rcN]` prefix of a candidate.
 */
export function versionFromCandidate(bytes: Uint8Array): string | null {
  const match = VERSION_PATTERN.exec(asBuffer(bytes).toString('latin1', 0, Math.min(bytes.length, 40)))
  return match ? match[0] : null
}

/** The modinfo blob, sentinels included, that starts at `bytes[0]`; null when its end sentinel is missing. */
export function modinfoFromCandidate(bytes: Uint8Array): Uint8Array | null {
  const end = asBuffer(bytes).indexOf(MODINFO_END, SENTINEL_BYTES)
  if (end === -1 || !startsWith(bytes, MODINFO_START, 0)) return null
  return bytes.subarray(0, end + SENTINEL_BYTES)
}

/** Removes the 16-byte sentinels the way runtime/debug does, then decodes the text. */
export function modinfoText(raw: Uint8Array): string {
  const n = raw.length
  const wrapped = n >= 2 * SENTINEL_BYTES + 1 && raw[n - SENTINEL_BYTES - 1] === 0x0a
  const body = wrapped ? raw.subarray(SENTINEL_BYTES, n - SENTINEL_BYTES) : raw
  return asBuffer(body).toString('utf8')
}

/** Builds GoInfo from the version string and modinfo text (`path`, `mod`, `dep`, `build` lines). */
export function goInfo(goVersion: string, modinfo: string, uses: GoUses): GoInfo {
  let path = ''
  let main: GoModule | undefined
  let last: GoModule | undefined
  const deps: GoModule[] = []
  const settings: Record<string, string> = {}
  let sawBuild = false
  for (const line of modinfo.split('\n')) {
    const [kind, ...fields] = line.split('\t')
    if (kind === 'path') path = fields[0] ?? ''
    else if (kind === 'mod' || kind === 'dep') {
      last = { path: fields[0] ?? '', version: fields[1] ?? '' }
      if (kind === 'mod') main = last
      else deps.push(last)
    } else if (kind === '=>' && last) last.replace = { path: fields[0] ?? '', version: fields[1] ?? '' }
    else if (kind === 'build' && fields.length > 0) {
      sawBuild = true
      const [key, value] = splitSetting(fields.join('\t'))
      settings[key] = value
    }
  }
  const info: GoInfo = { goVersion, path, deps, settings, uses }
  if (main !== undefined) {
    info.module = main.path
    info.moduleVersion = main.version
  }
  if (settings.CGO_ENABLED !== undefined) info.cgo = settings.CGO_ENABLED === '1'
  // Go only records -trimpath when it was set, so its absence means false once any setting exists.
  if (sawBuild) info.trimpath = settings['-trimpath'] === 'true'
  if (settings['vcs.revision'] !== undefined) info.vcsRevision = settings['vcs.revision']
  return info
}

/** Splits `key=value`; the go command quotes keys or values holding spaces, quotes or '='. */
function splitSetting(text: string): [string, string] {
  let key: string
  let rest: string
  if (text.startsWith('"')) {
    const end = closingQuote(text, 0)
    key = unquoteGo(text.slice(0, end + 1))
    rest = text.slice(end + 1)
  } else {
    const eq = text.indexOf('=')
    key = eq === -1 ? text : text.slice(0, eq)
    rest = eq === -1 ? '' : text.slice(eq)
  }
  const value = rest.startsWith('=') ? rest.slice(1) : rest
  return [key, value.startsWith('"') ? unquoteGo(value) : value]
}

/** Index of the quote closing the one at `open`, skipping backslash escapes; the last index when unclosed. */
function closingQuote(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') i++
    else if (text[i] === '"') return i
  }
  return text.length - 1
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'"
}

/** Undoes Go's strconv.Quote; malformed input is returned as it was. */
export function unquoteGo(quoted: string): string {
  if (quoted.length < 2 || !quoted.startsWith('"') || !quoted.endsWith('"')) return quoted
  const body = quoted.slice(1, -1)
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)/g, (whole, esc: string) => {
    const simple = SIMPLE_ESCAPES[esc]
    if (simple !== undefined) return simple
    if (/^[xuU]/.test(esc)) return String.fromCodePoint(parseInt(esc.slice(1), 16))
    if (/^[0-7]{3}$/.test(esc)) return String.fromCodePoint(parseInt(esc, 8))
    return whole
  })
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array, at: number): boolean {
  if (at + prefix.length > bytes.length) return false
  for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix[i]) return false
  return true
}

/** runtime.buildVersion candidates keep this many bytes; real versions are far shorter. */
const VERSION_CANDIDATE_BYTES = 40
/** Go ≥ 1.21 binaries hold a few hundred "go1.N" GODEBUG strings; only the pointer format needs them. */
const MAX_VERSION_CANDIDATES = 512
const MODINFO_CANDIDATE_BYTES = 256 * 1024
const MAX_MODINFO_CANDIDATES = 4
/** Inline modinfo lists every dependency; even very large programs stay far below this. */
const MAX_INLINE_BYTES = 4 * 1024 * 1024

/**
 * Reads Go build info while an ELF streams by. Inline format (Go ≥ 1.18): everything is at the start of
 * the first writable segment. Pointer format (Go 1.13–1.17): the header points at string headers in the
 * data segment (kept when reached) whose bytes sit in rodata, which streamed earlier; so while scanning a
 * Go binary we keep every "go1." and modinfo-sentinel hit, and pick the one at the resolved offset.
 */
export class GoBuildInfoReader {
  readonly dataWindowBytes = BUILDINFO_SEARCH_BYTES
  private readonly uses: GoUses = { tls: false, tzdata: false, embeddedTzdata: false, user: false }
  private headerAt = -1
  private header: BuildInfoHeader | null = null
  private inlineBytes = 0
  private readonly stringRefs: { version?: number; modinfo?: number } = {}
  private readonly versionCandidates: number[] = []
  private readonly modinfoCandidates: number[] = []

  constructor(
    private readonly source: ByteSource,
    private readonly fileOffsetOf: (vaddr: number, length: number) => number | null
  ) {}

  /** What to look for in every byte of a binary known to be Go (by its build ID note). */
  needles(from: number): Needle[] {
    const go1 = Buffer.from('go1.', 'latin1')
    return [
      ...this.useNeedles(from),
      this.candidateNeedle(go1, from, this.versionCandidates, MAX_VERSION_CANDIDATES, VERSION_CANDIDATE_BYTES),
      this.candidateNeedle(MODINFO_START, from, this.modinfoCandidates, MAX_MODINFO_CANDIDATES, MODINFO_CANDIDATE_BYTES)
    ]
  }

  private useNeedles(from: number): Needle[] {
    const groups = new Map<keyof GoUses, Needle[]>()
    for (const { use, text } of USE_PATTERNS) {
      const group = groups.get(use) ?? []
      groups.set(use, group)
      const settle = (): void => {
        this.uses[use] = true
        // One hit settles the use: stop searching for all of its names.
        for (const needle of group) needle.active = false
      }
      group.push({ bytes: Buffer.from(text, 'latin1'), from, active: true, onHit: settle })
    }
    return [...groups.values()].flat()
  }

  private candidateNeedle(bytes: Buffer, from: number, offsets: number[], max: number, keepBytes: number): Needle {
    const needle: Needle = {
      bytes,
      from,
      active: true,
      onHit: (offset) => {
        if (this.source.keep(offset, offset + keepBytes)) offsets.push(offset)
        needle.active = offsets.length < max
      }
    }
    return needle
  }

  /** Called with the first bytes of the first writable PT_LOAD, where `.go.buildinfo` starts. */
  onDataWindow(windowOffset: number, window: Uint8Array): void {
    const at = findBuildInfoHeader(window, windowOffset)
    const header = at === -1 ? null : readBuildInfoHeader(window.subarray(at))
    if (!header) return
    this.headerAt = windowOffset + at
    this.header = header
    if (header.format === 'inline') this.keepInline(window.subarray(at), windowOffset + window.length)
    else this.keepStringHeaders(header)
  }

  /** Inline strings longer than the window continue in bytes that have not streamed yet: keep them. */
  private keepInline(fromHeader: Uint8Array, windowEnd: number): void {
    this.inlineBytes = Math.min(inlineExtent(fromHeader) ?? BUILDINFO_HEADER_BYTES, MAX_INLINE_BYTES)
    const end = this.headerAt + this.inlineBytes
    if (end > windowEnd) this.source.keep(windowEnd, end)
  }

  private keepStringHeaders(header: PointerHeader): void {
    const span = 2 * header.ptrSize
    for (const key of ['version', 'modinfo'] as const) {
      const offset = this.fileOffsetOf(key === 'version' ? header.versionAddr : header.modinfoAddr, span)
      if (offset !== null && (this.source.read(offset, span) || this.source.keep(offset, offset + span))) {
        this.stringRefs[key] = offset
      }
    }
  }

  /** GoInfo from what was kept; undefined when the binary has no readable build info. */
  result(): GoInfo | undefined {
    const header = this.header
    if (!header) return undefined
    const parts = header.format === 'inline' ? this.inlineParts() : this.pointerParts(header)
    return parts ? goInfo(parts.version, modinfoText(parts.modinfo), { ...this.uses }) : undefined
  }

  private inlineParts(): { version: string; modinfo: Uint8Array } | null {
    const bytes = this.source.read(this.headerAt, this.inlineBytes)
    return bytes ? parseInline(bytes) : null
  }

  private pointerParts(header: PointerHeader): { version: string; modinfo: Uint8Array } | null {
    const versionBytes = this.resolveString(this.stringRefs.version, header)
    const version = versionBytes ? asBuffer(versionBytes).toString('utf8') : this.guessVersion()
    if (!version) return null
    const modinfo = this.resolveString(this.stringRefs.modinfo, header) ?? this.guessModinfo() ?? new Uint8Array(0)
    return { version, modinfo }
  }

  /** Follows a kept string header to its bytes in rodata, if those bytes were kept as a candidate. */
  private resolveString(ref: number | undefined, header: PointerHeader): Uint8Array | undefined {
    const bytes = ref === undefined ? undefined : this.source.read(ref, 2 * header.ptrSize)
    if (!bytes) return undefined
    const { addr, len } = readStringHeader(bytes, header.ptrSize, header.bigEndian)
    const offset = len > 0 ? this.fileOffsetOf(addr, len) : null
    return offset === null ? undefined : this.source.read(offset, len)
  }

  private guessVersion(): string | null {
    for (const offset of this.versionCandidates) {
      const bytes = this.source.read(offset, Math.min(VERSION_CANDIDATE_BYTES, this.source.size - offset))
      const version = bytes ? versionFromCandidate(bytes) : null
      if (version) return version
    }
    return null
  }

  private guessModinfo(): Uint8Array | null {
    for (const offset of this.modinfoCandidates) {
      const bytes = this.source.read(offset, Math.min(MODINFO_CANDIDATE_BYTES, this.source.size - offset))
      const blob = bytes ? modinfoFromCandidate(bytes) : null
      if (blob && modinfoText(blob).startsWith('path\t')) return blob
    }
    return null
  }
}
