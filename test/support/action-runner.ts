import { execFile, execFileSync, spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { promisify } from 'node:util'

export const ROOT = resolve(import.meta.dirname, '../..')
export const EXAMPLE = join(ROOT, 'examples/go-service')
export const FIXTURES = join(ROOT, 'test/integration/fixtures')

/** The Node that runs the bundle: the runner's (node24, set by scripts/test.sh), else the one on PATH. */
export const ACTION_NODE = process.env['ISG_ACTION_NODE'] || 'node'

/** The engine's client settings the runner's environment carries into the action. */
const ENGINE_ENV = ['DOCKER_HOST', 'DOCKER_CONFIG'] as const

export type ImageStore = 'classic' | 'containerd'

/** The engine under test, asked once, so every describe name says where it ran. */
export interface Engine {
  version: string
  store: ImageStore
  label: string
}

function probeEngine(): Engine {
  const format = '{{.ServerVersion}}|{{.Driver}}|{{json .DriverStatus}}'
  const [version = '?', driver = '?', status = ''] = execFileSync('docker', ['info', '--format', format], { encoding: 'utf8' })
    .trim()
    .split('|')
  const store: ImageStore = status.includes('io.containerd.snapshotter') ? 'containerd' : 'classic'
  const node = execFileSync(ACTION_NODE, ['--version'], { encoding: 'utf8' }).trim()
  return { version, store, label: `docker ${version}, ${store} store (${driver}), node ${node}` }
}

export const ENGINE: Engine = probeEngine()

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

/** Runs the bundled CLI. */
export async function runCli(args: string[], extraEnv: Record<string, string> = {}) {
  const env = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/root', ...engineEnv(), ...extraEnv }
  return spawnCollect(ACTION_NODE, [join(ROOT, 'dist/cli/index.js'), ...args], env, ROOT)
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

const exec = promisify(execFile)

/** The classic-store engine that gives the containerd store's images a comparable size: the host's 20.10. */
const CLASSIC_REFERENCE = 'unix:///var/run/docker.sock'

/**
 * What the engine itself says an image weighs uncompressed. The containerd store has no such figure
 * (inspect's Size counts stored, compressed content; history and df count 4 KiB blocks), so there it is
 * the classic store's Size of the very same layers, from a copy loaded into the reference engine.
 */
export async function dockerSize(image: string, platform?: string): Promise<number> {
  if (ENGINE.store === 'classic') return inspectSize(image, process.env)
  return classicSizeOfCopy(image, platform)
}

async function inspectSize(image: string, env: NodeJS.ProcessEnv): Promise<number> {
  const { stdout } = await exec('docker', ['image', 'inspect', '--format', '{{.Size}}', image], { env })
  return Number(stdout.trim())
}

async function classicSizeOfCopy(image: string, platform?: string): Promise<number> {
  const reference = { ...process.env, DOCKER_HOST: CLASSIC_REFERENCE }
  const archive = join(await mkdtemp(join(tmpdir(), 'isg-size-')), 'image.tar')
  try {
    // Saved by its ID, so the copy carries no tag into the reference engine.
    const id = (await dockerOk(['image', 'inspect', '--format', '{{.Id}}', image])).trim()
    await exec('docker', ['save', ...(platform ? ['--platform', platform] : []), '-o', archive, id])
    const before = await exec('docker', ['image', 'ls', '--quiet', '--no-trunc'], { env: reference })
    const { stdout } = await exec('docker', ['load', '--quiet', '--input', archive], { env: reference })
    const loaded = /^Loaded image ID: (sha256:[0-9a-f]{64})$/m.exec(stdout)?.[1]
    if (loaded === undefined) throw new Error(`docker load of ${image} into ${CLASSIC_REFERENCE} said: ${stdout}`)
    const size = await inspectSize(loaded, reference)
    if (!before.stdout.includes(loaded)) await exec('docker', ['image', 'rm', loaded], { env: reference })
    return size
  } finally {
    await rm(dirname(archive), { recursive: true, force: true })
  }
}

export async function dockerOk(args: string[]): Promise<string> {
  const { stdout } = await exec('docker', args, { maxBuffer: 1 << 26 })
  return stdout
}

/** Annotation commands (`::error file=…,line=…::message`) the action printed. */
export function annotations(stdout: string): { level: string; properties: string; message: string }[] {
  return [...stdout.matchAll(/^::(error|warning|notice)( [^:]*)?::(.*)$/gm)].map((match) => ({
    level: match[1] as string,
    properties: (match[2] ?? '').trim(),
    message: match[3] as string
  }))
}
