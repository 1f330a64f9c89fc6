/**
 * Runs the committed bundle as the Actions runner does (the action) or as a user would (the CLI), with
 * no engine asked anything: engine-free tests use this alone, engine tests through action-runner.ts.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export const ROOT = resolve(import.meta.dirname, '../..')
export const EXAMPLE = join(ROOT, 'examples/go-service')
export const FIXTURES = join(ROOT, 'test/integration/fixtures')

/** The Node that runs the bundle: the runner's (node24, set by scripts/test.sh), else the one on PATH. */
export const ACTION_NODE = process.env['ISG_ACTION_NODE'] || 'node'

/** The engines' client settings the runner's environment carries into the action: Docker's, and Podman's store. */
const ENGINE_ENV = ['DOCKER_HOST', 'DOCKER_CONFIG', 'CONTAINERS_STORAGE_CONF', 'CONTAINERS_CONF'] as const

export interface ActionRun {
  exitCode: number
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
}

/** Reads the `name<<DELIMITER … DELIMITER` records that @actions/core writes to GITHUB_OUTPUT. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const pattern = /^([^<\n]+)<<(\S+)\n([\s\S]*?)\n\2$/gm
  for (const match of text.matchAll(pattern)) outputs[match[1] as string] = match[3] as string
  return outputs
}

/** Runs the committed bundle exactly as the Actions runner does: inputs as INPUT_* variables. */
export async function runAction(
  inputs: Record<string, string>,
  extraEnv: Record<string, string> = {},
  wrapper: string[] = [],
  cwd = ROOT
): Promise<ActionRun> {
  const dir = await mkdtemp(join(tmpdir(), 'isg-action-'))
  const outputFile = join(dir, 'output')
  const summaryFile = join(dir, 'summary')
  await writeFile(outputFile, '')
  await writeFile(summaryFile, '')
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? '/root',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: dir,
    ...engineEnv(),
    ...extraEnv
  }
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  const argv = [...wrapper, ACTION_NODE, join(ROOT, 'dist/index.js')]
  const { exitCode, stdout, stderr } = await spawnCollect(argv[0] as string, argv.slice(1), env, cwd)
  return {
    exitCode,
    stdout,
    stderr,
    outputs: parseOutputFile(await readFile(outputFile, 'utf8')),
    summary: await readFile(summaryFile, 'utf8')
  }
}

/** Runs the bundled CLI, from the repository's root unless told. */
export async function runCli(args: string[], extraEnv: Record<string, string> = {}, cwd = ROOT) {
  const env = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/root', ...engineEnv(), ...extraEnv }
  return spawnCollect(ACTION_NODE, [join(ROOT, 'dist/cli/index.js'), ...args], env, cwd)
}

function engineEnv(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const name of ENGINE_ENV) {
    const value = process.env[name]
    if (value) env[name] = value
  }
  return env
}

function spawnCollect(command: string, args: string[], env: Record<string, string>, cwd: string) {
  return new Promise<{ exitCode: number; stdout: string; stderr: string }>((resolvePromise, reject) => {
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolvePromise({ exitCode: code ?? -1, stdout, stderr }))
  })
}

/** Annotation commands (`::error file=…,line=…::message`) the action printed. */
export function annotations(stdout: string): { level: string; properties: string; message: string }[] {
  return [...stdout.matchAll(/^::(error|warning|notice)( [^:]*)?::(.*)$/gm)].map((match) => ({
    level: match[1] as string,
    properties: (match[2] ?? '').trim(),
    message: match[3] as string
  }))
}
