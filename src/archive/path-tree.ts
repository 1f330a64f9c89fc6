/**
 * Every path of an image stored once: a tree of nodes numbered from 0 (the root), each a parent and an
 * interned name, kept in typed arrays so that a layer of 300,000 files costs bytes, not objects.
 */

type NumberArray = Int32Array | Int16Array | Uint8Array | Uint16Array | Uint32Array | Float64Array

/** The same array when it holds `length` items, else a copy half as long again, new items set to `fill`. */
export function grown<T extends NumberArray>(array: T, length: number, fill = 0): T {
  if (length <= array.length) return array
  // 1.5×, not 2×: a table just past a doubling would otherwise be half empty.
  const next = new (array.constructor as new (size: number) => T)(Math.max(length, Math.ceil(array.length * 1.5), 16))
  next.set(array)
  if (fill !== 0) next.fill(fill, array.length)
  return next
}

export const ROOT = 0
const NONE = -1

export class PathTree {
  private readonly names: string[] = []
  private readonly nameIds = new Map<string, number>()
  private parents = new Int32Array(1024).fill(NONE)
  private nameOf = new Int32Array(1024).fill(NONE)
  private firstChildren = new Int32Array(1024).fill(NONE)
  private lastChildren = new Int32Array(1024).fill(NONE)
  private nextSiblings = new Int32Array(1024).fill(NONE)
  /** Open-addressing table of (parent, name) → node + 1; 0 is an empty slot. */
  private slots = new Int32Array(2048)
  /** Nodes in the tree, the root included. */
  size = 1

  /** The child of `node` called `name`, or -1. */
  child(node: number, name: string): number {
    const id = this.nameIds.get(name)
    if (id === undefined) return NONE
    return (this.slots[this.slotOf(node, id)] ?? 0) - 1
  }

  /** The child of `node` called `name`, created (last among its siblings) when missing. */
  childOrCreate(node: number, name: string): number {
    const id = this.intern(name)
    const slot = this.slotOf(node, id)
    const found = (this.slots[slot] ?? 0) - 1
    return found === NONE ? this.create(node, id, slot) : found
  }

  name(node: number): string {
    return this.names[this.nameOf[node] ?? NONE] ?? ''
  }

  firstChild(node: number): number {
    return this.firstChildren[node] ?? NONE
  }

  nextSibling(node: number): number {
    return this.nextSiblings[node] ?? NONE
  }

  private intern(name: string): number {
    let id = this.nameIds.get(name)
    if (id === undefined) {
      id = this.names.length
      this.names.push(name)
      this.nameIds.set(name, id)
    }
    return id
  }

  private create(parent: number, name: number, slot: number): number {
    const node = this.size++
    this.parents = grown(this.parents, this.size, NONE)
    this.nameOf = grown(this.nameOf, this.size, NONE)
    this.firstChildren = grown(this.firstChildren, this.size, NONE)
    this.lastChildren = grown(this.lastChildren, this.size, NONE)
    this.nextSiblings = grown(this.nextSiblings, this.size, NONE)
    this.parents[node] = parent
    this.nameOf[node] = name
    const last = this.lastChildren[parent] ?? NONE
    if (last === NONE) this.firstChildren[parent] = node
    else this.nextSiblings[last] = node
    this.lastChildren[parent] = node
    this.slots[slot] = node + 1
    // Half-full at most, so probes stay short.
    if (this.size * 2 > this.slots.length) this.rehash()
    return node
  }

  private slotOf(parent: number, name: number): number {
    const mask = this.slots.length - 1
    let slot = (Math.imul(parent, 0x9e3779b1) ^ Math.imul(name + 1, 0x85ebca77)) & mask
    for (;;) {
      const node = (this.slots[slot] ?? 0) - 1
      if (node === NONE || (this.parents[node] === parent && this.nameOf[node] === name)) return slot
      slot = (slot + 1) & mask
    }
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2)
    for (let node = 1; node < this.size; node++) {
      this.slots[this.slotOf(this.parents[node] ?? NONE, this.nameOf[node] ?? NONE)] = node + 1
    }
  }
}
