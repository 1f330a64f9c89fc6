/**
 * The framing of an HTTP/1.1 response body (RFC 9112 §6–7): chunked, a Content-Length, or until the
 * connection closes. The decoders hand on views of the bytes they are fed, never copies.
 */

/** Takes a piece of body; false when the reader wants no more for now. */
type Emit = (piece: Buffer) => boolean

export interface BodyDecoder {
  /** Decodes `bytes`; returns false when `emit` asked to stop reading for now. Throws on broken framing. */
  feed(bytes: Buffer, emit: Emit): boolean
  /** The framing says the body is complete. */
  readonly done: boolean
  /** The body is whatever arrives until the connection closes. */
  readonly endsAtClose: boolean
}

/** A chunk-size line is a few hex digits and perhaps an extension; anything this long is not one. */
const MAX_LINE_BYTES = 4096
const CR = 0x0d
const LF = 0x0a

/** The decoder the response's headers ask for. */
export function decoderFor(headers: Map<string, string>): BodyDecoder {
  const coding = headers.get('transfer-encoding')
  if (coding !== undefined) {
    if (coding.split(',').at(-1)?.trim().toLowerCase() !== 'chunked')
      throw new Error(`the engine's response has transfer-encoding '${coding}'`)
    return new ChunkedBody()
  }
  const length = headers.get('content-length')
  if (length === undefined) return new UntilClose()
  if (!/^[0-9]{1,15}$/.test(length)) throw new Error(`the engine's response has content-length '${length.slice(0, 40)}'`)
  return new LengthBody(Number(length))
}

class UntilClose implements BodyDecoder {
  readonly done = false
  readonly endsAtClose = true
  feed(bytes: Buffer, emit: Emit): boolean {
    return bytes.length === 0 || emit(bytes)
  }
}

class LengthBody implements BodyDecoder {
  readonly endsAtClose = false
  constructor(private left: number) {}

  get done(): boolean {
    return this.left === 0
  }

  feed(bytes: Buffer, emit: Emit): boolean {
    const take = Math.min(this.left, bytes.length)
    this.left -= take
    return take === 0 || emit(bytes.subarray(0, take))
  }
}

/** chunk = size [; ext] CRLF data CRLF, ending with a zero-size chunk, trailer lines and an empty line. */
export class ChunkedBody implements BodyDecoder {
  readonly endsAtClose = false
  private state: 'size' | 'data' | 'data-end' | 'trailer' | 'done' = 'size'
  private line = ''
  private left = 0

  get done(): boolean {
    return this.state === 'done'
  }

  feed(bytes: Buffer, emit: Emit): boolean {
    let more = true
    let at = 0
    while (at < bytes.length && this.state !== 'done') {
      if (this.state === 'data') {
        const take = Math.min(this.left, bytes.length - at)
        more = emit(bytes.subarray(at, at + take)) && more
        at += take
        this.left -= take
        if (this.left === 0) this.state = 'data-end'
      } else at = this.readLine(bytes, at)
    }
    return more
  }

  /** Reads up to the end of a line (size, chunk end or trailer), then acts on it; returns where it stopped. */
  private readLine(bytes: Buffer, at: number): number {
    const end = bytes.indexOf(LF, at)
    this.line += bytes.toString('latin1', at, end === -1 ? bytes.length : end)
    if (this.line.length > MAX_LINE_BYTES) throw new Error('the engine sent a chunk-size line of over 4096 bytes')
    if (end === -1) return bytes.length
    const line = this.line.charCodeAt(this.line.length - 1) === CR ? this.line.slice(0, -1) : this.line
    this.line = ''
    this.onLine(line)
    return end + 1
  }

  private onLine(line: string): void {
    if (this.state === 'data-end') {
      if (line !== '') throw new Error('the engine sent chunk data longer than its size')
      this.state = 'size'
    } else if (this.state === 'trailer') {
      if (line === '') this.state = 'done'
    } else {
      const size = line.split(';')[0]?.trim() ?? ''
      if (!/^[0-9a-fA-F]{1,12}$/.test(size)) throw new Error(`the engine sent '${size.slice(0, 40)}' as a chunk size`)
      this.left = parseInt(size, 16)
      this.state = this.left === 0 ? 'trailer' : 'data'
    }
  }
}
