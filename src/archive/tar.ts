/**
 * A push-based streaming tar reader. Entry bodies are handed to sinks as views of the
 * incoming chunks, so a layer of any size passes through without being buffered.
 */

export type EntryType = 'file' | 'hardlink' | 'symlink' | 'directory' | 'char' | 'block' | 'fifo' | 'other'

export interface TarHeader {
  path: string
  type: EntryType
  size: number
  mode: number
  linkname: string
}

export interface EntrySink {
  write(chunk: Uint8Array): void | Promise<void>
  end(): void | Promise<void>
}

export type EntryHandler = (header: TarHeader) => EntrySink | undefined

/** Thrown when the bytes are not a well-formed tar stream. */
export class TarFormatError extends Error {
  override readonly name = 'TarFormatError'
}

const BLOCK = 512
/** The owner, group and other execute bits of a tar header's mode. */
export const EXECUTABLE_BITS = 0o111
/** Extended headers (pax, GNU long names) are small; anything larger is a corrupt stream. */
const MAX_EXTENDED_HEADER = 1 << 20

const TYPES: Record<string, EntryType> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file',
  '1': 'hardlink',
  '2': 'symlink',
  '3': 'char',
  '4': 'block',
  '5': 'directory',
  '6': 'fifo'
}

interface Overrides {
  path?: string
  linkname?: string
  size?: number
}

type State =
  | { kind: 'header' }
  | { kind: 'body'; remaining: number; padding: number; sink: EntrySink | undefined }
  | { kind: 'extended'; flag: string; remaining: number; padding: number; parts: Uint8Array[] }
  | { kind: 'padding'; remaining: number }
  | { kind: 'done' }

export class TarParser {
  private state: State = { kind: 'header' }
  private pending: Uint8Array[] = []
  private pendingBytes = 0
  private overrides: Overrides = {}
  private globalOverrides: Overrides = {}
  /** Bytes of tar stream consumed so far, headers and padding included. */
  bytesRead = 0

  constructor(private readonly onEntry: EntryHandler) {}

  async push(chunk: Uint8Array): Promise<void> {
    this.bytesRead += chunk.length
    let offset = 0
    while (offset < chunk.length || this.hasEmptyBody()) {
      const state = this.state
      if (state.kind === 'done') return
      if (state.kind === 'header') offset = this.takeHeader(chunk, offset)
      else if (state.kind === 'padding') offset = this.skipPadding(state, chunk, offset)
      else if (state.kind === 'extended') offset = this.takeExtended(state, chunk, offset)
      else offset = await this.takeBody(state, chunk, offset)
    }
  }

  private hasEmptyBody(): boolean {
    return this.state.kind === 'body' && this.state.remaining === 0
  }

  /** Ends the stream; a stream cut inside an entry is an error, a missing end marker is not. */
  async end(): Promise<void> {
    const state = this.state
    if (state.kind === 'body' && state.remaining === 0) await this.closeBody(state)
    else if (state.kind === 'body' || state.kind === 'extended' || this.pendingBytes > 0) {
      throw new TarFormatError('tar stream ended in the middle of an entry')
    }
    this.state = { kind: 'done' }
  }

  private takeHeader(chunk: Uint8Array, offset: number): number {
    const need = BLOCK - this.pendingBytes
    const available = Math.min(need, chunk.length - offset)
    if (this.pendingBytes === 0 && available === BLOCK) {
      this.readHeader(chunk.subarray(offset, offset + BLOCK))
      return offset + BLOCK
    }
    this.pending.push(chunk.slice(offset, offset + available))
    this.pendingBytes += available
    if (this.pendingBytes === BLOCK) {
      const block = Buffer.concat(this.pending)
      this.pending = []
      this.pendingBytes = 0
      this.readHeader(block)
    }
    return offset + available
  }

  private readHeader(block: Uint8Array): void {
    if (block.every((byte) => byte === 0)) {
      this.state = { kind: 'done' }
      return
    }
    verifyChecksum(block)
    const flag = String.fromCharCode(block[156] ?? 0)
    const size = readNumber(block, 124, 12)
    const padding = (BLOCK - (size % BLOCK)) % BLOCK
    if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
      if (size > MAX_EXTENDED_HEADER) throw new TarFormatError(`tar extended header of ${size} bytes is too large`)
      this.state = { kind: 'extended', flag, remaining: size, padding, parts: [] }
      if (size === 0) this.finishExtended(this.state)
      return
    }
    this.startEntry(block, flag, size)
  }

  private startEntry(block: Uint8Array, flag: string, headerSize: number): void {
    const overrides = { ...this.globalOverrides, ...this.overrides }
    this.overrides = {}
    const type = TYPES[flag] ?? 'other'
    const size = overrides.size ?? headerSize
    // Only regular files carry a body in practice, but the size field is authoritative.
    const header: TarHeader = {
      path: normalisePath(overrides.path ?? headerPath(block)),
      type,
      size: type === 'hardlink' || type === 'symlink' || type === 'directory' ? 0 : size,
      mode: readNumber(block, 100, 8),
      linkname: overrides.linkname ?? readString(block, 157, 100)
    }
    const sink = this.onEntry(header)
    const padding = (BLOCK - (size % BLOCK)) % BLOCK
    // An empty body is closed by the next push or by end(), where awaiting is possible.
    this.state = { kind: 'body', remaining: size, padding, sink }
  }

  private async takeBody(state: State & { kind: 'body' }, chunk: Uint8Array, offset: number): Promise<number> {
    const take = Math.min(state.remaining, chunk.length - offset)
    if (take > 0 && state.sink) {
      const result = state.sink.write(chunk.subarray(offset, offset + take))
      if (result) await result
    }
    state.remaining -= take
    if (state.remaining === 0) await this.closeBody(state)
    return offset + take
  }

  private async closeBody(state: State & { kind: 'body' }): Promise<void> {
    this.state = state.padding > 0 ? { kind: 'padding', remaining: state.padding } : { kind: 'header' }
    if (state.sink) {
      const result = state.sink.end()
      if (result) await result
    }
  }

  private skipPadding(state: State & { kind: 'padding' }, chunk: Uint8Array, offset: number): number {
    const take = Math.min(state.remaining, chunk.length - offset)
    state.remaining -= take
    if (state.remaining === 0) this.state = { kind: 'header' }
    return offset + take
  }

  private takeExtended(state: State & { kind: 'extended' }, chunk: Uint8Array, offset: number): number {
    const take = Math.min(state.remaining, chunk.length - offset)
    state.parts.push(chunk.slice(offset, offset + take))
    state.remaining -= take
    if (state.remaining === 0) this.finishExtended(state)
    return offset + take
  }

  private finishExtended(state: State & { kind: 'extended' }): void {
    const data = Buffer.concat(state.parts)
    if (state.flag === 'L') this.overrides.path = cString(data)
    else if (state.flag === 'K') this.overrides.linkname = cString(data)
    else Object.assign(state.flag === 'g' ? this.globalOverrides : this.overrides, parsePax(data))
    this.state = state.padding > 0 ? { kind: 'padding', remaining: state.padding } : { kind: 'header' }
  }
}

function verifyChecksum(block: Uint8Array): void {
  // Not octal (NaN) counts as a mismatch: noise fails here with the sentence that says what it is.
  const stored = parseInt(readString(block, 148, 8).trim(), 8)
  let sum = 0
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : (block[i] ?? 0)
  if (sum !== stored) throw new TarFormatError('tar header checksum mismatch: the stream is not a tar archive or is corrupt')
}

function headerPath(block: Uint8Array): string {
  const name = readString(block, 0, 100)
  const isUstar = readString(block, 257, 5) === 'ustar'
  const prefix = isUstar ? readString(block, 345, 155) : ''
  return prefix ? `${prefix}/${name}` : name
}

/** Paths as a container sees them, relative to the root, without `./` or a trailing slash. */
export function normalisePath(path: string): string {
  let result = path
  while (result.startsWith('./')) result = result.slice(2)
  result = result.replace(/^\/+/, '').replace(/\/+$/, '')
  return result === '.' ? '' : result
}

function readString(block: Uint8Array, start: number, length: number): string {
  return cString(block.subarray(start, start + length))
}

function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0)
  return Buffer.from(bytes.buffer, bytes.byteOffset, end === -1 ? bytes.length : end).toString('utf8')
}

/** Octal numbers, or GNU base-256 when the top bit of the first byte is set. */
function readNumber(block: Uint8Array, start: number, length: number): number {
  const first = block[start] ?? 0
  if (first & 0x80) {
    let value = first & 0x7f
    for (let i = 1; i < length; i++) value = value * 256 + (block[start + i] ?? 0)
    return value
  }
  const text = readString(block, start, length).trim()
  if (text === '') return 0
  const value = parseInt(text, 8)
  // The field's bytes as hex: they come from the file and may hold control characters or newlines.
  const bytes = Buffer.from(block.subarray(start, start + length)).toString('hex')
  if (Number.isNaN(value)) throw new TarFormatError(`tar header has a number field that is not octal (bytes ${bytes})`)
  return value
}

/** Pax records are `LEN key=value\n`; only the keys that change how we read entries matter. */
function parsePax(data: Buffer): Overrides {
  const overrides: Overrides = {}
  let offset = 0
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset)
    const length = space === -1 ? NaN : parseInt(data.toString('latin1', offset, space), 10)
    if (!Number.isFinite(length) || length <= 0) break
    const record = data.toString('utf8', space + 1, offset + length - 1)
    const equals = record.indexOf('=')
    const key = record.slice(0, equals)
    const value = record.slice(equals + 1)
    if (key === 'path') overrides.path = value
    else if (key === 'linkpath') overrides.linkname = value
    else if (key === 'size' && /^[0-9]+$/.test(value)) overrides.size = Number(value)
    offset += length
  }
  return overrides
}
