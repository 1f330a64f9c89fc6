import { describe, expect, it, jest } from '@jest/globals'
import { createGzip } from 'node:zlib'
import { GzipSizeEstimator } from '../../../src/archive/compress.js'
import { javascript, MiB, readPrefix, tarOfFiles } from '../../support/compress-samples.js'

// 60 s for a test or hook: deflating samples of a few MB: 3.5 s at most on a loaded 2-core machine.
jest.setTimeout(60_000)

// Needs no engine: it is here because 48 MB through two gzip implementations is too slow for the unit suite.
const errorPercent = (actual: number, expected: number): number => (100 * (actual - expected)) / expected

async function singleStreamSize(parts: Buffer[], rounds: number): Promise<number> {
  const gzip = createGzip({ level: 6 })
  let size = 0
  gzip.on('data', (out: Buffer) => {
    size += out.length
  })
  const finished = new Promise<void>((resolveEnd, reject) => gzip.on('end', resolveEnd).on('error', reject))
  for (let round = 0; round < rounds; round++) {
    for (const part of parts) {
      for (let at = 0; at < part.length; at += 64 * 1024) {
        if (!gzip.write(part.subarray(at, at + 64 * 1024))) await new Promise((drained) => gzip.once('drain', drained))
      }
    }
  }
  gzip.end()
  await finished
  return size
}

async function estimatorSize(parts: Buffer[], rounds: number): Promise<number> {
  const estimator = new GzipSizeEstimator()
  for (let round = 0; round < rounds; round++) {
    for (const part of parts) {
      for (let at = 0; at < part.length; at += 64 * 1024) {
        const pending = estimator.write(part.subarray(at, at + 64 * 1024))
        if (pending) await pending
      }
    }
  }
  return estimator.end()
}

// Speed is measured by `npm run bench`, not here; this checks the estimate on a realistic mix at scale.
describe('GzipSizeEstimator at scale', () => {
  it('matches one gzip stream within 1% on ~48 MB of realistic data', async () => {
    const parts = [
      javascript(16 * MiB),
      readPrefix(process.execPath, 0, 8 * MiB),
      readPrefix(process.execPath, 40 * MiB, 8 * MiB),
      readPrefix(process.execPath, 80 * MiB, 8 * MiB),
      tarOfFiles(8 * MiB)
    ]
    const single = await singleStreamSize(parts, 1)
    const parallel = await estimatorSize(parts, 1)
    expect(Math.abs(errorPercent(parallel, single))).toBeLessThanOrEqual(1)
  })
})
