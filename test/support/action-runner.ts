import { execFile, execFileSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { ACTION_NODE } from './bundle.js'

export * from './bundle.js'

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
