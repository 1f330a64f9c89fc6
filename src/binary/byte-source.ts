/** What the Go build info reader needs from the stream (implemented by RangeRecorder). */
export interface ByteSource {
  readonly size: number
  /** Keeps [start, end) of the file, backfilling already-streamed bytes if still held; false when impossible. */
  keep(start: number, end: number, onDone?: () => void): boolean
  /** The kept bytes [offset, offset + length), or undefined when any of them were not kept. */
  read(offset: number, length: number): Uint8Array | undefined
  /** Hands [start, end) to `sink` as it streams, holding nothing; false when part of it already passed. */
  tap(start: number, end: number, sink: (piece: Uint8Array, offset: number) => void): boolean
}

/** A byte string to find in the stream from file offset `from` on; `active` false stops the search for it. */
export interface Needle {
  readonly bytes: Buffer
  readonly from: number
  active: boolean
  onHit(offset: number): void
}

/** A Buffer view (no copy) so native indexOf/toString can run over any Uint8Array. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}
