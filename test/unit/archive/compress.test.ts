import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { createCipheriv } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { GzipSizeEstimator, gzipScaleFor, type GzipEstimatorOptions } from '../../../src/archive/compress.js'
import { collectGarbage } from '../../../src/archive/dead-buffers.js'
import { javascript, MiB, readPrefix, tarOfFiles } from '../../support/compress-samples.js'

/** Feeds `data` in `writeSize` pieces, honouring backpressure as a caller must. */
async function estimate(data: Uint8Array, writeSize = 64 * 1024, options?: GzipEstimatorOptions): Promise<number> {
  const estimator = new GzipSizeEstimator(options)
  for (let at = 0; at < data.length; at += writeSize) {
    const pending = estimator.write(data.subarray(at, at + writeSize))
    if (pending) await pending
  }
  return estimator.end()
}

const reference = (data: Uint8Array): number => gzipSync(data, { level: 6 }).length
const errorPercent = (actual: number, expected: number): number => (100 * (actual - expected)) / expected

/** A small linear congruential generator: deterministic bytes without materialising them up front. */
function lcg(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state >>> 24
  }
}

/** Deterministic incompressible bytes: an AES-CTR keystream keyed by the seed, made natively rather than byte by byte. */
function randomBytes(length: number, seed: number): Buffer {
  const key = Buffer.alloc(16)
  key.writeUInt32LE(seed >>> 0)
  return createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(length))
}

function logLines(length: number): Buffer {
  const lines: string[] = []
  let size = 0
  for (let i = 0; size < length; i++) {
    const line = `2024-05-0${(i % 9) + 1}T12:${String(i % 60).padStart(2, '0')}:00Z INFO id=${i} path=/api/items/${i % 1000} status=200 took=${i % 97}ms\n`
    lines.push(line)
    size += line.length
  }
  return Buffer.from(lines.join('')).subarray(0, length)
}

/** Random 16 KiB repeated: compressible only through matches that reach back across chunk boundaries. */
function repeatedBlock(length: number): Buffer {
  const block = randomBytes(16 * 1024, 7)
  return Buffer.concat(Array.from({ length: Math.ceil(length / block.length) }, () => block)).subarray(0, length)
}

const corpus: Record<string, () => Buffer> = {
  'random bytes': () => randomBytes(8 * MiB, 1),
  zeros: () => Buffer.alloc(8 * MiB),
  'repetitive text': () => logLines(8 * MiB),
  'repeated random block': () => repeatedBlock(8 * MiB),
  'node_modules JavaScript': () => javascript(8 * MiB),
  'ELF prefix (node binary)': () => readPrefix(process.execPath, 0, 8 * MiB),
  'ELF middle (node binary)': () => readPrefix(process.execPath, 40 * MiB, 8 * MiB),
  'tar with 512-byte headers': () => tarOfFiles(8 * MiB)
}

/** Real-world kinds checked against GNU gzip too; on synthetic data the two compressors differ by up to 2% themselves. */
const cliChecked = ['repetitive text', 'node_modules JavaScript', 'ELF prefix (node binary)', 'tar with 512-byte headers']

/** Each kind's sample and its estimate, made once and shared by the tests that compare it. */
const samples = new Map<string, Promise<{ data: Buffer; estimated: number }>>()
function sample(kind: string): Promise<{ data: Buffer; estimated: number }> {
  let made = samples.get(kind)
  if (!made) {
    const data = (corpus[kind] as () => Buffer)()
    made = estimate(data).then((estimated) => ({ data, estimated }))
    samples.set(kind, made)
  }
  return made
}

const table = new Map<string, string[]>()
afterAll(() => {
  const rows = [...table].map(([kind, cells]) => `${kind} | ${cells.join(' | ')}`)
  if (rows.length > 0) console.log(['data | bytes | vs gzipSync -6 | vs gzip -6 CLI', ...rows].join('\n'))
})

describe('GzipSizeEstimator accuracy', () => {
  let dir = ''
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'compress-test-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  /** `gzip -6` as shipped; -n leaves the name out of the header, as a registry blob has none. */
  const gzipCli = (data: Buffer): number => {
    const file = join(dir, 'data')
    writeFileSync(file, data)
    return execFileSync('gzip', ['-6', '-n', '-c', file], { maxBuffer: 64 * MiB }).length
  }

  it.each(Object.keys(corpus))('is within 1%% of gzipSync for %s', async (kind) => {
    const { data, estimated } = await sample(kind)
    const vsZlib = errorPercent(estimated, reference(data))
    table.set(kind, [String(data.length), `${vsZlib.toFixed(3)}%`, ...(table.get(kind)?.slice(2) ?? ['-'])])
    expect(Math.abs(vsZlib)).toBeLessThanOrEqual(1)
  })

  it.each(cliChecked)('is within 1%% of the gzip -6 CLI for %s', async (kind) => {
    const { data, estimated } = await sample(kind)
    const vsCli = errorPercent(estimated, gzipCli(data))
    table.set(kind, [...(table.get(kind)?.slice(0, 2) ?? [String(data.length), '-']), `${vsCli.toFixed(3)}%`])
    expect(Math.abs(vsCli)).toBeLessThanOrEqual(1)
  })

  it('matches gzipSync to the byte for input smaller than one chunk', async () => {
    for (const data of [Buffer.alloc(0), Buffer.from('a'), javascript(100_000)]) {
      expect(await estimate(data)).toBe(reference(data))
    }
    expect(await estimate(Buffer.alloc(0))).toBe(20)
  })

  it('gives the same answer however the input was split', async () => {
    // Small chunks, so even one-byte writes cross many chunk boundaries in a sample that is quick to feed byte by byte.
    const part = 100 * 1024
    const data = Buffer.concat([javascript(part), readPrefix(process.execPath, 0, part), Buffer.alloc(part, 1)])
    const options = { chunkBytes: 32 * 1024 }
    const whole = await estimate(data, data.length, options)
    for (const writeSize of [1, 7, 4096, part + 3]) expect(await estimate(data, writeSize, options)).toBe(whole)
    expect(Math.abs(errorPercent(whole, reference(data)))).toBeLessThanOrEqual(1)
  })

  it('primes each chunk with the previous window, so matches across chunk boundaries still count', async () => {
    const data = repeatedBlock(4 * MiB)
    const small = { chunkBytes: 64 * 1024 }
    // Without the dictionary every chunk would start with 16 KiB of incompressible bytes: ~64 chunks × 16 KiB.
    expect(await estimate(data, 64 * 1024, small)).toBeLessThan(reference(data) * 1.05)
  })
})

describe('GzipSizeEstimator streaming contract', () => {
  it('copies what it keeps, so the caller may overwrite its buffer once a write has returned', async () => {
    const data = javascript(6 * MiB)
    const scratch = Buffer.alloc(100_000)
    const estimator = new GzipSizeEstimator({ chunkBytes: 256 * 1024, maxInFlight: 2 })
    for (let at = 0; at < data.length; at += scratch.length) {
      const piece = scratch.subarray(0, data.copy(scratch, 0, at, at + scratch.length))
      const pending = estimator.write(piece)
      if (pending) await pending
      scratch.fill(0xa5)
    }
    expect(await estimator.end()).toBe(await estimate(data, data.length, { chunkBytes: 256 * 1024 }))
  })

  it('keeps byte order when the caller does not wait for backpressure', async () => {
    const data = javascript(2 * MiB)
    const options = { chunkBytes: 32 * 1024, maxInFlight: 1 }
    const estimator = new GzipSizeEstimator(options)
    const pending: Promise<void>[] = []
    for (let at = 0; at < data.length; at += 50_000) {
      const result = estimator.write(data.subarray(at, at + 50_000))
      if (result) pending.push(result)
    }
    expect(pending.length).toBeGreaterThan(0)
    expect(await estimator.end()).toBe(await estimate(data, 50_000, options))
  })

  it('rejects writes after end and options it cannot honour', async () => {
    const estimator = new GzipSizeEstimator()
    await estimator.end()
    expect(() => estimator.write(Buffer.from('x'))).toThrow('GzipSizeEstimator: write after end')
    expect(() => new GzipSizeEstimator({ chunkBytes: 1000 })).toThrow('chunkBytes must be an integer from 32768')
    expect(() => new GzipSizeEstimator({ level: 10 })).toThrow('level must be an integer from 0 to 9, got 10')
    expect(() => new GzipSizeEstimator({ maxInFlight: 0 })).toThrow('maxInFlight must be an integer from 1')
  })
})

/**
 * Stationary, compressible pseudo-random bytes: 16-byte words drawn from a vocabulary of 64.
 * Returns a filler that writes the next bytes of the sequence into a buffer (length a multiple of 16).
 */
function wordStream(seed: number): (target: Buffer) => void {
  const next = lcg(seed)
  const vocabulary = randomBytes(64 * 16, seed)
  return (target) => {
    for (let at = 0; at < target.length; at += 16) {
      const word = (next() & 63) * 16
      vocabulary.copy(target, at, word, word + 16)
    }
  }
}

const usedMemory = (): number => {
  const usage = process.memoryUsage()
  return usage.heapUsed + usage.arrayBuffers
}

describe('GzipSizeEstimator memory', () => {
  it('keeps its live memory flat while 32 MiB stream through it', async () => {
    const options = { chunkBytes: 512 * 1024, maxInFlight: 4 }
    const pool = Buffer.alloc(2 * MiB)
    wordStream(42)(pool)
    // The pool repeats 2 MiB apart, far beyond deflate's 32 KiB window, so the stream compresses as the pool does.
    const ratio = reference(pool) / pool.length
    const total = 32 * MiB
    const piece = 256 * 1024
    const estimator = new GzipSizeEstimator(options)
    collectGarbage()
    const baseline = usedMemory()
    let peak = 0
    for (let written = 0; written < total; written += piece) {
      const pending = estimator.write(pool.subarray(written % pool.length, (written % pool.length) + piece))
      if (pending) await pending
      if (written % (4 * MiB) !== 0) continue
      collectGarbage()
      peak = Math.max(peak, usedMemory() - baseline)
    }
    const size = await estimator.end()
    // Live: the chunks in flight and the one filling, 5 × 512 KiB; keeping every chunk would hold all 32 MiB.
    expect(peak).toBeLessThan(12 * MiB)
    expect(Math.abs(errorPercent(size, ratio * total))).toBeLessThan(2)
  })
})

describe('the builder Go model', () => {
  it.each([
    ['go1.19.8', 1],
    ['go1.23.7', 1],
    ['go1.26.10', 1],
    ['go1.27.1', 1.02],
    ['go1.28rc1', 1.02],
    ['', 1],
    ['devel +abc', 1]
  ])('scales a zlib estimate for a BuildKit built with %s by %d', (version, scale) => {
    expect(gzipScaleFor(version)).toBe(scale)
  })

  it('multiplies the zlib figure by the scale, rounded to a byte', async () => {
    const data = Buffer.from('the same line of text, again and again\n'.repeat(5000))
    const zlibFigure = await estimate(data)
    expect(await estimate(data, 64 * 1024, { scale: 1.02 })).toBe(Math.round(zlibFigure * 1.02))
    expect(() => new GzipSizeEstimator({ scale: 0 })).toThrow('GzipSizeEstimator: scale must be between 0 and 2, got 0')
  })
})
