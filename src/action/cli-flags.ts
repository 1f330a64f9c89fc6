/**
 * The command line's flags: one per action input, of the same name (a list input keeps docker's
 * singular, repeatable flag), and the few the terminal alone has. An input added to action.yml (and so
 * to `Input`) gets its flag here without another line.
 */
import type { ParseArgsConfig } from 'node:util'
import { UserError } from '../errors.js'
import { Input, type InputReader } from '../inputs.js'

/** Inputs that only make sense inside a workflow: the pull request comment and its token. */
export const ACTION_ONLY: readonly Input[] = [Input.GithubToken, Input.Comment]

/** List inputs whose flag is docker's singular, given once per item. */
const SINGULAR: Partial<Record<Input, string>> = { [Input.BuildArgs]: 'build-arg', [Input.Secrets]: 'secret' }

/** List inputs taken once per item, joined into the input's newline list. */
const REPEATABLE: readonly Input[] = [Input.BuildArgs, Input.Secrets, Input.CacheFrom, Input.CacheTo]

export enum OutputFormat {
  Text = 'text',
  Json = 'json',
  Markdown = 'markdown'
}

/** Flags that are the terminal's own. */
const CLI_ONLY = {
  'no-compressed': { type: 'boolean' },
  report: { type: 'string' },
  'history-file': { type: 'string' },
  format: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean' }
} as const

type Options = NonNullable<ParseArgsConfig['options']>

/** The flag that sets this input. */
export function flagOf(input: Input): string {
  return SINGULAR[input] ?? input
}

/** Every input's flag (but the action's own) and the terminal's, for node's parseArgs. */
export function cliOptions(): Options {
  const inputs = Object.values(Input).filter((input) => !ACTION_ONLY.includes(input))
  const flags = Object.fromEntries(inputs.map((input) => [flagOf(input), { type: 'string', multiple: REPEATABLE.includes(input) }]))
  return { ...flags, ...CLI_ONLY } as Options
}

/** Reads each input from its flag, as the action reads it from `with:`; a repeated flag is the input's newline list. */
export function flagReader(values: Record<string, string | boolean | (string | boolean)[] | undefined>): InputReader {
  return (name) => {
    if (ACTION_ONLY.includes(name)) return ''
    const value = values[flagOf(name)]
    return Array.isArray(value) ? value.join('\n') : typeof value === 'string' ? value : ''
  }
}

/** `--format`, with `--json` as its older spelling. */
export function outputFormat(format: string | undefined, json: boolean): OutputFormat {
  const chosen = format ?? (json ? OutputFormat.Json : OutputFormat.Text)
  if (!Object.values(OutputFormat).includes(chosen as OutputFormat)) {
    throw new UserError(`--format: '${chosen}' is not a format; use text, json or markdown`)
  }
  if (json && chosen !== OutputFormat.Json) throw new UserError(`--json and --format ${chosen} disagree; give one`)
  return chosen as OutputFormat
}

/** One help line per input flag: what the action's README says of it, in a few words. */
const INPUT_HELP: Partial<Record<Input, string>> = {
  [Input.Context]: 'DIR build context (default .)',
  [Input.File]: 'PATH Dockerfile (default CONTEXT/Dockerfile)',
  [Input.Target]: 'STAGE stage to build',
  [Input.BuildArgs]: 'KEY=VALUE build argument (repeatable)',
  [Input.Platform]: 'OS/ARCH platform to build, or to pick from a multi-platform image',
  [Input.Platforms]: 'LIST several platforms, comma separated; each is built and judged',
  [Input.Builder]: 'NAME buildx builder',
  [Input.CacheFrom]: 'SPEC (repeatable)',
  [Input.CacheTo]: 'SPEC (repeatable)',
  [Input.Secrets]: 'ID=VALUE (repeatable)',
  [Input.Network]: 'MODE network for RUN (e.g. none)',
  [Input.Image]:
    'REF analyse this image instead of building: a local name, oci-archive:PATH[:REF], oci:DIR[:REF] or docker-archive:PATH[:REF]',
  [Input.MaxSize]: 'SIZE budget, e.g. 25MB, 25MiB, 0.5GB',
  [Input.SizeMetric]: 'METRIC uncompressed (default) or compressed',
  [Input.FailOnGoToolchain]: 'B true (default) or false',
  [Input.Baseline]: 'MODE auto, build or none (build needs a base commit, which only a pull request event has)',
  [Input.BaselineImage]: 'REF compare with this image: a local name, a file as for --image, or a registry reference',
  [Input.BaselineReport]: 'PATH compare with a report saved by an earlier run',
  [Input.MaxGrowth]: 'LIMIT growth budget against the baseline: 10% or 5MB',
  [Input.CommentKey]: 'KEY key of the comment, in its marker (--format markdown)',
  [Input.FailOnBrokenEntrypoint]: 'B true (default) or false',
  [Input.MaxWasted]: 'LIMIT budget for overwritten or deleted bytes: 5MB or 10%',
  [Input.History]: "BRANCH the action's size-history branch; on the command line, see --history-file",
  [Input.Engine]: 'NAME docker (default) or podman'
}

const CLI_HELP: Record<keyof typeof CLI_ONLY, string> = {
  'no-compressed': 'skip measuring compressed sizes (faster)',
  report: 'PATH write the JSON report to PATH',
  'history-file': 'PATH append this run to a JSON-lines size history and print its last records',
  format: 'FORMAT text (default), json (the report) or markdown (the pull request comment, as the action posts it)',
  json: 'the same as --format json',
  quiet: 'no build progress on stderr',
  help: 'show this help'
}

/** The help text's flag lines, every input included: one without its own words says which input it sets. */
export function flagHelp(): string[] {
  const inputs = Object.values(Input).filter((input) => !ACTION_ONLY.includes(input))
  const lines = inputs.map((input) => [`--${flagOf(input)}`, INPUT_HELP[input] ?? `VALUE the action's ${input} input`] as const)
  const own = Object.entries(CLI_HELP).map(([flag, help]) => [`--${flag}`, help] as const)
  return [...lines, ...own].map(([flag, help]) => {
    const [word = '', ...rest] = help.split(' ')
    const argument = /^[A-Z=_/]+$/.test(word) ? ` ${word}` : ''
    return `  ${`${flag}${argument}`.padEnd(28)} ${argument ? rest.join(' ') : help}`
  })
}
