import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { parse } from 'yaml'
import { ACTION_ONLY, OutputFormat, cliOptions, flagHelp, flagOf, flagReader, outputFormat } from '../../../src/action/cli-flags.js'
import type { Input } from '../../../src/inputs.js'

const root = resolve(import.meta.dirname, '../../..')
const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> }
/** Every input of action.yml, as its users see them: the CLI must take each, but the action's own two. */
const inputs = Object.keys(action.inputs) as Input[]
const cliInputs = inputs.filter((input) => !ACTION_ONLY.includes(input))

/** What the input reader hands parseInputs for `input` after this command line. */
function readAfter(args: string[], input: Input): string {
  const { values } = parseArgs({ args, options: cliOptions(), strict: true, allowPositionals: false })
  return flagReader(values)(input)
}

describe('the command line has a flag for every input of action.yml', () => {
  it('leaves out only the comment and its token, which belong to a workflow', () => {
    expect(inputs.filter((input) => ACTION_ONLY.includes(input)).sort()).toEqual(['comment', 'github-token'])
    expect(cliInputs.length).toBeGreaterThanOrEqual(24)
  })

  it.each(cliInputs)('--%s reaches the input of the same name', (input) => {
    const flag = flagOf(input)
    expect(flag === input || `${flag}s` === input).toBe(true)
    expect(readAfter([`--${flag}`, 'some value'], input)).toBe('some value')
  })

  it.each(['build-args', 'secrets', 'cache-from', 'cache-to'] as Input[])('%s takes its flag once per item, as a newline list', (input) => {
    expect(readAfter([`--${flagOf(input)}`, 'A=1', `--${flagOf(input)}`, 'B=2'], input)).toBe('A=1\nB=2')
  })

  it.each(ACTION_ONLY)('--%s is not a flag', (input) => {
    expect(() => parseArgs({ args: [`--${input}`, 'x'], options: cliOptions(), strict: true })).toThrow(/Unknown option/)
  })

  it.each(cliInputs)('--help describes --%s', (input) => {
    expect(flagHelp().some((line) => line.trimStart().startsWith(`--${flagOf(input)} `))).toBe(true)
  })
})

describe('docs/cli.md', () => {
  const doc = readFileSync(join(root, 'docs/cli.md'), 'utf8')
  const inputFlags = new Set(cliInputs.map(flagOf))
  const own = Object.keys(cliOptions()).filter((flag) => !inputFlags.has(flag))

  it.each(own)("describes the command line's own flag --%s in its table", (flag) => {
    expect(doc).toMatch(new RegExp(`^\\| \`--${flag}[ \`]`, 'm'))
  })

  it('names the singular flags of the list inputs', () => {
    for (const input of ['build-args', 'secrets'] as Input[]) expect(doc).toContain(`\`--${flagOf(input)}\``)
  })
})

describe('outputFormat', () => {
  it.each([
    [undefined, false, OutputFormat.Text],
    [undefined, true, OutputFormat.Json],
    ['markdown', false, OutputFormat.Markdown],
    ['json', true, OutputFormat.Json]
  ])('--format %s with --json %s is %s', (format, json, expected) => {
    expect(outputFormat(format, json)).toBe(expected)
  })

  it('names a format it does not know, and a contradiction', () => {
    expect(() => outputFormat('html', false)).toThrow("--format: 'html' is not a format; use text, json or markdown")
    expect(() => outputFormat('markdown', true)).toThrow('--json and --format markdown disagree; give one')
  })
})
