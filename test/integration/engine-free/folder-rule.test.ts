import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { cp, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

// The folder rule that `npm run lint` checks (.dependency-cruiser.cjs), run on a copy of src/ with deliberate bad imports.
const exec = promisify(execFile)
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const CRUISER = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs')
let copy: string

/** Any module of a stage, so the test survives files moving inside it. */
function someModule(stage: string): string {
  const file = readdirSync(join(ROOT, 'src', stage)).find((name) => name.endsWith('.ts'))
  if (!file) throw new Error(`src/${stage} has no module to import`)
  return file
}

async function cruise(): Promise<{ failed: boolean; output: string }> {
  const args = [CRUISER, 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err']
  return exec(process.execPath, args, { cwd: copy, maxBuffer: 1 << 24 }).then(
    ({ stdout, stderr }) => ({ failed: false, output: stdout + stderr }),
    (error: { stdout: string; stderr: string }) => ({ failed: true, output: error.stdout + error.stderr })
  )
}

beforeAll(async () => {
  copy = await mkdtemp(join(tmpdir(), 'isg-folder-rule-'))
  await cp(join(ROOT, 'src'), join(copy, 'src'), { recursive: true })
  for (const file of ['tsconfig.json', '.dependency-cruiser.cjs', 'package.json']) await cp(join(ROOT, file), join(copy, file))
  await symlink(join(ROOT, 'node_modules'), join(copy, 'node_modules'))
})
afterAll(async () => rm(copy, { recursive: true, force: true }))

describe('the folder rule', () => {
  it('passes the tree as it is', async () => {
    const result = await cruise()
    expect(result.output).toContain('no dependency violations found')
    expect(result.failed).toBe(false)
  }, 120_000)

  it('fails on each kind of bad import, naming the rule and the import', async () => {
    const report = someModule('report')
    const bad: Record<string, string> = {
      'src/binary/bad-up.ts': `export * from '../report/${report.replace(/\.ts$/, '.js')}'\n`,
      'src/engine/bad-stage.ts': `export * from '../archive/${someModule('archive').replace(/\.ts$/, '.js')}'\n`,
      'src/findings/bad-engine.ts': `export * from '../engine/${someModule('engine').replace(/\.ts$/, '.js')}'\n`,
      'src/model/bad-circle-a.ts': `import { b } from './bad-circle-b.js'\nexport const a = b\n`,
      'src/model/bad-circle-b.ts': `import { a } from './bad-circle-a.js'\nexport const b = 1\nexport const c = a\n`,
      'src/report/bad-core.ts': `import * as core from '@actions/core'\nexport const log = core.info\n`,
      'src/run/bad-exec.ts': `import * as exec from '@actions/exec'\nexport const run = exec.exec\n`,
      'src/bad-shared.ts': `export * from './run/${someModule('run').replace(/\.ts$/, '.js')}'\n`
    }
    for (const [file, text] of Object.entries(bad)) await writeFile(join(copy, file), text)
    const result = await cruise()
    expect(result.failed).toBe(true)
    const errors = result.output.split('\n').filter((line) => line.trim().startsWith('error '))
    expect(errors.map((line) => line.trim().split(':')[0]).sort()).toEqual(
      [
        'error engine-imports-no-stage',
        'error no-circular',
        'error no-import-up-from-binary',
        'error only-action-imports-actions-core',
        'error only-engine-imports-actions-exec',
        'error pure-stages-call-no-engine',
        'error shared-files-import-no-folder'
      ].sort()
    )
    expect(result.output).toContain(`error no-import-up-from-binary: src/binary/bad-up.ts → src/report/${report}`)
  }, 120_000)
})
