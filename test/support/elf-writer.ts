import { BUILDINFO_MAGIC, MODINFO_END, MODINFO_START } from '../../src/archive/elf/gobuildinfo.js'

export interface GoElfSpec {
  /** The main package, e.g. `cmd/go` for the toolchain's go command. */
  goPath: string
  goVersion?: string
  /** PT_INTERP, as a dynamically linked (cgo) build has; absent for a static build. */
  interpreter?: string
}

const EHSIZE = 64
const PHENTSIZE = 56
const PT_LOAD = 1
const PT_INTERP = 3
const PF_R = 4
const PF_W = 2
const INTERP_AT = 0x200
const DATA_AT = 0x1000

function uvarint(bytes: Buffer): Buffer {
  const n = bytes.length
  return Buffer.concat([Buffer.from(n < 128 ? [n] : [(n % 128) | 0x80, Math.floor(n / 128)]), bytes])
}

/** A small ELF64 x86-64 executable whose first writable segment opens with Go's inline build info. */
export function goElf(spec: GoElfSpec): Buffer {
  const modinfo = Buffer.concat([MODINFO_START, Buffer.from(`path\t${spec.goPath}\n`, 'latin1'), MODINFO_END])
  const info = Buffer.concat([BUILDINFO_MAGIC, Buffer.from([8, 2]), Buffer.alloc(16), uvarint(Buffer.from(spec.goVersion ?? 'go1.19.8')), uvarint(modinfo)])
  const interp = spec.interpreter === undefined ? undefined : Buffer.from(`${spec.interpreter}\0`, 'latin1')
  const segments = [
    ...(interp ? [{ type: PT_INTERP, flags: PF_R, offset: INTERP_AT, size: interp.length }] : []),
    { type: PT_LOAD, flags: PF_R | PF_W, offset: DATA_AT, size: 0x1000 }
  ]
  const out = Buffer.alloc(DATA_AT + 0x1000)
  out.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1])
  out.writeUInt16LE(2, 16) // ET_EXEC
  out.writeUInt16LE(62, 18) // EM_X86_64
  out.writeUInt32LE(1, 20)
  out.writeBigUInt64LE(BigInt(EHSIZE), 32)
  out.writeUInt16LE(EHSIZE, 52)
  out.writeUInt16LE(PHENTSIZE, 54)
  out.writeUInt16LE(segments.length, 56)
  segments.forEach((segment, i) => {
    const at = EHSIZE + i * PHENTSIZE
    out.writeUInt32LE(segment.type, at)
    out.writeUInt32LE(segment.flags, at + 4)
    out.writeBigUInt64LE(BigInt(segment.offset), at + 8)
    out.writeBigUInt64LE(BigInt(0x400000 + segment.offset), at + 16)
    out.writeBigUInt64LE(BigInt(segment.size), at + 32)
    out.writeBigUInt64LE(BigInt(segment.size), at + 40)
  })
  if (interp) out.set(interp, INTERP_AT)
  out.set(info, DATA_AT)
  return out
}
