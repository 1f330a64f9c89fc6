/**
 * A digest of a layer's entry list as the rules read it: each entry's path, type, size, permission bits,
 * link target, and whether it is an ELF file. An earlier run's analysis stands in for a layer only when
 * the layer's own tar headers, walked as it streams, give the same digest: so an index entry cannot add,
 * drop or resize a file, or pass an ELF file off as something else, without the reader noticing.
 */
import { createHash, type Hash } from 'node:crypto'
import type { LayerEntries } from './layer-entries.js'
import { EXECUTABLE_BITS, TarParser, type EntrySink, type EntryType, type TarHeader } from './tar.js'
import { ELF_SNIFF_BYTES, looksLikeElf } from '../binary/elf.js'

/** The permission bits the entry table keeps. */
const PERMISSION_BITS = 0o7777

export interface FingerprintedEntry {
  path: string
  type: EntryType
  size: number
  mode: number
  linkname?: string | undefined
}

export class EntryFingerprint {
  private readonly hash: Hash = createHash('sha256')

  add(entry: FingerprintedEntry, elf: boolean): void {
    const link = (entry.type === 'symlink' || entry.type === 'hardlink') && entry.linkname ? entry.linkname : null
    this.hash.update(`${JSON.stringify([entry.path, entry.type, entry.size, entry.mode & PERMISSION_BITS, link, elf])}\n`)
  }

  digest(): string {
    return this.hash.digest('hex')
  }
}

/** Whether the analysis looks into the entry's bytes for ELF facts: an executable regular file long enough to hold the magic. */
export function mayBeElf(entry: { type: EntryType; size: number; mode: number }): boolean {
  return entry.type === 'file' && (entry.mode & EXECUTABLE_BITS) !== 0 && entry.size > ELF_SNIFF_BYTES
}

/** The fingerprint of an analysed layer's entries. */
export function fingerprintOf(entries: LayerEntries): string {
  const fingerprint = new EntryFingerprint()
  for (const entry of entries) fingerprint.add(entry, entry.elf !== undefined)
  return fingerprint.digest()
}

/** Walks a layer tar's headers as it streams, reading only the first bytes of files that may be ELF. */
export class FingerprintWalker {
  private readonly fingerprint = new EntryFingerprint()
  private readonly parser = new TarParser((header) => this.onEntry(header))

  push(chunk: Uint8Array): Promise<void> {
    return this.parser.push(chunk)
  }

  async digest(): Promise<string> {
    await this.parser.end()
    return this.fingerprint.digest()
  }

  private onEntry(header: TarHeader): EntrySink | undefined {
    if (!mayBeElf(header)) {
      this.fingerprint.add(header, false)
      return undefined
    }
    const head: Uint8Array[] = []
    let bytes = 0
    return {
      write: (chunk) => {
        if (bytes < ELF_SNIFF_BYTES) head.push(chunk.slice(0, ELF_SNIFF_BYTES - bytes))
        bytes += chunk.length
      },
      end: () => this.fingerprint.add(header, looksLikeElf(Buffer.concat(head)))
    }
  }
}
