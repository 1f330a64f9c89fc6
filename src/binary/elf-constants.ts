/** The numbers of the ELF specification this stage reads: magic, segment, section, dynamic and symbol types and flags. */

export const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46] as const

export const PT_LOAD = 1
export const PT_DYNAMIC = 2
export const PT_INTERP = 3
export const PT_NOTE = 4
export const PF_X = 1
export const PF_W = 2
export const SHT_PROGBITS = 1
export const SHT_SYMTAB = 2
export const SHT_NOBITS = 8
export const SHF_WRITE = 1
export const SHF_ALLOC = 2
export const SHF_EXECINSTR = 4
export const DT_NEEDED = 1
export const DT_STRTAB = 5
export const DT_STRSZ = 10
export const DT_RPATH = 15
export const DT_RUNPATH = 29
export const STT_NOTYPE = 0
export const STT_OBJECT = 1
/** Go's build ID note: name "Go", this type. */
export const GO_NOTE_TYPE = 4
/** Go's linker pads x86 text with int3 and other architectures' with zeros. */
export const X86_MACHINES: readonly number[] = [3, 62]
export const INT3 = 0xcc
