/**
 * Code bytes per package from the pclntab's function table, once its fields have streamed by. A function
 * whose name carries no package and which has no pc tables came from a host object: C code linked by cgo.
 * Other package-less functions (assembly `<>` helpers, anonymous types' equality) take the package that holds
 * most of their compilation unit's code.
 */

/** Code bytes per package from the function table, plus the extent of Go's text. */
export interface GoCode {
  textStart: number
  /** Virtual addresses: the first function's entry and the end of the last function. */
  start: number
  end: number
  functions: number
  /** Code bytes per package ('' for none), alignment padding between functions excluded. */
  packages: Map<string, number>
  /** Code bytes of functions with no package and no pc tables: C from host objects. */
  foreign: number
  /** The linker's fill between one function's end and the next one's aligned entry. */
  padding: number
}

/** The name table as the reader interned it. */
export interface FunctionNames {
  readonly packages: readonly string[]
  /** Index into `packages` of the name at this offset of the name table; -1 when none starts there. */
  packageIdAt(offset: number): number
}

/** Per function, in table order: its entry (offset from textStart) and three _func fields. */
export interface FunctionFields {
  textStart: number
  /** nfunc + 1 entries: the last is the end of the last function. */
  entry(index: number): number
  nameOff: Uint32Array
  /** 0 when the linker had no FuncInfo for it (host object code): real pctab offsets are never 0. */
  pcsp: Uint32Array
  cuOffset: Uint32Array
}

/** `cuOffset` of a function the linker found in no compilation unit (host object code). */
export const NO_UNIT = 0xffffffff

/** Fill bytes before an address, as TextPadding measured them. */
export type PaddingBefore = (vaddr: number) => number

export function goCode(fields: FunctionFields, names: FunctionNames, paddingBefore?: PaddingBefore): GoCode {
  const count = fields.nameOff.length
  const { extents, padding } = functionExtents(fields, paddingBefore)
  const named = packageIds(fields.nameOff, names)
  const foreignCode = (i: number): boolean => named[i] === -1 && fields.pcsp[i] === 0
  const units = new Uint32Array(count)
  for (let i = 0; i < count; i++) units[i] = foreignCode(i) ? NO_UNIT : (fields.cuOffset[i] ?? NO_UNIT)
  const ids = resolveByUnit(named, units, extents)
  const sums = new Float64Array(names.packages.length)
  let [unnamed, foreign] = [0, 0]
  for (let i = 0; i < count; i++) {
    const id = ids[i] ?? -1
    const bytes = extents[i] ?? 0
    if (id !== -1) sums[id] = (sums[id] ?? 0) + bytes
    else if (foreignCode(i)) foreign += bytes
    else unnamed += bytes
  }
  const packages = new Map<string, number>()
  sums.forEach((bytes, id) => {
    if (bytes > 0) packages.set(names.packages[id] ?? '', bytes)
  })
  if (unnamed > 0) packages.set('', unnamed)
  const start = fields.textStart + fields.entry(0)
  const end = fields.textStart + fields.entry(count)
  return { textStart: fields.textStart, start, end, functions: count, packages, foreign, padding }
}

/** Each function's bytes up to the next entry, less the fill before that entry. */
function functionExtents(fields: FunctionFields, paddingBefore?: PaddingBefore): { extents: Float64Array; padding: number } {
  const count = fields.nameOff.length
  const extents = new Float64Array(count)
  let padding = 0
  for (let i = 0; i < count; i++) {
    const extent = Math.max(0, fields.entry(i + 1) - fields.entry(i))
    // The table's last entry is the exact end of the last function: nothing pads it.
    const pad = i + 1 < count ? Math.min(extent, paddingBefore?.(fields.textStart + fields.entry(i + 1)) ?? 0) : 0
    padding += pad
    extents[i] = extent - pad
  }
  return { extents, padding }
}

/** Each function's package id; -1 for a name without a package (or a name offset that starts no name). */
function packageIds(nameOff: Uint32Array, names: FunctionNames): Int32Array {
  const empty = names.packages.indexOf('')
  const ids = new Int32Array(nameOff.length)
  for (let i = 0; i < nameOff.length; i++) {
    const id = names.packageIdAt(nameOff[i] ?? 0)
    ids[i] = id === empty ? -1 : id
  }
  return ids
}

/** Gives each package-less function of a compilation unit the package holding most of that unit's code. */
function resolveByUnit(ids: Int32Array, cuOffset: Uint32Array, extents: Float64Array): Int32Array {
  const votes = new Map<number, Map<number, number>>()
  for (let i = 0; i < ids.length; i++) {
    const cu = cuOffset[i] ?? NO_UNIT
    if (ids[i] === -1 && cu !== NO_UNIT) votes.set(cu, new Map())
  }
  if (votes.size === 0) return ids
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] ?? -1
    const unit = id === -1 ? undefined : votes.get(cuOffset[i] ?? NO_UNIT)
    if (unit) unit.set(id, (unit.get(id) ?? 0) + (extents[i] ?? 0))
  }
  const winner = new Map([...votes].map(([cu, unit]) => [cu, largest(unit)]))
  return ids.map((id, i) => (id === -1 ? (winner.get(cuOffset[i] ?? NO_UNIT) ?? -1) : id))
}

/** The key with the most bytes (the smaller id on a tie, for a stable answer); -1 for an empty map. */
function largest(unit: Map<number, number>): number {
  let [best, most] = [-1, -1]
  for (const [id, bytes] of unit) {
    if (bytes > most || (bytes === most && id < best)) [best, most] = [id, bytes]
  }
  return best
}
