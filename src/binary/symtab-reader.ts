/**
 * Reads .symtab and then .strtab as they stream by, holding nothing of either: the data symbols are kept
 * as numbers in typed arrays (about 28 bytes each), and only their names are picked out of the string table.
 */
import { SHF_ALLOC, SHF_EXECINSTR, SHT_PROGBITS, STT_NOTYPE, STT_OBJECT } from './elf-constants.js'
import type { DataSymbol } from './gosymbols.js'
import { numberList } from './typed-list.js'

/** What the reader needs of each section: its type and flags, by section index. */
export interface SectionKind {
  type: number
  flags: number
}

/** A name longer than this only needs its prefix: the package comes before the first '[' or '.'. */
const MAX_NAME = 1024

export class SymbolTableReader {
  private readonly entrySize: number
  private readonly pending: Buffer
  private pendingLength = 0
  private readonly nameOff = numberList()
  private readonly value = numberList()
  private readonly size = numberList()
  private readonly section = numberList()
  private names: NamePicker | undefined
  private symtabSeen = 0

  constructor(
    private readonly sections: readonly SectionKind[],
    private readonly is64: boolean,
    private readonly little: boolean,
    private readonly symtabBytes: number
  ) {
    this.entrySize = is64 ? 24 : 16
    this.pending = Buffer.alloc(this.entrySize)
  }

  /** Consumes .symtab; entries cut by a chunk seam are stitched in a one-entry buffer. */
  feedSymtab(piece: Uint8Array): void {
    this.symtabSeen += piece.length
    let at = 0
    if (this.pendingLength > 0) {
      const take = Math.min(this.entrySize - this.pendingLength, piece.length)
      this.pending.set(piece.subarray(0, take), this.pendingLength)
      this.pendingLength += take
      at = take
      if (this.pendingLength < this.entrySize) return
      this.entry(new DataView(this.pending.buffer, this.pending.byteOffset, this.entrySize), 0)
      this.pendingLength = 0
    }
    const view = new DataView(piece.buffer, piece.byteOffset, piece.byteLength)
    for (; at + this.entrySize <= piece.length; at += this.entrySize) this.entry(view, at)
    this.pending.set(piece.subarray(at), 0)
    this.pendingLength = piece.length - at
  }

  /** Starts picking the kept symbols' names; call once .symtab has streamed, before .strtab does. */
  strtabSink(strtabOffset: number): (piece: Uint8Array, offset: number) => void {
    const wanted = Float64Array.from({ length: this.nameOff.length }, (_, i) => this.nameOff.at(i)).sort()
    const names = new NamePicker(
      strtabOffset,
      wanted.filter((v, i) => i === 0 || v !== wanted[i - 1])
    )
    this.names = names
    return (piece, offset) => names.feed(piece, offset)
  }

  /** The data symbols with their names; undefined unless both tables streamed completely. */
  symbols(): DataSymbol[] | undefined {
    const names = this.names?.result()
    if (!names || this.symtabSeen < this.symtabBytes) return undefined
    return Array.from({ length: this.nameOff.length }, (_, i) => ({
      name: names.get(this.nameOff.at(i)) ?? '',
      value: this.value.at(i),
      size: this.size.at(i),
      section: this.section.at(i)
    }))
  }

  /** Keeps an object (or untyped marker) symbol defined in an allocated, non-executable PROGBITS section. */
  private entry(view: DataView, at: number): void {
    const info = view.getUint8(at + (this.is64 ? 4 : 12))
    const shndx = view.getUint16(at + (this.is64 ? 6 : 14), this.little)
    const target = this.sections[shndx]
    const type = info & 0xf
    if (!target || target.type !== SHT_PROGBITS || (target.flags & (SHF_ALLOC | SHF_EXECINSTR)) !== SHF_ALLOC) return
    if (type !== STT_OBJECT && type !== STT_NOTYPE) return
    this.nameOff.push(view.getUint32(at, this.little))
    this.value.push(this.is64 ? word64(view, at + 8, this.little) : view.getUint32(at + 4, this.little))
    this.size.push(this.is64 ? word64(view, at + 16, this.little) : view.getUint32(at + 8, this.little))
    this.section.push(shndx)
  }
}

function word64(view: DataView, at: number, little: boolean): number {
  const low = view.getUint32(little ? at : at + 4, little)
  const high = view.getUint32(little ? at + 4 : at, little)
  return high * 2 ** 32 + low
}

/** Picks the NUL-terminated strings at ascending offsets of a string table as it streams, across seams. */
export class NamePicker {
  private readonly names = new Map<number, string>()
  private next = 0
  private partial: Buffer[] | undefined
  private partialLength = 0

  constructor(
    private readonly tableOffset: number,
    private readonly wanted: Float64Array
  ) {}

  feed(piece: Uint8Array, fileOffset: number): void {
    const bytes = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength)
    const base = fileOffset - this.tableOffset
    let at = this.partial ? this.finishPartial(bytes) : 0
    while (at !== -1 && this.next < this.wanted.length) {
      const want = (this.wanted[this.next] ?? 0) - base
      if (want >= bytes.length) return
      if (want < at) {
        this.next++
        continue
      }
      const nul = bytes.indexOf(0, want)
      if (nul === -1) {
        this.partial = [Buffer.from(bytes.subarray(want, want + MAX_NAME))]
        this.partialLength = bytes.length - want
        return
      }
      this.names.set(this.wanted[this.next++] ?? 0, bytes.toString('utf8', want, Math.min(nul, want + MAX_NAME)))
      at = nul + 1
    }
  }

  /** The names by offset; undefined until the table streamed past the last wanted offset. */
  result(): Map<number, string> | undefined {
    return this.next >= this.wanted.length ? this.names : undefined
  }

  /** Continues a name cut by the last seam; returns where this piece's own names may start, or -1 for none. */
  private finishPartial(bytes: Buffer): number {
    const parts = this.partial ?? []
    const nul = bytes.indexOf(0)
    const end = nul === -1 ? bytes.length : nul
    if (this.partialLength < MAX_NAME) parts.push(Buffer.from(bytes.subarray(0, Math.min(end, MAX_NAME - this.partialLength))))
    this.partialLength += end
    if (nul === -1) return -1
    this.names.set(this.wanted[this.next++] ?? 0, Buffer.concat(parts).toString('utf8', 0, MAX_NAME))
    this.partial = undefined
    return nul + 1
  }
}
