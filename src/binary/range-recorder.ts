/**
 * Keeps chosen byte ranges of a stream read once, in chunks of any size: what the ELF scanner asks for
 * (headers, tables, windows around needle hits), within a fixed budget, and taps for ranges passed on as they stream.
 */
import { asBuffer, type ByteSource } from './byte-source.js'

/** The bytes one stream position onward that the scanner wants to keep, plus who to tell when complete. */
interface Capture {
  readonly start: number
  readonly end: number
  readonly bytes: Buffer
  filled: number
  readonly onDone: (() => void) | undefined
}

/** A range whose bytes are passed on as they stream rather than kept. */
export interface Tap {
  readonly end: number
  next: number
  readonly sink: (piece: Uint8Array, offset: number) => void
}

/** The last few KiB of the stream, so a needle hit can also keep bytes just before it. */
class ByteHistory {
  private readonly ring: Buffer
  private end: number

  constructor(
    size: number,
    private readonly begin: number
  ) {
    // Bytes are only read back after being written (see pieceAt), so the ring needs no zeroing.
    this.ring = Buffer.allocUnsafe(size)
    this.end = begin
  }

  append(chunk: Uint8Array): void {
    const size = this.ring.length
    const tail = chunk.length > size ? chunk.subarray(chunk.length - size) : chunk
    const at = (this.end + chunk.length - tail.length) % size
    const first = Math.min(tail.length, size - at)
    this.ring.set(tail.subarray(0, first), at)
    this.ring.set(tail.subarray(first), 0)
    this.end += chunk.length
  }

  /** The held bytes from `offset` up to the ring's wrap point or the end of the stream so far. */
  pieceAt(offset: number): Uint8Array | undefined {
    const size = this.ring.length
    if (offset < Math.max(this.begin, this.end - size) || offset >= this.end) return undefined
    const at = offset % size
    return this.ring.subarray(at, Math.min(size, at + this.end - offset))
  }
}

/**
 * Keeps chosen byte ranges of a stream. A range is filled from bytes already held (earlier captures or
 * the history ring), from the chunk being pushed, then from later chunks; its callback runs when complete.
 */
export class RangeRecorder implements ByteSource {
  private active: Capture[] = []
  private taps: Tap[] = []
  private readonly done: Capture[] = []
  private readonly pending: Array<() => void> = []
  private history: ByteHistory | undefined
  private chunk: Uint8Array = new Uint8Array(0)
  private chunkStart = 0
  private readonly limit: number

  constructor(
    readonly size: number,
    private budget: number
  ) {
    this.limit = budget
  }

  /** Starts holding the last `bytes` of the stream (needed for windows around needle hits). */
  keepHistory(bytes: number): void {
    if (this.history || bytes > this.budget) return
    this.budget -= bytes
    this.history = new ByteHistory(bytes, this.chunkStart)
  }

  keep(start: number, end: number, onDone?: () => void): boolean {
    const from = Math.max(0, start)
    const to = Math.min(end, this.size)
    if (!(to > from) || to - from > this.budget) return false
    const capture: Capture = { start: from, end: to, bytes: Buffer.allocUnsafe(to - from), filled: 0, onDone }
    if (!this.backfill(capture)) return false
    this.budget -= to - from
    this.active.push(capture)
    this.fill(capture)
    return true
  }

  /** Feeds one chunk to every open capture; callbacks run before returning. */
  begin(chunk: Uint8Array, chunkStart: number): void {
    this.chunk = chunk
    this.chunkStart = chunkStart
    for (const capture of this.active) this.fill(capture)
    for (const tap of this.taps) this.feedTap(tap)
    this.settle()
  }

  tap(start: number, end: number, sink: Tap['sink']): boolean {
    const from = Math.max(0, start)
    const to = Math.min(end, this.size)
    if (from < this.chunkStart) return false
    const tap: Tap = { end: to, next: from, sink }
    this.taps.push(tap)
    this.feedTap(tap)
    return true
  }

  private feedTap(tap: Tap): void {
    const chunkEnd = this.chunkStart + this.chunk.length
    const to = Math.min(tap.end, chunkEnd)
    if (to > tap.next && tap.next >= this.chunkStart) {
      tap.sink(this.chunk.subarray(tap.next - this.chunkStart, to - this.chunkStart), tap.next)
      tap.next = to
    }
    if (tap.next >= tap.end) this.taps = this.taps.filter((t) => t !== tap)
  }

  /** Ends the current chunk: later keep() calls can only backfill from held bytes. */
  end(): void {
    this.settle()
    this.history?.append(this.chunk)
    this.chunkStart += this.chunk.length
    this.chunk = new Uint8Array(0)
  }

  /** File offset of the chunk being pushed: taps can start there or later. */
  get streamed(): number {
    return this.chunkStart
  }

  /** True while some capture still waits for bytes (otherwise pushing can skip the recorder). */
  get waiting(): boolean {
    return this.active.length > 0 || this.taps.length > 0 || this.history !== undefined
  }

  read(offset: number, length: number): Uint8Array | undefined {
    // Nothing longer than the budget can be held, so a corrupt length never allocates gigabytes.
    if (offset < 0 || length > this.limit || offset + length > this.size) return undefined
    const first = this.pieceAt(offset)
    if (!first || length <= 0) return length === 0 ? new Uint8Array(0) : undefined
    if (first.length >= length) return first.subarray(0, length)
    const out = Buffer.allocUnsafe(length)
    return this.copyHeld(out, offset, length) ? out : undefined
  }

  /** The NUL-terminated string held at `offset` (at most `max` bytes), or undefined when not held. */
  cStringAt(offset: number, max: number): string | undefined {
    const parts: Uint8Array[] = []
    for (let at = offset, piece = this.pieceAt(at); piece && at - offset < max; piece = this.pieceAt(at)) {
      const end = asBuffer(piece).indexOf(0)
      parts.push(end === -1 ? piece : piece.subarray(0, end))
      if (end !== -1) return Buffer.concat(parts).toString('utf8')
      at += piece.length
    }
    return undefined
  }

  /** True when a capture (complete or still filling) already spans [start, end) clipped to the file. */
  plans(start: number, end: number): boolean {
    const from = Math.max(0, start)
    const to = Math.min(end, this.size)
    return [this.done, this.active].some((list) => list.some((c) => c.start <= from && to <= c.end))
  }

  /** Copies held bytes [offset, offset + length) into `out`, stitching across captures. */
  private copyHeld(out: Uint8Array, offset: number, length: number): boolean {
    let copied = 0
    while (copied < length) {
      const piece = this.pieceAt(offset + copied)
      if (!piece) return false
      const take = Math.min(piece.length, length - copied)
      out.set(piece.subarray(0, take), copied)
      copied += take
    }
    return true
  }

  private pieceAt(offset: number): Uint8Array | undefined {
    for (const list of [this.done, this.active]) {
      for (const c of list) {
        if (offset >= c.start && offset < c.start + c.filled) return c.bytes.subarray(offset - c.start, c.filled)
      }
    }
    return this.history?.pieceAt(offset)
  }

  /** Copies the part of a new capture that streamed before the current chunk; false when it was not held. */
  private backfill(capture: Capture): boolean {
    const pastEnd = Math.min(capture.end, this.chunkStart)
    if (capture.start >= pastEnd) return true
    if (!this.copyHeld(capture.bytes, capture.start, pastEnd - capture.start)) return false
    capture.filled = pastEnd - capture.start
    return true
  }

  private fill(capture: Capture): void {
    const from = capture.start + capture.filled
    const to = Math.min(capture.end, this.chunkStart + this.chunk.length)
    if (to > from && from >= this.chunkStart) {
      capture.bytes.set(this.chunk.subarray(from - this.chunkStart, to - this.chunkStart), capture.filled)
      capture.filled += to - from
    }
    if (capture.start + capture.filled < capture.end) return
    this.active = this.active.filter((c) => c !== capture)
    this.done.push(capture)
    if (capture.onDone) this.pending.push(capture.onDone)
  }

  private settle(): void {
    for (let next = this.pending.shift(); next; next = this.pending.shift()) next()
  }
}
