import { describe, expect, it } from '@jest/globals'
import { PassThrough, Readable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import { ReadAhead } from '../../../src/engine/read-ahead.js'

const KiB = 1024
const chunkOf = (index: number, size = 64 * KiB) => Buffer.alloc(size, index % 251)

/** A source that writes `count` chunks as fast as it is let, noting how many it had written each time it was paused. */
function fastSource(count: number): { source: PassThrough; writtenAtPause: number[] } {
  const source = new PassThrough({ highWaterMark: 64 * KiB })
  const writtenAtPause: number[] = []
  let written = 0
  const pause = source.pause.bind(source)
  source.pause = () => {
    writtenAtPause.push(written)
    return pause()
  }
  void (async () => {
    for (; written < count;) {
      if (!source.write(chunkOf(written++))) await new Promise((resolve) => source.once('drain', resolve))
    }
    source.end()
  })()
  return { source, writtenAtPause }
}

describe('ReadAhead', () => {
  it('lets the source write until the bound is queued, then pauses it, and hands every chunk on in order', async () => {
    const { source, writtenAtPause } = fastSource(64)
    const ahead = new ReadAhead(source, 1024 * KiB)
    const seen: number[] = []
    for await (const chunk of ahead) {
      seen.push(chunk[0] ?? -1)
      expect(chunk.length).toBe(64 * KiB)
      // A slow reader: the source gets the event loop between chunks.
      await sleep(1)
    }
    expect(seen).toEqual(Array.from({ length: 64 }, (_, index) => index % 251))
    expect(ahead.stats.bytes).toBe(64 * 64 * KiB)
    expect(ahead.stats.pauses).toBeGreaterThan(0)
    // Paused only once 1 MiB waited: never sooner, and at most one chunk over.
    expect(writtenAtPause[0]).toBeGreaterThanOrEqual(16)
    expect(ahead.stats.peakQueuedBytes).toBeGreaterThanOrEqual(1024 * KiB)
    expect(ahead.stats.peakQueuedBytes).toBeLessThanOrEqual(1024 * KiB + 64 * KiB)
  })

  it('never pauses a source that a reader keeps up with, and hands on the chunks themselves, never a joined copy', async () => {
    const chunks = Array.from({ length: 50 }, (_, index) => chunkOf(index, 4 * KiB))
    const ahead = new ReadAhead(Readable.from(chunks), 1024 * KiB)
    const seen: Uint8Array[] = []
    for await (const chunk of ahead) seen.push(chunk)
    expect(seen.length).toBe(50)
    seen.forEach((chunk, index) => expect(chunk).toBe(chunks[index]))
    expect(ahead.stats.pauses).toBe(0)
  })

  it("hands on the chunks before a source's error, then the error", async () => {
    const source = new PassThrough()
    const ahead = new ReadAhead(source)
    source.write(chunkOf(1, 10))
    setImmediate(() => source.destroy(new Error('connection reset by the engine')))
    const seen: number[] = []
    const read = (async () => {
      for await (const chunk of ahead) seen.push(chunk.length)
    })()
    await expect(read).rejects.toThrow('connection reset by the engine')
    expect(seen).toEqual([10])
  })

  it('destroys the source when the reader stops early, so the engine is not left writing', async () => {
    const { source } = fastSource(1000)
    const ahead = new ReadAhead(source, 256 * KiB)
    const read = (async () => {
      for await (const chunk of ahead) if (chunk[0] === 3) throw new Error('not an image archive')
    })()
    await expect(read).rejects.toThrow('not an image archive')
    expect(source.destroyed).toBe(true)
  })
})
