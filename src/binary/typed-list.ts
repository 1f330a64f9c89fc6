/** A growable typed array: per-function and per-symbol tables stay typed, a few bytes an entry, however many entries. */
export class TypedList<T extends Uint32Array | Float64Array> {
  private data: T
  length = 0

  constructor(private readonly make: (length: number) => T) {
    this.data = make(256)
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = this.make(this.data.length * 2)
      bigger.set(this.data)
      this.data = bigger
    }
    this.data[this.length++] = value
  }

  at(index: number): number {
    return this.data[index] ?? 0
  }

  /** Index of `value` in an ascending list, or -1. */
  find(value: number): number {
    let [low, high] = [0, this.length - 1]
    while (low <= high) {
      const mid = (low + high) >>> 1
      const here = this.data[mid] ?? 0
      if (here === value) return mid
      if (here < value) low = mid + 1
      else high = mid - 1
    }
    return -1
  }
}

/** 4 bytes an entry, for offsets and ids below 2^32. */
export const u32List = (): TypedList<Uint32Array> => new TypedList((length) => new Uint32Array(length))
/** 8 bytes an entry, for 64-bit addresses and sizes. */
export const numberList = (): TypedList<Float64Array> => new TypedList((length) => new Float64Array(length))
