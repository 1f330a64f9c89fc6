/**
 * A GET on the engine's unix socket, read without node:http: reads land straight in 1 MiB slabs and the
 * body is handed on as views of them, its chunked framing decoded in place. On a 600 MB export from
 * Docker 28's classic store, node:http took 2.0 s of streaming and ~1.3 s of CPU where curl took 1.1 s;
 * read this way the body streams in 1.0–1.4 s (see docs/benchmarks.md). Reading on a thread of its own
 * overlapped the reads with the hash for a further 0.4 s, but cost 20–35 MB of peak RSS, so it reads here.
 */
import { connect } from 'node:net'
import { Readable } from 'node:stream'
import { BodyDecoder, decoderFor } from './http-body.js'

export interface EngineResponse {
  status: number
  /** The body, decoded from its framing; ends with an error if the engine stops before the framing says. */
  body: Readable
}

/** Reads land in slabs of this size; a slab with less than MIN_READ_BYTES left is replaced by a fresh one. */
const SLAB_BYTES = 1024 * 1024
const MIN_READ_BYTES = 64 * 1024
/** A response head longer than this is not an engine's. */
const MAX_HEAD_BYTES = 64 * 1024
/** The body may queue this much before the socket stops reading. */
const BODY_QUEUE_BYTES = 1024 * 1024

/** Sends `GET path` to the engine listening on `socketPath`; resolves once the response head has arrived. */
export function engineGet(socketPath: string, path: string, signal: AbortSignal): Promise<EngineResponse> {
  return new Promise<EngineResponse>((resolve, reject) => {
    const slabs = new Slabs()
    let head: Buffer[] = []
    let decoder: BodyDecoder | undefined
    let ended = false
    const end = () => {
      if (!ended) body.push(null)
      ended = true
    }
    const body = new Readable({
      highWaterMark: BODY_QUEUE_BYTES,
      read: () => void socket.resume(),
      destroy: (error, done) => {
        socket.destroy()
        done(error)
      }
    })
    const fail = (error: Error) => (decoder ? body.destroy(error) : (socket.destroy(), reject(error)))
    const take = (bytes: Buffer): boolean => {
      if (decoder) return decoder.feed(bytes, (piece) => body.push(piece))
      head.push(Buffer.from(bytes))
      const joined = Buffer.concat(head)
      const headEnd = joined.indexOf('\r\n\r\n')
      if (headEnd === -1) {
        if (joined.length > MAX_HEAD_BYTES) throw new Error(`the engine's response head is over ${MAX_HEAD_BYTES} bytes`)
        head = [joined]
        return true
      }
      const parsed = parseHead(joined.subarray(0, headEnd).toString('latin1'))
      decoder = decoderFor(parsed.headers)
      resolve({ status: parsed.status, body })
      head = []
      return take(bytes.subarray(bytes.length - (joined.length - headEnd - 4)))
    }
    const socket = connect({
      path: socketPath,
      onread: {
        buffer: () => slabs.next(),
        callback: (length) => {
          try {
            const more = take(slabs.used(length))
            if (decoder?.done) end()
            return more
          } catch (error) {
            fail(error instanceof Error ? error : new Error(String(error)))
            return false
          }
        }
      }
    })
    const abort = () => fail(signal.reason instanceof Error ? signal.reason : new Error('aborted'))
    if (signal.aborted) return abort()
    signal.addEventListener('abort', abort, { once: true })
    socket.on('close', () => signal.removeEventListener('abort', abort))
    socket.on('error', fail)
    socket.on('end', () => {
      if (!decoder) fail(new Error('the engine closed the connection before its response head'))
      else if (decoder.endsAtClose) end()
      else if (!decoder.done) fail(new Error('the engine closed the connection before the end of its response'))
    })
    socket.write(`GET ${path} HTTP/1.1\r\nHost: docker\r\nUser-Agent: image-size-gate\r\nConnection: close\r\n\r\n`)
  })
}

/** Hands the socket the free end of a slab to read into, so a read is neither allocated nor copied. */
class Slabs {
  private slab = Buffer.allocUnsafeSlow(SLAB_BYTES)
  private at = 0

  next(): Buffer {
    if (SLAB_BYTES - this.at < MIN_READ_BYTES) {
      this.slab = Buffer.allocUnsafeSlow(SLAB_BYTES)
      this.at = 0
    }
    return this.slab.subarray(this.at)
  }

  /** The bytes the socket just read into the end `next` handed out. */
  used(length: number): Buffer {
    this.at += length
    return this.slab.subarray(this.at - length, this.at)
  }
}

/** `HTTP/1.1 200 OK` and its header lines, names in lower case; a repeated header's values are joined by commas. */
function parseHead(text: string): { status: number; headers: Map<string, string> } {
  const [statusLine = '', ...lines] = text.split('\r\n')
  const status = /^HTTP\/1\.[01] ([0-9]{3})(?: |$)/.exec(statusLine)?.[1]
  if (status === undefined) throw new Error(`the engine answered with '${statusLine.slice(0, 80)}', not an HTTP/1.1 status line`)
  const headers = new Map<string, string>()
  for (const line of lines) {
    const colon = line.indexOf(':')
    if (colon <= 0) throw new Error(`the engine sent a malformed header line '${line.slice(0, 80)}'`)
    const name = line.slice(0, colon).trim().toLowerCase()
    const value = line.slice(colon + 1).trim()
    headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value)
  }
  return { status: Number(status), headers }
}
