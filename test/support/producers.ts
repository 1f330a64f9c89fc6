/**
 * The image producers that need no Docker engine, as scripts/setup-podman.sh installs them: Podman,
 * Buildah and skopeo on the host (Debian bookworm), and skopeo, crane and umoci in the forky chroot,
 * which sees only its own files, so their work goes to a folder inside it.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'

const exec = promisify(execFile)

export const FORKY = '/var/lib/isg-forky'
const FORKY_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
const PODMAN_ENV_FILE = '/opt/isg/podman/env'

/** Podman's private store for the suite (CONTAINERS_STORAGE_CONF, CONTAINERS_CONF), set in this process so the bundle inherits it. */
export async function usePodmanStore(): Promise<Record<string, string>> {
  const text = await readFile(PODMAN_ENV_FILE, 'utf8')
  const env = Object.fromEntries([...text.matchAll(/^export (\w+)=(.*)$/gm)].map((match) => [match[1] as string, match[2] as string]))
  Object.assign(process.env, env)
  return env
}

/** Runs a host program (podman, buildah, skopeo) and returns its stdout; a failure throws with its stderr. */
export async function host(command: string, args: string[]): Promise<string> {
  const { stdout } = await exec(command, args, { maxBuffer: 1 << 26, env: process.env })
  return stdout
}

/** Runs a program of the forky chroot (skopeo 1.22, crane, umoci); paths are the chroot's. */
export async function forky(command: string, args: string[]): Promise<string> {
  const { stdout } = await exec('chroot', [FORKY, command, ...args], { maxBuffer: 1 << 26, env: { PATH: FORKY_PATH, HOME: '/root' } })
  return stdout
}

/** A fresh folder both the host and the chroot can use: `host` is its path here, `inside` the chroot's. */
export async function sharedDir(): Promise<{ host: string; inside: string }> {
  const hostPath = await mkdtemp(join(FORKY, 'tmp', 'isg-producers-'))
  return { host: hostPath, inside: hostPath.slice(FORKY.length) }
}
