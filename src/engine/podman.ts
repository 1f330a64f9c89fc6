/**
 * Podman: builds with `podman build` (Buildah), reads images with `podman image save --format
 * oci-archive` as a stream, and answers what its store holds. Every call goes through the one runner.
 */
import { dockerfileFlags, type BuildPaths, type BuildRequest } from './buildx.js'
import { CommandFailed, CommandTimeout, CommandUnavailable, runCommand, streamCommand, type Finished } from './command.js'
import { JOB_LIMIT_MS } from './docker.js'
import { Deadline } from '../deadline.js'
import { seconds } from '../duration.js'
import { UserError, firstLine } from '../errors.js'
import type { Log } from '../log.js'

/** The podman CLI, overridable for unusual installs; read per call, not at load. */
export function podmanCli(): string {
  return process.env['IMAGE_SIZE_GATE_PODMAN'] ?? 'podman'
}

/** How long Podman may take to say its version: a hung store lock is reported, not waited on. */
const VERSION_TIMEOUT_MS = 60_000
/** A question Podman answers from its store (inspect, exists); generous for a store under load. */
const QUERY_TIMEOUT_MS = 120_000

async function podman(args: string[], deadline: Deadline, onLine?: (line: string) => void): Promise<Finished> {
  return runCommand(podmanCli(), args, { deadline, ...(onLine ? { onLine } : {}) }).catch((error: unknown) =>
    Promise.reject(podmanUnavailable(error))
  )
}

function podmanUnavailable(error: unknown): unknown {
  if (!(error instanceof CommandUnavailable)) return error
  return new UserError(`engine: podman could not be run (${error.reason}); install Podman, or use engine: docker`)
}

/** Podman's version; throws a UserError when it cannot be run or does not answer. */
export async function podmanVersion(): Promise<string> {
  const result = await podman(['version', '--format', '{{.Client.Version}}'], Deadline.in(VERSION_TIMEOUT_MS)).catch((error: unknown) => {
    if (!(error instanceof CommandTimeout)) throw error
    throw new UserError(`engine: podman did not say its version within ${seconds(VERSION_TIMEOUT_MS)}; its storage may be locked`)
  })
  const version = result.stdout.trim()
  if (result.exitCode !== 0 || version === '')
    throw new UserError(`engine: podman does not work here (${firstLine(result.stderr) || 'no version'})`)
  return version
}

/** The `podman build` argv for this request. Pure, for table tests. */
export function getPodmanBuildArgs(request: BuildRequest, paths: BuildPaths): string[] {
  return ['build', ...dockerfileFlags(request, paths), '--iidfile', paths.iidFile, request.context]
}

/** Runs `podman build`, streaming its steps into `log`; returns its output so a failure can be explained. */
export async function runPodmanBuild(args: string[], log: Log): Promise<Finished> {
  return podman(args, Deadline.in(JOB_LIMIT_MS), (line) => log.info(line))
}

/** The reason a failed `podman build` gives (its last `Error:` line), with the step's last output before it. */
export function explainPodmanFailure(output: string, dockerfile: string): string {
  const lines = output.split('\n').map((line) => line.replace(/\r$/, '').trimEnd())
  const at = lines.map((line) => line.startsWith('Error: ')).lastIndexOf(true)
  const reason = at === -1 ? ([...lines].reverse().find((line) => line.trim() !== '') ?? 'podman exited with an error') : lines[at]
  const before = at === -1 ? [] : lines.slice(Math.max(0, at - 5), at).filter((line) => line.trim() !== '' && !line.startsWith('['))
  return [`podman build of ${dockerfile} failed: ${(reason ?? '').replace(/^Error: /, '')}`, ...before].join('\n')
}

/** What `podman image inspect` says of an image: its ID (the config digest) and its Size (layer tars plus metadata). */
export async function inspectPodmanImage(ref: string): Promise<{ id: string; size: number }> {
  const result = await podman(['image', 'inspect', '--format', '{{.Id}} {{.Size}}', ref], Deadline.in(QUERY_TIMEOUT_MS))
  const [id, size] = result.stdout.trim().split(' ')
  if (result.exitCode !== 0 || !id || size === undefined || !/^[0-9]+$/.test(size)) {
    throw new UserError(`image: '${ref}' is not an image in Podman's store (${firstLine(result.stderr) || 'no such image'})`)
  }
  return { id: `sha256:${id.replace(/^sha256:/, '')}`, size: Number(size) }
}

/** Whether Podman's store has this image. */
export async function podmanImageExists(ref: string): Promise<boolean> {
  const result = await podman(['image', 'exists', ref], Deadline.in(QUERY_TIMEOUT_MS))
  return result.exitCode === 0
}

/**
 * Streams `podman image save --format oci-archive` into `consume`. Podman gzips each layer as a push
 * would, so the blobs' sizes are exact compressed sizes.
 */
export async function savePodmanImage<T>(ref: string, consume: (archive: AsyncIterable<Uint8Array>) => Promise<T>): Promise<T> {
  const args = ['image', 'save', '--format', 'oci-archive', ref]
  return streamCommand(podmanCli(), args, consume, { deadline: Deadline.in(JOB_LIMIT_MS) }).catch((error: unknown) => {
    if (error instanceof CommandFailed)
      throw new UserError(`image: podman image save ${ref} failed (${firstLine(error.stderr) || `exit code ${error.exitCode}`})`)
    throw podmanUnavailable(error)
  })
}
