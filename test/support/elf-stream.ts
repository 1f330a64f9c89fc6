/** Streams bytes through an ElfScanner the way the tar reader does, with chunkings that must all agree. */
import { expect } from '@jest/globals'
import { ElfScanner, type ElfInfo } from '../../src/binary/elf.js'

/** A small deterministic PRNG (mulberry32) so "random" chunkings are reproducible. */
export function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32
  }
}

export type Chunking = number | 'random'

/**
 * Streams `data` like the tar reader does: every chunk is a view into one reused buffer, so a scanner
 * that keeps a reference instead of a copy reads overwritten bytes and fails these tests.
 */
export function scan(data: Uint8Array, chunking: Chunking, fileSize = data.length): ElfInfo | null {
  const next = random(data.length)
  const size = (): number => (chunking === 'random' ? 1 + Math.floor(next() * 200_000) : chunking)
  const shared = Buffer.alloc(chunking === 'random' ? 200_000 : chunking)
  const scanner = new ElfScanner(fileSize)
  for (let offset = 0; offset < data.length;) {
    const length = Math.min(size(), data.length - offset)
    shared.set(data.subarray(offset, offset + length))
    scanner.push(shared.subarray(0, length))
    shared.fill(0xcc, 0, length)
    offset += length
  }
  return scanner.finish()
}

/** Scans with several chunkings and insists they all agree. */
export function scanAll(data: Uint8Array, chunkings: Chunking[] = [1024 * 1024, 4096, 'random']): ElfInfo | null {
  const [first, ...rest] = chunkings.map((chunking) => scan(data, chunking))
  for (const other of rest) expect(other).toEqual(first)
  return first ?? null
}

/** Corrupts the headers and tables the scanner trusts most, plus a few random bytes anywhere, 60 times over. */
export function expectNoThrowOnCorruption(original: Buffer): void {
  const next = random(42)
  for (let round = 0; round < 60; round++) {
    const data = Buffer.from(original)
    for (let i = 0; i < 32; i++) data[Math.floor(next() * (round % 2 ? 256 : 4096))] = Math.floor(next() * 256)
    for (let i = 0; i < 16; i++) data[Math.floor(next() * data.length)] = Math.floor(next() * 256)
    expect(() => scan(data, round % 3 ? 65536 : 4093)).not.toThrow()
  }
}
