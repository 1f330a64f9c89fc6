/** The docker CLI: the engine's version, builds, and what it says about local images and registries. */
import type { BuilderInfo } from './buildx.js'
import { CommandTimeout, CommandUnavailable, runCommand, type Finished } from './command.js'
import { Deadline } from '../deadline.js'
import { seconds } from '../duration.js'
import { UserError, firstLine } from '../errors.js'
import type { Log } from '../log.js'

/** The docker CLI, overridable so tests and unusual installs can point elsewhere; read per call, not at load. */
export function dockerCli(): string {
  return process.env['IMAGE_SIZE_GATE_DOCKER'] ?? 'docker'
}

/** How long the engine may take to say its version: a hung engine is reported, not waited on. */
const ENGINE_TIMEOUT_MS = 60_000

/** A question the engine answers from its metadata (inspect, history, version); generous for an engine under load. */
const QUERY_TIMEOUT_MS = 120_000

/**
 * GitHub ends a hosted job after 6 h: a build or an image export legitimately takes as long as the
 * image needs, but not longer than the job that waits for it.
 */
export const JOB_LIMIT_MS = 6 * 60 * 60_000

/** Runs `docker ARGS` (an argument array, never a shell string) until `deadline`, in its own process group. */
export async function docker(args: string[], deadline: Deadline, onLine?: (line: string) => void): Promise<Finished> {
  return runCommand(dockerCli(), args, { deadline, ...(onLine ? { onLine } : {}) }).catch((error: unknown) =>
    Promise.reject(dockerUnavailable(error))
  )
}

/** A question for the engine, bounded by QUERY_TIMEOUT_MS. */
function query(args: string[]): Promise<Finished> {
  return docker(args, Deadline.in(QUERY_TIMEOUT_MS))
}

/** A docker CLI that cannot be started is the user's to install; other errors pass unchanged. */
export function dockerUnavailable(error: unknown): unknown {
  if (!(error instanceof CommandUnavailable)) return error
  return new UserError(`docker CLI could not be run (${error.reason}); install Docker or put docker on PATH`)
}

/** The engine's version; throws a UserError saying how to fix an unreachable or hung engine. */
export async function engineVersion(timeoutMs = ENGINE_TIMEOUT_MS): Promise<string> {
  const result = await docker(['version', '--format', '{{.Server.Version}}'], Deadline.in(timeoutMs)).catch((error: unknown) => {
    if (!(error instanceof CommandTimeout)) throw error
    throw new UserError(
      `Docker engine is not reachable (no answer within ${seconds(timeoutMs)}); start dockerd or point DOCKER_HOST at a running engine`
    )
  })
  const version = result.stdout.trim()
  if (result.exitCode !== 0 || version === '') {
    const reason = firstLine(result.stderr) || 'no server version reported'
    throw new UserError(`Docker engine is not reachable (${reason}); start dockerd or point DOCKER_HOST at a running engine`)
  }
  return version
}

let goVersion: Promise<string> | undefined

/** The Go the engine (and so its BuildKit) was built with, e.g. go1.27.1; empty when unknown. */
export function engineGoVersion(): Promise<string> {
  goVersion ??= query(['version', '--format', '{{.Server.GoVersion}}']).then((result) =>
    result.exitCode === 0 ? result.stdout.trim() : ''
  )
  return goVersion
}

let apiVersions: Promise<string[]> | undefined

/** The engine's and the CLI's API versions, e.g. ['1.48', '1.48']; none when the engine cannot say. */
export function apiVersionsOf(): Promise<string[]> {
  apiVersions ??= query(['version', '--format', '{{.Server.APIVersion}} {{.Client.APIVersion}}']).then((result) =>
    result.exitCode === 0 ? result.stdout.trim().split(' ') : []
  )
  return apiVersions
}

let endpoint: Promise<string | undefined> | undefined

/**
 * The unix socket of the current docker context's engine, if it is one. DOCKER_HOST overrides every
 * context, as for the CLI, so it is read without asking the CLI; otherwise the context says.
 */
export function localEngineSocket(): Promise<string | undefined> {
  const host = process.env['DOCKER_HOST']
  endpoint ??= host
    ? Promise.resolve(socketOf(host))
    : query(['context', 'inspect', '--format', '{{.Endpoints.docker.Host}}']).then((result) =>
        result.exitCode === 0 ? socketOf(result.stdout.trim()) : undefined
      )
  return endpoint
}

function socketOf(host: string): string | undefined {
  return host.startsWith('unix://') ? host.slice('unix://'.length) : undefined
}

export async function buildxVersion(): Promise<string> {
  const result = await query(['buildx', 'version'])
  if (result.exitCode !== 0) {
    throw new UserError(
      'docker buildx is not installed; add docker/setup-buildx-action before this step, or install the docker-buildx plugin'
    )
  }
  return result.stdout.trim()
}

/** Name and driver of the named builder, or of the current one. */
export async function inspectBuilder(name: string): Promise<BuilderInfo> {
  const result = await query(name ? ['buildx', 'inspect', name] : ['buildx', 'inspect'])
  if (result.exitCode !== 0) {
    throw new UserError(`builder: cannot use builder '${name || 'default'}' (${firstLine(result.stderr)})`)
  }
  return parseBuilderInfo(result.stdout)
}

const BUILDER_NAME = /^Name:\s*(\S+)/m
const BUILDER_DRIVER = /^Driver:\s*(\S+)/m

/** Reads `Name:` and `Driver:` from `docker buildx inspect`, which has no machine-readable format in older buildx. */
export function parseBuilderInfo(text: string): BuilderInfo {
  return { name: BUILDER_NAME.exec(text)?.[1] ?? 'default', driver: BUILDER_DRIVER.exec(text)?.[1] ?? 'docker' }
}

/** Runs a build, streaming buildx's progress into `log`; returns its output so failures can be explained. */
export async function runBuild(args: string[], log: Log): Promise<Finished> {
  return docker(args, Deadline.in(JOB_LIMIT_MS), (line) => log.info(line))
}

/** `docker image inspect` figures for a local image; a UserError when there is no such image. */
export async function inspectImage(ref: string): Promise<{ id: string; size: number; diffIds: string[] }> {
  const result = await query(['image', 'inspect', '--format', '{{.Id}} {{.Size}} {{json .RootFS.Layers}}', ref])
  const [id, size, layers] = result.stdout.trim().split(' ')
  if (result.exitCode !== 0 || !id || size === undefined || !/^[0-9]+$/.test(size)) {
    throw new UserError(`image: '${ref}' is not an image in the local engine (${firstLine(result.stderr) || 'no such image'})`)
  }
  return { id, size: Number(size), diffIds: parseDiffIds(layers) }
}

/**
 * The engine's own size of each history entry, oldest first, in exact bytes: what `docker history`
 * shows. Undefined when the engine cannot say, as the analysis then stands on the archive alone.
 */
export async function historySizes(ref: string): Promise<number[] | undefined> {
  const result = await query(['history', '--no-trunc', '--human=false', '--format', '{{.Size}}', ref])
  return result.exitCode === 0 ? parseHistorySizes(result.stdout) : undefined
}

/** `docker history` lists the newest entry first, one size per line. */
export function parseHistorySizes(stdout: string): number[] | undefined {
  const lines = stdout.split('\n').filter((line) => line.trim() !== '')
  if (!lines.every((line) => /^[0-9]+$/.test(line.trim()))) return undefined
  return lines.map((line) => Number(line.trim())).reverse()
}

function parseDiffIds(json: string | undefined): string[] {
  try {
    const value: unknown = JSON.parse(json ?? '[]')
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []
  } catch {
    return []
  }
}

/** Whether the engine has this image locally. */
export async function imageExists(ref: string): Promise<boolean> {
  const result = await query(['image', 'inspect', '--format', '{{.Id}}', ref])
  return result.exitCode === 0
}

/**
 * A registry document read without pulling: `docker buildx imagetools inspect --raw REF`, which has no
 * timeout of its own; throws CommandTimeout when `deadline` passes.
 */
export async function imagetoolsRaw(ref: string, deadline: Deadline): Promise<string> {
  const result = await docker(['buildx', 'imagetools', 'inspect', '--raw', ref], deadline)
  if (result.exitCode !== 0) throw new Error(`cannot read ${ref} from its registry (${firstLine(result.stderr)})`)
  return result.stdout
}

/** The image config of a single-platform reference, read from its registry without pulling, before `deadline`. */
export async function imagetoolsConfig(ref: string, deadline: Deadline): Promise<string> {
  const result = await docker(['buildx', 'imagetools', 'inspect', '--format', '{{json .Image}}', ref], deadline)
  if (result.exitCode !== 0) throw new Error(`cannot read the config of ${ref} (${firstLine(result.stderr)})`)
  return result.stdout
}
