/**
 * Reads the engine's export as fast as the engine writes it, into a queue bounded by bytes, so the
 * engine does not stop while the reader parses: the source is paused only when that many bytes wait.
 * The chunks are handed on as they arrived, never joined into one copy.
 */
import { finished, type Readable } from 'node:stream'

/**
 * Bytes that may wait for the reader before the source is paused: enough for the reader's bursts (a
 * full collection, a binary's attribution), ~20 ms of a 200 MB/s export. More would not help a reader
 * that is slower on average (deflating for compressed sizes), which makes the engine wait however much
 * is queued; measured there, a 32 MiB queue filled and cost 33 MB of peak RSS.
 */
export const READ_AHEAD_BYTES = 4 * 1024 * 1024

/** How the read went: how far the queue grew, and how often the source had to wait for the reader. */
export interface ReadAheadStats {
  bytes: number
  peakQueuedBytes: number
  /** Times the queue reached its bound and the source was paused: each one a moment the engine waited. */
  pauses: number
}

export class ReadAhead implements AsyncIterable<Uint8Array> {
  readonly stats: ReadAheadStats = { bytes: 0, peakQueuedBytes: 0, pauses: 0 }
  private readonly queue: Uint8Array[] = []
  private queued = 0
  private done: { error?: unknown } | undefined
  private wake: (() => void) | undefined

  constructor(
    private readonly source: Readable,
    private readonly limit = READ_AHEAD_BYTES
  ) {
    source.on('data', (chunk: Uint8Array) => this.take(chunk))
    finished(source, (error) => this.finish(error ?? undefined))
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    try {
      for (;;) {
        const chunk = this.queue.shift()
        if (chunk) {
          this.release(chunk.length)
          yield chunk
        } else if (this.done) {
          if (this.done.error !== undefined) throw this.done.error
          return
        } else await new Promise<void>((resolve) => (this.wake = resolve))
      }
    } finally {
      // A reader that stops early (a bad archive) must not leave the engine writing into a full queue.
      if (!this.done) this.source.destroy()
    }
  }

  private take(chunk: Uint8Array): void {
    this.queue.push(chunk)
    this.queued += chunk.length
    this.stats.bytes += chunk.length
    this.stats.peakQueuedBytes = Math.max(this.stats.peakQueuedBytes, this.queued)
    if (this.queued >= this.limit && !this.source.isPaused()) {
      this.stats.pauses++
      this.source.pause()
    }
    this.signal()
  }

  /** Resumes the source once half the bound has drained, so it is not paused and resumed for every chunk. */
  private release(bytes: number): void {
    this.queued -= bytes
    if (this.source.isPaused() && this.queued <= this.limit / 2) this.source.resume()
  }

  private finish(error: unknown): void {
    this.done = error === undefined ? {} : { error }
    this.signal()
  }

  private signal(): void {
    const wake = this.wake
    this.wake = undefined
    wake?.()
  }
}
