import { type Needle } from './byte-source.js'

/**
 * Finds needles in consecutive chunks with native Buffer.indexOf; a match straddling two chunks is found in
 * a small seam made of the last (longest needle - 1) bytes seen and the start of the new chunk.
 */
export class NeedleSearch {
  private readonly needles: Needle[] = []
  private tail: Buffer = Buffer.alloc(0)
  private overlap = 0

  add(needles: readonly Needle[]): void {
    this.needles.push(...needles)
    this.overlap = Math.max(this.overlap, ...needles.map((n) => n.bytes.length - 1))
  }

  feed(chunk: Buffer, chunkStart: number): void {
    if (!this.needles.some((needle) => needle.active)) {
      this.tail = lastBytes(this.tail, chunk, this.overlap)
      return
    }
    const seam = Buffer.concat([this.tail, chunk.subarray(0, this.overlap)])
    const chunkEnd = chunkStart + chunk.length
    for (const needle of this.needles) {
      if (!needle.active || chunkEnd <= needle.from) continue
      this.searchSeam(needle, seam, chunkStart)
      const first = Math.max(0, needle.from - chunkStart)
      for (let at = chunk.indexOf(needle.bytes, first); at !== -1 && needle.active; at = chunk.indexOf(needle.bytes, at + 1)) {
        needle.onHit(chunkStart + at)
      }
    }
    this.tail = lastBytes(this.tail, chunk, this.overlap)
  }

  /** Only matches that begin in the tail and end in the chunk: the others are found on one side. */
  private searchSeam(needle: Needle, seam: Buffer, chunkStart: number): void {
    const tailLength = this.tail.length
    const seamStart = chunkStart - tailLength
    let at = seam.indexOf(needle.bytes, Math.max(0, tailLength - needle.bytes.length + 1, needle.from - seamStart))
    for (; at !== -1 && at < tailLength && needle.active; at = seam.indexOf(needle.bytes, at + 1)) {
      needle.onHit(seamStart + at)
    }
  }
}

/** A copy of the last `count` bytes of `before` followed by `chunk`. */
function lastBytes(before: Buffer, chunk: Buffer, count: number): Buffer {
  if (chunk.length >= count) return Buffer.from(chunk.subarray(chunk.length - count))
  const joined = Buffer.concat([before, chunk])
  return Buffer.from(joined.subarray(Math.max(0, joined.length - count)))
}
