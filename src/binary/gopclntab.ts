/**
 * Go's pclntab (Go ≥ 1.18), read while a binary streams by: each function's entry offset and the package
 * its name belongs to. It survives `strip` and `-ldflags=-s -w` because the runtime needs it. Only the
 * function table is kept; the name table and the _func records are consumed as they pass, so memory is
 * about 12 bytes per function, never the table's megabytes.
 */
import { asBuffer, type ByteSource, type Needle } from './byte-source.js'
import { goCode, type GoCode } from './gocode.js'
import { u32List } from './typed-list.js'

export type { GoCode } from './gocode.js'

/** 1.18/1.19 and 1.20+ share one layout (1.20 renamed compiler symbols from `type.` to `type:`). */
const MAGICS = [0xfffffff0, 0xfffffff1] as const
/** magic, two pad bytes, minLC, ptrSize, then eight pointer-sized fields. */
const HEADER_FIELDS = 8
/** A name longer than this only needs its prefix: the package comes before the first '[' or '.'. */
const NAME_PREFIX_BYTES = 4096
/** Each function costs 8 table bytes; far beyond any real program (Kubernetes has ~100k functions). */
const MAX_FUNCTIONS = 2_000_000
/**
 * A _func record (Go 1.18 to 1.24) is entryOff, nameOff, args, deferreturn, pcsp, pcfile, pcln, npcdata, cuOffset, …:
 * the fields tapped are nameOff, pcsp and cuOffset, at these offsets.
 */
const FUNC_FIELDS = [4, 16, 32] as const

export interface PclnHeader {
  /** File offset of the header. */
  offset: number
  little: boolean
  ptrSize: 4 | 8
  nfunc: number
  textStart: number
  funcnameOffset: number
  cuOffset: number
  pclnOffset: number
}

export function pclnHeaderBytes(ptrSize: 4 | 8): number {
  return 8 + HEADER_FIELDS * ptrSize
}

/** The pclntab magic bytes as they appear in a file of either byte order. */
export function pclnMagicNeedles(little: boolean): Buffer[] {
  return MAGICS.map((magic) => {
    const bytes = Buffer.alloc(6)
    if (little) bytes.writeUInt32LE(magic, 0)
    else bytes.writeUInt32BE(magic, 0)
    return bytes
  })
}

/** Parses and sanity-checks a header at file offset `offset`; null for a chance match of the magic. */
export function parsePclnHeader(bytes: Uint8Array, offset: number, fileSize: number): PclnHeader | null {
  if (bytes.length < 8 || bytes[4] !== 0 || bytes[5] !== 0) return null
  const ptrSize = bytes[7]
  const minLC = bytes[6] ?? 0
  if ((ptrSize !== 4 && ptrSize !== 8) || ![1, 2, 4].includes(minLC) || bytes.length < pclnHeaderBytes(ptrSize)) return null
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const little = MAGICS.some((m) => view.getUint32(0, true) === m)
  if (!little && !MAGICS.some((m) => view.getUint32(0, false) === m)) return null
  const field = (i: number): number => word(view, 8 + i * ptrSize, ptrSize, little)
  const header: PclnHeader = {
    offset,
    little,
    ptrSize,
    nfunc: field(0),
    textStart: field(2),
    funcnameOffset: field(3),
    cuOffset: field(4),
    pclnOffset: field(7)
  }
  const ordered =
    pclnHeaderBytes(ptrSize) <= header.funcnameOffset &&
    header.funcnameOffset <= header.cuOffset &&
    header.cuOffset <= field(5) &&
    field(5) <= field(6) &&
    field(6) <= header.pclnOffset
  const fits = offset + header.pclnOffset + (header.nfunc + 1) * 8 <= fileSize
  return ordered && fits && header.nfunc > 0 && header.nfunc <= MAX_FUNCTIONS ? header : null
}

function word(view: DataView, at: number, size: 4 | 8, little: boolean): number {
  if (size === 4) return view.getUint32(at, little)
  const low = view.getUint32(little ? at : at + 4, little)
  const high = view.getUint32(little ? at + 4 : at, little)
  return high * 2 ** 32 + low
}

const [DOT, SLASH, BRACKET] = [0x2e, 0x2f, 0x5b]
const ELEMENT_PREFIX = /^(?:\*|\[\d*\])+/
/** `go.uber.org/zap.New` is a package's; `go.itab.*os.File,io.Writer` and `go.string."a/b"` (Go 1.18/1.19) are the linker's. */
const LINKER_WORDS = 'itab|string|func|shape|importpath|info|cuinfo|builtin|dict|map|track|constinfo|loc|range|buildid'
const GO_DOMAIN = new RegExp(`^go\\.(?!(?:${LINKER_WORDS})\\.)[a-z0-9-]+(?:\\.[a-z0-9-]+)+/`)
const ANONYMOUS_TYPE = /^(?:struct|interface|func|map|chan)\b/

/**
 * The package a Go symbol belongs to: the import path up to the first '.' after the last '/', ignoring
 * generic type arguments; compiler-generated `type:.eq.T` helpers belong to T's package. '' when none.
 */
export function packageOf(symbol: string): string {
  const first = symbol.charCodeAt(0)
  // Most names start with a lowercase import path element that is neither `type` nor `go`: skip the prefix checks.
  const plain = first !== 0x74 && first !== 0x67 && first !== 0x2a && first !== 0x5b && !symbol.includes('[')
  return plain ? pathPrefix(symbol) : compilerSymbolPackage(symbol)
}

function compilerSymbolPackage(symbol: string): string {
  let name = symbol
  for (const prefix of ['type:.eq.', 'type..eq.', 'type:.hash.', 'type..hash.']) {
    if (name.startsWith(prefix)) name = name.slice(prefix.length)
  }
  const linker = name.startsWith('go:') || (name.startsWith('go.') && !GO_DOMAIN.test(name))
  if (linker || name.startsWith('type:') || name.startsWith('type.')) return ''
  // An equality helper of `[5]pkg.T` or `*pkg.T` belongs to pkg; of an anonymous struct, to no package.
  name = name.replace(ELEMENT_PREFIX, '')
  if (ANONYMOUS_TYPE.test(name)) return ''
  const bracket = name.indexOf('[')
  return pathPrefix(bracket === -1 ? name : name.slice(0, bracket))
}

/** The import path that prefixes `name`: up to the first '.' after the last '/'. */
function pathPrefix(name: string): string {
  const slash = name.lastIndexOf('/')
  const dot = name.indexOf('.', slash + 1)
  if (dot === -1) return ''
  // The linker escapes '.', '%' and '"' in import paths (`gopkg.in/yaml%2ev3`) so the first dot ends them.
  const pkg = name.slice(0, dot)
  return pkg.includes('%') ? pkg.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : pkg
}

/** Consumes funcnametab as it streams: for each NUL-terminated name, its offset and interned package. */
export class PackageNames {
  readonly starts = u32List()
  readonly packageIds = u32List()
  readonly packages: string[] = []
  private readonly ids = new Map<string, number>()
  /** The start of a name cut by a chunk seam, copied because chunks are reused buffers. */
  private partial: Buffer[] = []
  private partialLength = 0
  private nameStart = 0
  /** The package of the last name decoded, as bytes, when later names may share it (see samePackage). */
  private lastPrefix: Buffer | undefined
  private lastId = -1

  constructor(private readonly tableOffset: number) {}

  feed(piece: Uint8Array, fileOffset: number): void {
    const bytes = asBuffer(piece)
    const base = fileOffset - this.tableOffset
    for (let at = 0; at < bytes.length;) {
      const nul = bytes.indexOf(0, at)
      if (nul === -1) {
        this.hold(bytes.subarray(at))
        return
      }
      this.record(bytes, at, nul)
      this.nameStart = base + nul + 1
      at = nul + 1
    }
  }

  /** The package of the name starting at `offset` in the table; undefined when no name starts there. */
  packageAt(offset: number): string | undefined {
    const id = this.packageIdAt(offset)
    return id === -1 ? undefined : this.packages[id]
  }

  /** Index into `packages` of the name starting at `offset`; -1 when no name starts there. */
  packageIdAt(offset: number): number {
    const index = this.starts.find(offset)
    return index === -1 ? -1 : this.packageIds.at(index)
  }

  /**
   * The last package's id when this name is that package, '.', and a rest without '/' or '[': the function table
   * lists a package's functions together, so most names skip decoding. -1 otherwise.
   */
  private samePackage(bytes: Buffer, start: number, end: number): number {
    const prefix = this.lastPrefix
    if (!prefix || end - start <= prefix.length || bytes[start + prefix.length] !== DOT) return -1
    // Plain loops: a native call or a view per name would cost more than the few bytes compared.
    for (let i = 0; i < prefix.length; i++) if (bytes[start + i] !== prefix[i]) return -1
    const limit = Math.min(end, start + NAME_PREFIX_BYTES)
    for (let i = start + prefix.length + 1; i < limit; i++) {
      const byte = bytes[i]
      if (byte === SLASH || byte === BRACKET) return -1
    }
    return this.lastId
  }

  private intern(name: string): number {
    const pkg = packageOf(name)
    let id = this.ids.get(pkg)
    if (id === undefined) {
      id = this.packages.push(pkg) - 1
      this.ids.set(pkg, id)
    }
    // Only a name that is literally `pkg.rest` can vouch for the next ones (not `type:.eq.pkg.T`, escapes or generics).
    const literal = pkg !== '' && !pkg.includes('%') && !name.includes('[') && name.startsWith(`${pkg}.`)
    this.lastPrefix = literal ? Buffer.from(pkg, 'utf8') : undefined
    this.lastId = id
    return id
  }

  private hold(bytes: Buffer): void {
    if (this.partialLength >= NAME_PREFIX_BYTES) return
    this.partial.push(Buffer.from(bytes.subarray(0, NAME_PREFIX_BYTES - this.partialLength)))
    this.partialLength += bytes.length
  }

  /** Interns the package of the name ending at bytes[end] (its start is bytes[start] or held in `partial`). */
  private record(bytes: Buffer, start: number, end: number): void {
    let id = this.partial.length === 0 ? this.samePackage(bytes, start, end) : -1
    if (id === -1) {
      const name =
        this.partial.length === 0
          ? bytes.toString('utf8', start, Math.min(end, start + NAME_PREFIX_BYTES))
          : Buffer.concat([...this.partial, bytes.subarray(start, end)]).toString('utf8', 0, NAME_PREFIX_BYTES)
      id = this.intern(name)
    }
    this.starts.push(this.nameStart)
    this.packageIds.push(id)
    this.partial = []
    this.partialLength = 0
  }
}

/** Reads one little- or big-endian u32 at each of a list of ascending file offsets, across chunk seams. */
export class FieldTap {
  readonly values: Uint32Array
  private next = 0
  private value = 0
  private got = 0

  constructor(
    private readonly offsets: Float64Array,
    private readonly little: boolean
  ) {
    this.values = new Uint32Array(offsets.length)
  }

  feed(piece: Uint8Array, fileOffset: number): void {
    const end = fileOffset + piece.length
    const view = new DataView(piece.buffer, piece.byteOffset, piece.byteLength)
    while (this.next < this.offsets.length) {
      const at = (this.offsets[this.next] ?? 0) + this.got
      if (at >= end) return
      // Whole fields are read at once; only one cut by a seam goes byte by byte.
      if (this.got === 0 && at >= fileOffset && at + 4 <= end) this.values[this.next++] = view.getUint32(at - fileOffset, this.little)
      else if (at >= fileOffset) this.take(piece[at - fileOffset] ?? 0)
      else this.skip()
    }
  }

  private take(byte: number): void {
    this.value += this.little ? byte * 2 ** (8 * this.got) : byte * 2 ** (8 * (3 - this.got))
    if (++this.got < 4) return
    this.values[this.next++] = this.value
    this.value = 0
    this.got = 0
  }

  /** A field that began before this tap saw any bytes is left 0. */
  private skip(): void {
    this.next++
    this.value = 0
    this.got = 0
  }
}

/** Functions start at multiples of this on every architecture Go supports (32 on amd64, 16 elsewhere). */
export const FUNCTION_ALIGN = 16
/** Padding is at most one alignment step less a byte; amd64's 32-byte alignment needs 31. */
const MAX_PADDING = 31

/**
 * Measures, at each FUNCTION_ALIGN boundary of the text as it streams, how many fill bytes (int3 on x86,
 * zeros elsewhere) precede it: the padding the linker put between functions, which is not their code.
 */
export class TextPadding {
  private readonly runs: Uint8Array
  /** File offset where a run of fill bytes that reached the end of the last piece began; -1 when none. */
  private open = -1
  private readonly end: number

  constructor(
    private readonly offset: number,
    private readonly vaddr: number,
    size: number,
    private readonly fill: number
  ) {
    this.runs = new Uint8Array(Math.ceil(size / FUNCTION_ALIGN) + 1)
    this.end = offset + size
  }

  /** Jumps from fill byte to fill byte with native indexOf: code holds few of them, padding most. */
  feed(piece: Uint8Array, fileOffset: number): void {
    const bytes = asBuffer(piece)
    let at = 0
    if (this.open !== -1) {
      while (at < bytes.length && bytes[at] === this.fill) at++
      if (at === bytes.length && fileOffset + at < this.end) return
      this.close(this.open, fileOffset + at)
    }
    this.open = -1
    for (let hit = bytes.indexOf(this.fill, at); hit !== -1; hit = bytes.indexOf(this.fill, at)) {
      at = hit + 1
      while (at < bytes.length && bytes[at] === this.fill) at++
      // A run reaching the end of this piece may go on in the next, unless the text ends here (a last marker function may be int3).
      if (at === bytes.length && fileOffset + at < this.end) {
        this.open = fileOffset + hit
        return
      }
      this.close(fileOffset + hit, fileOffset + at)
    }
  }

  /** For each aligned boundary a run [start, end) of fill bytes reaches, the fill before it (a function may start with int3). */
  private close(start: number, end: number): void {
    const first = Math.floor((start - this.offset) / FUNCTION_ALIGN + 1) * FUNCTION_ALIGN
    for (let rel = first; rel <= end - this.offset; rel += FUNCTION_ALIGN) {
      this.runs[rel / FUNCTION_ALIGN] = Math.min(rel - (start - this.offset), MAX_PADDING)
    }
  }

  /** Fill bytes just before virtual address `vaddr`, when it is an aligned boundary of the text. */
  before(vaddr: number): number {
    const rel = vaddr - this.vaddr
    return rel % FUNCTION_ALIGN === 0 ? (this.runs[rel / FUNCTION_ALIGN] ?? 0) : 0
  }
}

/**
 * Finds the pclntab by its magic (section headers of externally linked binaries come too late to help),
 * then keeps the function table and taps the name table and each _func's nameOff as they stream by.
 */
export class PclntabReader {
  private header: PclnHeader | null = null
  private names: PackageNames | null = null
  private funcFields: FieldTap | null = null
  private order: Uint32Array | null = null
  private readonly magics: Needle[] = []

  constructor(private readonly source: ByteSource) {}

  needles(from: number, little: boolean): Needle[] {
    for (const bytes of pclnMagicNeedles(little)) {
      this.magics.push({ bytes, from, active: true, onHit: (offset) => this.onMagic(offset) })
    }
    return this.magics
  }

  /** Section starts that may be the pclntab (the section table came first): tried instead of searching for the magic. */
  candidates(offsets: readonly number[]): void {
    for (const needle of this.magics) needle.active = false
    for (const offset of offsets) this.onMagic(offset)
  }

  private onMagic(offset: number): void {
    if (this.header) return
    this.source.keep(offset, offset + pclnHeaderBytes(8), () => this.onHeader(offset))
  }

  private onHeader(offset: number): void {
    const bytes = this.source.read(offset, Math.min(pclnHeaderBytes(8), this.source.size - offset))
    const header = bytes && !this.header ? parsePclnHeader(bytes, offset, this.source.size) : null
    if (!header) return
    this.header = header
    for (const needle of this.magics) needle.active = false
    const names = new PackageNames(offset + header.funcnameOffset)
    if (!this.source.tap(offset + header.funcnameOffset, offset + header.cuOffset, (p, at) => names.feed(p, at))) return
    this.names = names
    const table = offset + header.pclnOffset
    this.source.keep(table, table + (header.nfunc + 1) * 8, () => this.onFunctionTable(header))
  }

  /** The table holds (entryoff, funcoff) pairs; each funcoff locates a _func, whose FUNC_FIELDS are tapped. */
  private onFunctionTable(header: PclnHeader): void {
    const table = header.offset + header.pclnOffset
    const bytes = this.source.read(table, header.nfunc * 8)
    if (!bytes) return
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    const funcoffs = new Float64Array(header.nfunc)
    const order = new Uint32Array(header.nfunc)
    let sorted = true
    for (let i = 0; i < header.nfunc; i++) {
      funcoffs[i] = table + view.getUint32(i * 8 + 4, header.little)
      order[i] = i
      if (i > 0 && (funcoffs[i] ?? 0) < (funcoffs[i - 1] ?? 0)) sorted = false
    }
    // The linker writes _func records in table order; sort only if some file did not.
    if (!sorted) order.sort((a, b) => (funcoffs[a] ?? 0) - (funcoffs[b] ?? 0))
    // Ascending: a _func is at least 40 bytes, so its last field tapped comes before the next record's first.
    const offsets = new Float64Array(header.nfunc * FUNC_FIELDS.length)
    for (let k = 0, at = 0; k < header.nfunc; k++) {
      for (const field of FUNC_FIELDS) offsets[at++] = (funcoffs[order[k] ?? 0] ?? 0) + field
    }
    const tap = new FieldTap(offsets, header.little)
    const [first, last] = [offsets[0] ?? 0, offsets[offsets.length - 1] ?? 0]
    if (this.source.tap(first, last + 4, (p, at) => tap.feed(p, at))) {
      this.funcFields = tap
      this.order = order
    }
  }

  /** Code bytes per package; undefined when the pclntab was not found or not fully seen. */
  result(padding?: TextPadding): GoCode | undefined {
    const { header, names, funcFields, order } = this
    const table = header ? this.source.read(header.offset + header.pclnOffset, (header.nfunc + 1) * 8) : undefined
    if (!header || !names || !funcFields || !order || !table) return undefined
    const view = new DataView(table.buffer, table.byteOffset, table.byteLength)
    const [nameOff, pcsp, cuOffset] = FUNC_FIELDS.map(() => new Uint32Array(header.nfunc)) as [Uint32Array, Uint32Array, Uint32Array]
    order.forEach((fn, k) => {
      const at = k * FUNC_FIELDS.length
      nameOff[fn] = funcFields.values[at] ?? 0
      pcsp[fn] = funcFields.values[at + 1] ?? 0
      cuOffset[fn] = funcFields.values[at + 2] ?? 0
    })
    const entry = (i: number): number => view.getUint32(i * 8, header.little)
    return goCode({ textStart: header.textStart, entry, nameOff, pcsp, cuOffset }, names, padding && ((vaddr) => padding.before(vaddr)))
  }
}
