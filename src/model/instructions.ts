import type { BuildStep } from '../archive/image-documents.js'
import { execForm, parseJsonArray, type Instruction, type Stage } from './dockerfile.js'

/** A history entry read back into an instruction; `keyword` is undefined when created_by is no known form. */
interface RecordedInstruction {
  keyword?: string
  args: string
}

type Pair = [instruction: number, entry: number]

/** BuildKit's comment on entries it invents for layers that had no history; it only appends them. */
const EXPORTER_COMMENT = 'buildkit.exporter.image.v0'
const BUILDKIT_SUFFIX = / ?# buildkit$/
/** The classic builder's prefix for instructions that ran no command, e.g. `/bin/sh -c #(nop)  CMD […]`. */
const LEGACY_NOP = /^(?:\S*sh -c|cmd \/S \/C) #\(nop\) ?/
const KEYWORD_PREFIX = /^([A-Z]+)(?: |$)/
/** Build args that RUN saw, prefixed by BuildKit and the classic builder alike: `|2 A=1 B=2 `. */
const BUILD_ARGS_PREFIX = /^\|(\d+) /
/** `/bin/sh -c `, `/bin/bash -o pipefail -c `, `sh -ec `, `cmd /S /C ` (on whitespace-collapsed text). */
const SHELL_PREFIX =
  /^(?:(?:\/\S+\/)?(?:ba|da|a|z|k)?sh (?:-\S+ (?:[a-z]+ )??)*?-[a-z]*c |cmd \/S \/C |powershell(?:\.exe)? (?:-\S+ )*?-Command )/
/** The classic builder records COPY/ADD sources as a content hash: `file:<sha256> in /dest`. */
const LEGACY_COPY = /^(\S+) in (.+)$/
const LEGACY_HASH = /^((?:file|dir|multi):[0-9a-f]{12})[0-9a-f]*$/
const HEREDOC_ONLY = /^\d*<<-?\S+$/
const HEREDOC_SOURCE = /^\d*<<-?["']?([^"']+)["']?$/
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/
const QUOTED = /"((?:[^"\\]|\\.)*)"/g
const DIGITS = /\d+/g
const KNOWN_KEYWORDS: ReadonlySet<string> = new Set([
  'RUN',
  'COPY',
  'ADD',
  'WORKDIR',
  'ENV',
  'ARG',
  'LABEL',
  'USER',
  'EXPOSE',
  'ENTRYPOINT',
  'CMD',
  'HEALTHCHECK',
  'SHELL',
  'STOPSIGNAL',
  'VOLUME',
  'ONBUILD',
  'MAINTAINER'
])

/**
 * For each of `layerCount` layers, the history entry that created it; entries with `empty_layer` made
 * none. Counts that disagree are aligned from the start, as the Docker daemon's `docker history` and
 * BuildKit's exporter both pair them, so any layers left over at the end get undefined.
 */
export function stepsForLayers(history: BuildStep[], layerCount: number): (BuildStep | undefined)[] {
  const count = Number.isFinite(layerCount) ? Math.max(0, Math.floor(layerCount)) : 0
  const layers = new Array<BuildStep | undefined>(count).fill(undefined)
  let next = 0
  for (const entry of history) {
    if (entry.empty_layer === true) continue
    if (next >= count) break
    layers[next++] = entry
  }
  return layers
}

/**
 * The instruction a history entry records, normalised: whitespace collapsed, `# buildkit`, `#(nop)`,
 * build-arg and shell prefixes dropped, e.g. `RUN go build -o /app .` or `COPY /out/app /app`.
 * An entry without created_by (e.g. from `docker import`) is described by its comment.
 */
export function describeStep(entry: BuildStep): string {
  const recorded = readHistory(entry)
  if (!recorded.keyword) return recorded.args || collapse(entry.comment ?? '')
  return recorded.args ? `${recorded.keyword} ${recorded.args}` : recorded.keyword
}

/**
 * For each history entry (same indices as `history`), the instruction of `stage` it came from, if it can
 * be matched. The stage's entries are the last ones, one per instruction at most, so only that tail is
 * searched and base-image history is never matched.
 */
export function matchInstructions(stage: Stage, history: BuildStep[]): (Instruction | undefined)[] {
  const matched = new Array<Instruction | undefined>(history.length).fill(undefined)
  const end = history.length - trailingExporterEntries(history)
  const start = Math.max(0, end - stage.instructions.length)
  const recorded = history.slice(start, end).map(readHistory)
  for (const [instruction, entry] of alignInstructions(stage.instructions, recorded)) {
    matched[start + entry] = stage.instructions[instruction]
  }
  return matched
}

function trailingExporterEntries(history: BuildStep[]): number {
  let count = 0
  while (count < history.length && history[history.length - 1 - count]?.comment === EXPORTER_COMMENT) count++
  return count
}

/** Reads created_by in the BuildKit or classic-builder format back into keyword and arguments. */
function readHistory(entry: BuildStep): RecordedInstruction {
  const text = collapse(entry.created_by ?? '').replace(BUILDKIT_SUFFIX, '')
  const legacy = LEGACY_NOP.exec(text)
  const body = legacy ? text.slice(legacy[0].length) : text
  const keyword = KEYWORD_PREFIX.exec(body)?.[1]
  if (keyword && KNOWN_KEYWORDS.has(keyword)) return normaliseArgs(keyword, body.slice(keyword.length).trim())
  // The classic builder records a RUN as the bare command line.
  if (!legacy && (BUILD_ARGS_PREFIX.test(body) || SHELL_PREFIX.test(body))) return normaliseArgs('RUN', body)
  return { args: body }
}

function normaliseArgs(keyword: string, args: string): RecordedInstruction {
  if (keyword === 'RUN') return { keyword, args: recordedCommand(args) }
  if (keyword === 'COPY' || keyword === 'ADD') return { keyword, args: recordedCopy(args) }
  return { keyword, args }
}

/** The command of a recorded RUN without its `|N k=v` build args and shell invocation. */
function recordedCommand(args: string): string {
  const command = withoutBuildArgs(args)
  const exec = parseJsonArray(command)
  return stripShell(exec ? collapse(exec.join(' ')) : command)
}

/** Drops `|N k=v …`; values may hold spaces, so the shell invocation, if any, marks the end. */
function withoutBuildArgs(text: string): string {
  const prefix = BUILD_ARGS_PREFIX.exec(text)
  if (!prefix) return text
  const words = text.slice(prefix[0].length).split(' ')
  const shellAt = words.findIndex((_, index) => SHELL_PREFIX.test(words.slice(index).join(' ')))
  return words.slice(shellAt >= 0 ? shellAt : Number(prefix[1])).join(' ')
}

function stripShell(command: string): string {
  const shell = SHELL_PREFIX.exec(command)
  return shell ? command.slice(shell[0].length) : command
}

/** COPY/ADD arguments without flags; classic-builder `file:<hash> in /dest` becomes `file:<short hash> /dest`. */
function recordedCopy(args: string): string {
  const words = args.split(' ')
  while (words[0]?.startsWith('--')) words.shift()
  const text = words.join(' ')
  const legacy = LEGACY_COPY.exec(text)
  if (!legacy || !LEGACY_HASH.test(legacy[1] ?? '')) return text
  return `${(legacy[1] ?? '').replace(LEGACY_HASH, '$1')} ${legacy[2] ?? ''}`
}

/**
 * Pairs instructions with recorded entries: the longest in-order run of entries that agree with their
 * instruction, then same-keyword pairs in between whose counts line up exactly.
 */
function alignInstructions(instructions: Instruction[], recorded: RecordedInstruction[]): Pair[] {
  const agrees = instructions.map((instruction) => recorded.map((entry) => sameInstruction(instruction, entry)))
  const anchors = commonSubsequence(agrees, recorded.length)
  const filled = gapsBetween(anchors, instructions.length, recorded.length).flatMap(([from, to]) =>
    pairGap(instructions, recorded, from, to)
  )
  return [...anchors, ...filled]
}

/** Longest common subsequence of agreeing pairs, ascending; ties go to the latest entries. */
function commonSubsequence(agrees: boolean[][], columns: number): Pair[] {
  const width = columns + 1
  const table = new Array<number>((agrees.length + 1) * width).fill(0)
  const at = (row: number, column: number): number => table[row * width + column] ?? 0
  const agree = (row: number, column: number): boolean => agrees[row - 1]?.[column - 1] === true
  for (let row = 1; row <= agrees.length; row++) {
    for (let column = 1; column <= columns; column++) {
      const best = agree(row, column) ? at(row - 1, column - 1) + 1 : Math.max(at(row - 1, column), at(row, column - 1))
      table[row * width + column] = best
    }
  }
  const pairs: Pair[] = []
  for (let row = agrees.length, column = columns; row > 0 && column > 0;) {
    if (agree(row, column) && at(row, column) === at(row - 1, column - 1) + 1) pairs.unshift([--row, --column])
    // On a tie give up the instruction, not the entry, so later entries stay in play.
    else if (at(row - 1, column) >= at(row, column - 1)) row--
    else column--
  }
  return pairs
}

/** The unpaired stretches between anchors, as exclusive [from, to] corners. */
function gapsBetween(anchors: Pair[], rows: number, columns: number): [Pair, Pair][] {
  const corners: Pair[] = [[-1, -1], ...anchors, [rows, columns]]
  return corners.slice(1).map((to, index): [Pair, Pair] => [corners[index] ?? [-1, -1], to])
}

/** Pairs a gap one-to-one when it holds as many entries as instructions and every keyword agrees. */
function pairGap(instructions: Instruction[], recorded: RecordedInstruction[], from: Pair, to: Pair): Pair[] {
  const count = to[0] - from[0] - 1
  if (count <= 0 || to[1] - from[1] - 1 !== count) return []
  const pairs = Array.from({ length: count }, (_, offset): Pair => [from[0] + 1 + offset, from[1] + 1 + offset])
  const sameKeywords = pairs.every(([row, column]) => instructions[row]?.keyword === recorded[column]?.keyword)
  return sameKeywords ? pairs : []
}

type ArgumentCheck = (instruction: Instruction, recordedArgs: string) => boolean

/** Keyword agrees and, where the recorded form allows, the arguments too. */
function sameInstruction(instruction: Instruction, entry: RecordedInstruction): boolean {
  // An unrecognised created_by may still be a classic-builder exec-form RUN.
  const keyword = entry.keyword ?? (instruction.keyword === 'RUN' ? 'RUN' : undefined)
  if (keyword !== instruction.keyword) return false
  const check = ARGUMENT_CHECKS.get(keyword)
  return check ? check(instruction, entry.args) : true
}

/** The command BuildKit records for a RUN: exec-form words joined, or the shell text with heredocs inlined. */
function commandOf(instruction: Instruction): string {
  const exec = execForm(instruction)
  if (exec) return stripShell(collapse(exec.join(' ')))
  const docs = instruction.heredocs ?? []
  const [only] = docs
  if (only && docs.length === 1 && HEREDOC_ONLY.test(instruction.args)) return collapse(only.body)
  return collapse(instruction.args + docs.map((doc) => `\n${doc.body}${doc.name}`).join(''))
}

const sameCommand: ArgumentCheck = (instruction, recordedArgs) => {
  const expected = commandOf(instruction)
  if (expected && (recordedArgs === expected || recordedArgs.endsWith(` ${expected}`))) return true
  // A heredoc starting with a shebang runs as a file mounted at /dev/pipes/<name>.
  return (instruction.heredocs ?? []).some((doc) => recordedArgs.endsWith(`/dev/pipes/${doc.name}`))
}

/** COPY/ADD: same destination and source basenames; BuildKit drops or keeps flags and rewrites little else. */
const sameCopy: ArgumentCheck = (instruction, recordedArgs) => {
  const expected = execForm(instruction) ?? words(instruction.args)
  const recorded = words(recordedArgs)
  const expectedSources = expected.slice(0, -1)
  const recordedSources = recorded.slice(0, -1)
  const legacy = recordedSources.some((source) => LEGACY_HASH.test(source))
  const sourcesAgree = expectedSources.every(
    (source) => legacy || source.includes('$') || recordedSources.some((candidate) => basename(candidate) === basename(source))
  )
  return sourcesAgree && samePath(expected[expected.length - 1] ?? '', recorded[recorded.length - 1] ?? '')
}

/** A path as written against the one recorded, which may be resolved against WORKDIR or expanded. */
function samePath(expected: string, recorded: string): boolean {
  if (expected.includes('$')) return true
  const want = trimSlashes(expected)
  const got = trimSlashes(recorded)
  if (want === got) return true
  if (want.startsWith('/')) return false
  return want === '.' ? got.startsWith('/') : got.endsWith(`/${want.replace(/^\.\//, '')}`)
}

const sameWorkdir: ArgumentCheck = (instruction, recordedArgs) => samePath(instruction.args.trim(), recordedArgs)

/** ENV, ARG, LABEL: every name the instruction sets is recorded (values are expanded and unquoted there). */
const sameNames: ArgumentCheck = (instruction, recordedArgs) => {
  const recorded = new Set(namesIn(recordedArgs, instruction.keyword))
  return namesIn(instruction.args, instruction.keyword).every((name) => name.includes('$') || recorded.has(name))
}

function namesIn(args: string, keyword: string): string[] {
  const all = words(args)
  const [first] = all
  // `ENV KEY value with spaces` is the older one-variable form.
  if (keyword !== 'ARG' && first !== undefined && !first.includes('=')) return [unquote(first)]
  const assignments = keyword === 'ARG' ? all : all.filter((word) => word.includes('='))
  const names = assignments.map((word) => unquote(word.split('=')[0] ?? ''))
  return keyword === 'ARG' ? names.filter((name) => IDENTIFIER.test(name) || name.includes('$')) : names
}

const sameText: ArgumentCheck = (instruction, recordedArgs) => instruction.args.includes('$') || collapse(instruction.args) === recordedArgs

/** EXPOSE is recorded as `map[8080/tcp:{}]` or `[8080/tcp]` (BuildKit) or as written (classic builder). */
const samePorts: ArgumentCheck = (instruction, recordedArgs) => {
  const recorded = new Set(recordedArgs.match(DIGITS) ?? [])
  return words(instruction.args).every((port) => port.includes('$') || recorded.has(port.match(DIGITS)?.[0] ?? ''))
}

/** CMD/ENTRYPOINT are recorded with Go's %q: `["/app" "--flag"]`; a shell form ends in its command. */
const sameArgv: ArgumentCheck = (instruction, recordedArgs) => {
  const recorded = [...recordedArgs.matchAll(QUOTED)].map((match) => unescapeQuoted(match[1] ?? ''))
  const expected = execForm(instruction) ?? [instruction.args]
  const tail = recorded.slice(recorded.length - expected.length)
  return tail.length === expected.length && expected.every((word, index) => collapse(word) === collapse(tail[index] ?? ''))
}

/** VOLUME is recorded as `[/data /cache]`. */
const sameVolumes: ArgumentCheck = (instruction, recordedArgs) => {
  const recorded = words(recordedArgs.replace(/^\[|\]$/g, ''))
  const expected = execForm(instruction) ?? words(instruction.args)
  return expected.every((volume) => volume.includes('$') || recorded.includes(volume))
}

/** Keywords absent here (HEALTHCHECK, SHELL, ONBUILD, MAINTAINER) are recorded in forms only the keyword survives. */
const ARGUMENT_CHECKS: ReadonlyMap<string, ArgumentCheck> = new Map([
  ['RUN', sameCommand],
  ['COPY', sameCopy],
  ['ADD', sameCopy],
  ['WORKDIR', sameWorkdir],
  ['ENV', sameNames],
  ['ARG', sameNames],
  ['LABEL', sameNames],
  ['USER', sameText],
  ['STOPSIGNAL', sameText],
  ['EXPOSE', samePorts],
  ['CMD', sameArgv],
  ['ENTRYPOINT', sameArgv],
  ['VOLUME', sameVolumes]
])

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

function words(text: string): string[] {
  const collapsed = collapse(text)
  return collapsed ? collapsed.split(' ') : []
}

function trimSlashes(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') || '/' : path
}

function basename(path: string): string {
  const heredoc = HEREDOC_SOURCE.exec(path)
  if (heredoc) return `<<${heredoc[1] ?? ''}`
  const trimmed = trimSlashes(path)
  return trimmed.slice(trimmed.lastIndexOf('/') + 1) || trimmed
}

function unquote(text: string): string {
  return text.replace(/["']/g, '')
}

/** Go's %q escapes are JSON's for everything an image config holds in practice. */
function unescapeQuoted(text: string): string {
  try {
    const value: unknown = JSON.parse(`"${text}"`)
    return typeof value === 'string' ? value : text
  } catch {
    return text
  }
}
