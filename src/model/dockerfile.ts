import { UserError } from '../errors.js'

/** One Dockerfile instruction as BuildKit's parser sees it. */
export interface Instruction {
  /** Upper-case keyword: FROM, RUN, COPY… */
  keyword: string
  /** Everything after the flags, with line continuations joined (the heredoc bodies are in `heredocs`). */
  args: string
  /** Leading `--name=value` flags, unquoted; a bare `--link` is 'true'; a repeated flag (`--mount`) is joined with '\n'. */
  flags: Record<string, string>
  /** 1-based line of the keyword. */
  line: number
  /** 1-based last line, including continuations and heredoc terminators. */
  endLine: number
  /** The source lines from `line` to `endLine`. */
  raw: string
  /** Here-documents (`<<EOF … EOF`) that belong to a RUN, COPY or ADD, in order. */
  heredocs?: Heredoc[]
}

/** The body of one `<<NAME` here-document; `body` is every line followed by '\n', as BuildKit stores it. */
export interface Heredoc {
  name: string
  body: string
}

/** A build stage: a FROM and the instructions up to the next FROM. */
export interface Stage {
  index: number
  /** The `AS name`, lower-cased as BuildKit does. */
  name?: string
  /** The FROM image, with global ARG values substituted where they are known. */
  base: string
  platform?: string
  from: Instruction
  /** The instructions after FROM. */
  instructions: Instruction[]
}

export interface Dockerfile {
  path: string
  stages: Stage[]
  /** ARGs declared before the first FROM, with their effective value (build-arg, else default); undefined if neither. */
  globalArgs: Record<string, string | undefined>
}

type Scope = Record<string, string | undefined>

const DIRECTIVE = /^#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.+?)[ \t]*$/
const COMMENT = /^\s*#/
const BLANK = /^\s*$/
const SPACE = /\s/
const BACKSLASH_CONTINUATION = /\\[ \t]*$/
const BACKTICK_CONTINUATION = /`[ \t]*$/
const KEYWORD = /^\s*(\S+)\s*([\s\S]*)$/
/** BuildKit's heredoc word: optional fd, `<<`, optional `-`, then a (possibly quoted) name. */
const HEREDOC_WORD = /^(\d*)<<(-?)([^<]+)$/
const HEREDOC_KEYWORDS: ReadonlySet<string> = new Set(['RUN', 'COPY', 'ADD'])
const VARIABLE_REFERENCE = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/

/**
 * Parses a Dockerfile the way BuildKit splits it into instructions and stages. It never rejects odd
 * syntax (buildx reports that); `buildArgs` override the defaults of global ARGs, as `--build-arg` does.
 */
export function parseDockerfile(text: string, path: string, buildArgs: Record<string, string> = {}): Dockerfile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  const escape = escapeToken(lines)
  const globalArgs: Scope = {}
  const stages: Stage[] = []
  for (const instruction of readInstructions(lines, escape)) {
    const current = stages[stages.length - 1]
    if (instruction.keyword === 'FROM') stages.push(toStage(instruction, stages.length, globalArgs, escape))
    else if (current) current.instructions.push(instruction)
    else if (instruction.keyword === 'ARG') declareGlobalArgs(instruction.args, globalArgs, buildArgs, escape)
  }
  return { path, stages, globalArgs }
}

/** The stage buildx builds: `target` by name (case-insensitive), else the last stage. */
export function selectStage(dockerfile: Dockerfile, target?: string): Stage {
  const last = dockerfile.stages[dockerfile.stages.length - 1]
  if (!last) throw new UserError(`${dockerfile.path} has no FROM instruction; a Dockerfile needs at least one stage`)
  const wanted = target?.trim().toLowerCase()
  if (!wanted) return withAncestors(dockerfile, last)
  const stage = dockerfile.stages.find((candidate) => candidate.name === wanted)
  if (stage) return withAncestors(dockerfile, stage)
  const names = dockerfile.stages.flatMap((candidate) => (candidate.name ? [candidate.name] : []))
  const known = names.length > 0 ? `its stages are ${names.join(', ')}` : 'it has no named stages (name one with FROM … AS name)'
  throw new UserError(`target: stage "${target?.trim()}" is not in ${dockerfile.path}; ${known}`)
}

/**
 * A stage built on an earlier stage (`FROM runtime AS debug`) holds that stage's layers too, so it is
 * flattened: the first stage of the chain gives the FROM image and line, and every instruction follows.
 */
function withAncestors(dockerfile: Dockerfile, stage: Stage): Stage {
  const name = stage.base.toLowerCase()
  const parent = dockerfile.stages.find((candidate) => candidate.index < stage.index && candidate.name === name)
  if (!parent) return stage
  const root = withAncestors(dockerfile, parent)
  const flattened: Stage = { ...stage, base: root.base, from: root.from, instructions: [...root.instructions, ...stage.instructions] }
  if (root.platform) flattened.platform = root.platform
  else delete flattened.platform
  return flattened
}

/** The arguments of an exec-form (JSON array) instruction, or undefined for shell form. */
export function execForm(instruction: Instruction): string[] | undefined {
  return parseJsonArray(instruction.args.trim())
}

/** A JSON array of strings, as exec form and some recorded history use; anything else is undefined. */
export function parseJsonArray(text: string): string[] | undefined {
  if (!text.startsWith('[')) return undefined
  try {
    const parsed: unknown = JSON.parse(text)
    const isStrings = Array.isArray(parsed) && parsed.every((item) => typeof item === 'string')
    return isStrings ? (parsed as string[]) : undefined
  } catch {
    return undefined
  }
}

/** The `# escape=` parser directive; directives only count before the first other line. */
function escapeToken(lines: string[]): string {
  for (const line of lines) {
    const directive = DIRECTIVE.exec(line)
    if (!directive) break
    const value = directive[2]
    if (directive[1]?.toLowerCase() === 'escape' && (value === '`' || value === '\\')) return value
  }
  return '\\'
}

/** Splits the lines into instructions, skipping comments and blank lines. */
function readInstructions(lines: string[], escape: string): Instruction[] {
  const instructions: Instruction[] = []
  let index = 0
  while (index < lines.length) {
    const current = lines[index] ?? ''
    if (COMMENT.test(current) || BLANK.test(current)) {
      index++
      continue
    }
    const logical = readLogicalLine(lines, index, escape)
    const instruction = toInstruction(logical.text, index + 1, escape)
    const heredocs = readHeredocs(lines, logical.next, heredocNames(instruction, escape))
    const endLine = heredocs.next > logical.next ? heredocs.next : logical.endLine
    if (heredocs.docs.length > 0) instruction.heredocs = heredocs.docs
    instruction.endLine = endLine
    instruction.raw = lines.slice(index, endLine).join('\n')
    instructions.push(instruction)
    index = heredocs.next
  }
  return instructions
}

interface LogicalLine {
  text: string
  /** Index of the first line after this instruction. */
  next: number
  /** 1-based line of the last line that contributed text. */
  endLine: number
}

/** Joins continuation lines; comment and blank lines inside a continuation are skipped, as BuildKit does. */
function readLogicalLine(lines: string[], start: number, escape: string): LogicalLine {
  const continuation = escape === '`' ? BACKTICK_CONTINUATION : BACKSLASH_CONTINUATION
  let text = ''
  let endLine = start + 1
  let index = start
  while (index < lines.length) {
    const current = lines[index] ?? ''
    index++
    if (index - 1 > start && (COMMENT.test(current) || BLANK.test(current))) continue
    endLine = index
    if (!continuation.test(current)) return { text: text + current, next: index, endLine }
    text += current.replace(continuation, '')
  }
  return { text, next: index, endLine }
}

/** Keyword, flags and arguments of one logical line; line numbers are completed by the caller. */
function toInstruction(text: string, line: number, escape: string): Instruction {
  const match = KEYWORD.exec(text)
  const keyword = (match?.[1] ?? '').toUpperCase()
  const { flags, rest } = extractFlags(match?.[2] ?? '', escape)
  return { keyword, args: rest.trim(), flags, line, endLine: line, raw: text }
}

/** Reads leading `--flag[=value]` words as BuildKit does for every instruction; `--` ends them. */
function extractFlags(text: string, escape: string): { flags: Record<string, string>; rest: string } {
  const flags: Record<string, string> = {}
  let rest = text
  for (const word of splitWords(text, escape)) {
    if (!word.raw.startsWith('--')) break
    rest = text.slice(word.end)
    if (word.raw === '--') break
    const equals = word.value.indexOf('=')
    const name = equals < 0 ? word.value.slice(2) : word.value.slice(2, equals)
    const value = equals < 0 ? 'true' : word.value.slice(equals + 1)
    flags[name] = name in flags ? `${flags[name]}\n${value}` : value
  }
  return { flags, rest }
}

interface Word {
  /** The word as written, quotes included. */
  raw: string
  /** The word with quotes removed and escapes applied. */
  value: string
  end: number
}

/** Shell-like word splitting that honours quotes and the escape token. */
function splitWords(text: string, escape: string): Word[] {
  const words: Word[] = []
  let index = 0
  while (index < text.length) {
    while (index < text.length && SPACE.test(text[index] ?? '')) index++
    if (index >= text.length) break
    const start = index
    let value = ''
    let quote = ''
    for (; index < text.length; index++) {
      const char = text[index] ?? ''
      const escaped = char === escape && index + 1 < text.length && quote !== "'"
      if (!quote && SPACE.test(char)) break
      if (escaped) value += text[++index] ?? ''
      else if (char === quote) quote = ''
      else if (!quote && (char === '"' || char === "'")) quote = char
      else value += char
    }
    words.push({ raw: text.slice(start, index), value, end: index })
  }
  return words
}

interface HeredocName {
  name: string
  /** `<<-` strips leading tabs from the body and terminator. */
  chomp: boolean
}

/** The here-documents a RUN, COPY or ADD opens (exec form never does: its words start with a quote). */
function heredocNames(instruction: Instruction, escape: string): HeredocName[] {
  if (!HEREDOC_KEYWORDS.has(instruction.keyword) || !instruction.args.includes('<<')) return []
  return splitWords(instruction.args, escape).flatMap((word) => {
    const match = HEREDOC_WORD.exec(word.raw)
    const name = splitWords(match?.[3] ?? '', escape)[0]?.value ?? ''
    return match && name ? [{ name, chomp: match[2] === '-' }] : []
  })
}

/** Reads each heredoc body up to its terminator line; an unterminated one runs to the end of the file. */
function readHeredocs(lines: string[], start: number, names: HeredocName[]): { docs: Heredoc[]; next: number } {
  const docs: Heredoc[] = []
  let index = start
  for (const { name, chomp } of names) {
    let body = ''
    while (index < lines.length) {
      const current = lines[index] ?? ''
      index++
      const line = chomp ? current.replace(/^\t+/, '') : current
      if (line === name) break
      body += `${line}\n`
    }
    docs.push({ name, body })
  }
  return { docs, next: index }
}

/** A stage from its FROM instruction: `[--platform=…] image [AS name]`. */
function toStage(from: Instruction, index: number, globalArgs: Scope, escape: string): Stage {
  const words = splitWords(from.args, escape)
  const image = words[0]?.raw ?? ''
  const name = words[1]?.value.toLowerCase() === 'as' ? words[2]?.value.toLowerCase() : undefined
  const stage: Stage = { index, base: expandWord(image, globalArgs, escape), from, instructions: [] }
  if (name) stage.name = name
  if (from.flags.platform !== undefined) stage.platform = expandWord(from.flags.platform, globalArgs, escape)
  return stage
}

/** Records `ARG NAME[=default] …` before the first FROM; a build-arg wins over the default. */
function declareGlobalArgs(args: string, globalArgs: Scope, buildArgs: Record<string, string>, escape: string): void {
  for (const word of splitWords(args, escape)) {
    const equals = word.raw.indexOf('=')
    const name = equals < 0 ? word.value : word.raw.slice(0, equals)
    if (!name) continue
    const fallback = equals < 0 ? undefined : expandWord(word.raw.slice(equals + 1), globalArgs, escape)
    globalArgs[name] = Object.hasOwn(buildArgs, name) ? buildArgs[name] : fallback
  }
}

/**
 * Substitutes `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:+alt}`, `${VAR+alt}`
 * and removes quotes. A reference to a variable with no known value is kept as written so a
 * message can show it.
 */
function expandWord(text: string, scope: Scope, escape: string): string {
  let out = ''
  let quote = ''
  for (let index = 0; index < text.length; index++) {
    const char = text[index] ?? ''
    const reference = char === '$' && quote !== "'" ? VARIABLE_REFERENCE.exec(text.slice(index)) : null
    if (char === escape && index + 1 < text.length && quote !== "'") out += text[++index] ?? ''
    else if (reference) {
      out += resolveReference(reference, scope, escape)
      index += reference[0].length - 1
    } else if (char === quote) quote = ''
    else if (!quote && (char === '"' || char === "'")) quote = char
    else out += char
  }
  return out
}

/** The value of one matched `VARIABLE_REFERENCE`, following POSIX parameter expansion. */
function resolveReference(reference: RegExpExecArray, scope: Scope, escape: string): string {
  const name = reference[1] ?? reference[4] ?? ''
  const value = Object.hasOwn(scope, name) ? scope[name] : undefined
  const word = (): string => expandWord(reference[3] ?? '', scope, escape)
  switch (reference[2]) {
    case ':-':
      return value ? value : word()
    case '-':
      return value !== undefined ? value : word()
    case ':+':
      return value ? word() : ''
    case '+':
      return value !== undefined ? word() : ''
    default:
      return value !== undefined ? value : reference[0]
  }
}
