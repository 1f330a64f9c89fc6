/**
 * Bounds the memory held by dead stream buffers. Each read of an archive arrives in a fresh buffer that the
 * pipeline holds across scavenges, so V8 promotes it; a promoted buffer is freed only by a full collection,
 * and V8 starts one for buffer memory only once it has grown 64 MB past the last. Collecting after every
 * COLLECT_AFTER_BYTES read keeps the dead weight near that figure instead (measured on a 780 MB layer of
 * 300,000 files under Node 24: peak RSS 170 → 137 MB, for about 25 full collections of a ~10 MB heap).
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

const COLLECT_AFTER_BYTES = 32 * 1024 * 1024

/** `gc` is installed only in contexts created after the flag is set, so a fresh one hands it over. */
function garbageCollector(): () => void {
  setFlagsFromString('--expose-gc')
  const gc: unknown = runInNewContext('gc')
  return typeof gc === 'function' ? () => void gc() : () => undefined
}

let collect: (() => void) | undefined
let sinceCollection = 0

/** A full collection now. */
export function collectGarbage(): void {
  collect ??= garbageCollector()
  collect()
}

/** Counts bytes that arrived in fresh buffers now dead or soon to be; collects once enough have passed. */
export function passedThrough(bytes: number): void {
  sinceCollection += bytes
  if (sinceCollection < COLLECT_AFTER_BYTES) return
  sinceCollection = 0
  collectGarbage()
}
