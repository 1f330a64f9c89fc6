import { availableParallelism } from 'node:os'
import { constants, createDeflateRaw, type ZlibOptions } from 'node:zlib'

export interface GzipEstimatorOptions {
  /** zlib level; BuildKit pushes with Go's DefaultCompression, which matches level 6. */
  level?: number
  /** Bytes per independently deflated chunk; at least 32 KiB. */
  chunkBytes?: number
  /** Chunks being deflated at once; bounds both parallelism and memory. */
  maxInFlight?: number
  /** Multiplies zlib's figure to model another deflate implementation (see gzipScaleFor). */
  scale?: number
}

/** Go 1.27 replaced compress/flate with klauspost's (golang/go#75532): at the default level it writes ~2% more than zlib. */
const GO_127_SCALE = 1.02

/**
 * What to multiply a zlib level-6 estimate by to match the gzip a builder built with `goVersion` pushes:
 * Go 1.19–1.26 match zlib within 0.2% on layer tars, Go 1.27 writes 1.4–2.4% more (measured; see docs/compressed-sizes.md).
 */
export function gzipScaleFor(goVersion: string): number {
  const match = /^go(\d+)\.(\d+)/.exec(goVersion.trim())
  if (!match) return 1
  const [major, minor] = [Number(match[1]), Number(match[2])]
  return major > 1 || minor >= 27 ? GO_127_SCALE : 1
}

/** deflate's window: a chunk primed with this much of what came before matches exactly as a single stream would. */
const WINDOW_BYTES = 32 * 1024
/** gzip wraps raw deflate in a 10-byte header and an 8-byte trailer (CRC-32, length). */
const GZIP_FRAMING_BYTES = 10 + 8
/**
 * 2 MiB keeps the per-chunk block-boundary cost (measured ~11–14 bytes on near-empty output such as zeros)
 * under 0.6% of the smallest possible output, while a small layer still splits across cores.
 */
const DEFAULT_CHUNK_BYTES = 2 * 1024 * 1024
/** libuv's pool has 4 threads by default, so queueing more than 8 chunks would only cost memory. */
const MAX_DEFAULT_IN_FLIGHT = 8
/** Fewer, larger output buffers mean fewer hops between the pool thread and the JS thread per chunk. */
const OUTPUT_BUFFER_BYTES = 128 * 1024

function checkedInteger(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`GzipSizeEstimator: ${name} must be an integer from ${min} to ${max}, got ${value}`)
  }
  return value
}

/**
 * Estimates the gzip size of a byte stream by deflating independent chunks in parallel, each primed with the
 * previous 32 KiB as a dictionary.
 */
export class GzipSizeEstimator {
  private readonly level: number
  private readonly chunkBytes: number
  private readonly maxInFlight: number
  private readonly scale: number
  private readonly inFlight = new Set<Promise<void>>()
  /** Buffers whose deflate finished, reused so memory stays flat however long the stream is. */
  private readonly spare: Uint8Array[] = []
  private current: Uint8Array
  private filled = 0
  private previous: Uint8Array | undefined
  private deflatedBytes = 0
  private failure: { error: unknown } | undefined
  /** Set while a write waits for room; later writes queue behind it so bytes stay in order. */
  private stalled: Promise<void> | undefined
  private ended = false

  constructor(options: GzipEstimatorOptions = {}) {
    this.level = checkedInteger('level', options.level ?? 6, 0, 9)
    this.chunkBytes = checkedInteger('chunkBytes', options.chunkBytes ?? DEFAULT_CHUNK_BYTES, WINDOW_BYTES, 2 ** 30)
    const defaultInFlight = Math.min(2 * availableParallelism(), MAX_DEFAULT_IN_FLIGHT)
    this.maxInFlight = checkedInteger('maxInFlight', options.maxInFlight ?? defaultInFlight, 1, 1024)
    this.scale = options.scale ?? 1
    if (!(this.scale > 0 && this.scale < 2)) throw new RangeError(`GzipSizeEstimator: scale must be between 0 and 2, got ${this.scale}`)
    this.current = new Uint8Array(this.chunkBytes)
  }

  /**
   * Accepts the next bytes; the chunk views may be reused by the caller after the returned promise resolves, so
   * copy what you keep. Resolves when there is room for more (backpressure).
   */
  write(chunk: Uint8Array): Promise<void> | void {
    if (this.ended) throw new Error('GzipSizeEstimator: write after end')
    this.throwIfFailed()
    if (this.stalled) return this.track(this.stalled.then(() => this.resume(chunk, 0)))
    const stopped = this.absorb(chunk, 0)
    if (stopped < chunk.length) return this.track(this.resume(chunk, stopped))
  }

  /** Flushes and resolves with the estimated gzip size in bytes (header and trailer included), scaled. */
  async end(): Promise<number> {
    if (this.ended) throw new Error('GzipSizeEstimator: end called twice')
    this.ended = true
    await this.stalled
    // The last chunk closes the stream with a final block, as a single gzip stream would.
    this.dispatch(constants.Z_FINISH)
    while (this.inFlight.size > 0) await Promise.race(this.inFlight)
    this.throwIfFailed()
    return Math.round((this.deflatedBytes + GZIP_FRAMING_BYTES) * this.scale)
  }

  private track(pending: Promise<void>): Promise<void> {
    const settled = pending.finally(() => {
      if (this.stalled === settled) this.stalled = undefined
    })
    this.stalled = settled
    return settled
  }

  /** Copies from `offset` until the chunk is consumed or every worker slot is busy; returns where it stopped. */
  private absorb(chunk: Uint8Array, offset: number): number {
    let at = offset
    while (at < chunk.length) {
      // A full chunk waits for the next byte before it is sent, so only the true last chunk gets the final block.
      if (this.filled === this.chunkBytes) {
        if (this.inFlight.size >= this.maxInFlight) return at
        this.dispatch(constants.Z_BLOCK)
      }
      const count = Math.min(chunk.length - at, this.chunkBytes - this.filled)
      this.current.set(chunk.subarray(at, at + count), this.filled)
      this.filled += count
      at += count
    }
    return at
  }

  private async resume(chunk: Uint8Array, offset: number): Promise<void> {
    let at = offset
    while (at < chunk.length) {
      while (this.inFlight.size >= this.maxInFlight) await Promise.race(this.inFlight)
      this.throwIfFailed()
      at = this.absorb(chunk, at)
    }
  }

  /**
   * Deflates the current buffer on the libuv pool and starts a fresh one. Z_BLOCK ends a non-final
   * block without byte alignment, so chunk outputs add up like one bit stream (measured: 0.5–5 bytes
   * per chunk closer to a single stream than Z_FINISH or Z_SYNC_FLUSH).
   */
  private dispatch(finishFlush: number): void {
    const buffer = this.current
    const options: ZlibOptions = { level: this.level, finishFlush, chunkSize: OUTPUT_BUFFER_BYTES }
    if (this.previous) options.dictionary = this.previous.subarray(this.chunkBytes - WINDOW_BYTES)
    const job: Promise<void> = this.deflate(buffer.subarray(0, this.filled), options).then(
      () => {
        this.inFlight.delete(job)
        this.spare.push(buffer)
      },
      (error: unknown) => {
        this.inFlight.delete(job)
        this.failure ??= { error }
      }
    )
    this.inFlight.add(job)
    this.previous = buffer
    this.filled = 0
    if (finishFlush === constants.Z_FINISH) return
    // The spare may be the buffer that just supplied the dictionary: zlib copied it when the stream was created.
    this.current = this.spare.pop() ?? new Uint8Array(this.chunkBytes)
  }

  private deflate(input: Uint8Array, options: ZlibOptions): Promise<void> {
    return new Promise((resolve, reject) => {
      const stream = createDeflateRaw(options)
      stream.on('data', (out: Buffer) => {
        this.deflatedBytes += out.length
      })
      stream.on('end', resolve)
      stream.on('error', reject)
      stream.end(input)
    })
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error
  }
}
