import { getExecOutput } from '@actions/exec'
import { spawn } from 'node:child_process'
import { request, type IncomingMessage } from 'node:http'
import { once } from 'node:events'
import type { BuilderInfo } from './buildx.js'
import { CommandTimeout, runBounded } from './command.js'
import { seconds } from '../duration.js'
import { UserError, messageOf } from '../errors.js'
import type { Log } from '../log.js'

/** The docker CLI, overridable so tests and unusual installs can point elsewhere; read per call, not at load. */
function dockerCli(): string {
  return process.env['IMAGE_SIZE_GATE_DOCKER'] ?? 'docker'
}

export interface CommandResult {
  exitCode: number
  stdout: string
  stderr: string
}

/** Runs `docker ARGS` with an argument array (never a shell string), capturing its output. */
export async function docker(args: string[], onLine?: (line: string) => void): Promise<CommandResult> {
  const out = onLine ? new LineSplitter(onLine) : undefined
  const err = onLine ? new LineSplitter(onLine) : undefined
  try {
    return await getExecOutput(dockerCli(), args, {
      silent: true,
      ignoreReturnCode: true,
      listeners: out && err ? { stdout: (data) => out.push(data), stderr: (data) => err.push(data) } : {}
    })
  } catch (error) {
    throw new UserError(`docker CLI could not be run (${messageOf(error)}); install Docker or put docker on PATH`)
  } finally {
    out?.flush()
    err?.flush()
  }
}

/** How long the engine may take to say its version: a hung engine is reported, not waited on. */
const ENGINE_TIMEOUT_MS = 60_000

/**
 * Runs `docker ARGS` for at most `timeoutMs`, in its own process group so the buildx plugin dies
 * with it; for commands that wait on the network or on an engine that may hang.
 */
export async function dockerWithin(args: string[], timeoutMs: number): Promise<CommandResult> {
  try {
    return await runBounded(dockerCli(), args, { timeoutMs })
  } catch (error) {
    if (error instanceof CommandTimeout) throw error
    throw new UserError(`docker CLI could not be run (${messageOf(error)}); install Docker or put docker on PATH`)
  }
}

/** The engine's version; throws a UserError saying how to fix an unreachable or hung engine. */
export async function engineVersion(timeoutMs = ENGINE_TIMEOUT_MS): Promise<string> {
  const result = await dockerWithin(['version', '--format', '{{.Server.Version}}'], timeoutMs).catch((error: unknown) => {
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
  goVersion ??= docker(['version', '--format', '{{.Server.GoVersion}}']).then((result) =>
    result.exitCode === 0 ? result.stdout.trim() : ''
  )
  return goVersion
}

export async function buildxVersion(): Promise<string> {
  const result = await docker(['buildx', 'version'])
  if (result.exitCode !== 0) {
    throw new UserError(
      'docker buildx is not installed; add docker/setup-buildx-action before this step, or install the docker-buildx plugin'
    )
  }
  return result.stdout.trim()
}

/** Name and driver of the named builder, or of the current one. */
export async function inspectBuilder(name: string): Promise<BuilderInfo> {
  const result = await docker(name ? ['buildx', 'inspect', name] : ['buildx', 'inspect'])
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
export async function runBuild(args: string[], log: Log): Promise<CommandResult> {
  return docker(args, (line) => log.info(line))
}

/**
 * Streams the image archive into `consume`: from the engine's socket when it is local, else through `docker save`.
 * With `platform`, an engine that can (API 1.48+) exports that platform's image of a multi-platform one.
 */
export async function saveImage<T>(ref: string, consume: (archive: AsyncIterable<Uint8Array>) => Promise<T>, platform = ''): Promise<T> {
  const socket = await localEngineSocket()
  const save = (chosen: string) => (socket ? saveThroughApi(socket, ref, consume, chosen) : saveThroughCli(ref, consume, chosen))
  const wanted = platform && (await exportTakesPlatform()) ? platform : ''
  // The classic store refuses a platform its image lacks; the whole archive lets the reader list what it has.
  return wanted ? save(wanted).catch((error: unknown) => (error instanceof ExportRefused ? save('') : Promise.reject(error))) : save('')
}

/** The engine or `docker save` refused to export the image. */
class ExportRefused extends UserError {}

/** The image-get API and `docker save` take `platform` from API 1.48 (Docker 28) on. */
const PLATFORM_EXPORT_API = [1, 48]

let platformExport: Promise<boolean> | undefined

function exportTakesPlatform(): Promise<boolean> {
  platformExport ??= docker(['version', '--format', '{{.Server.APIVersion}} {{.Client.APIVersion}}']).then(
    (result) =>
      result.exitCode === 0 &&
      result.stdout
        .trim()
        .split(' ')
        .every((version) => atLeast(version, PLATFORM_EXPORT_API))
  )
  return platformExport
}

function atLeast(version: string, [major = 0, minor = 0]: number[]): boolean {
  const [have = NaN, haveMinor = NaN] = version.split('.').map(Number)
  return have > major || (have === major && haveMinor >= minor)
}

/** `os/arch[/variant]` as the OCI platform JSON the engine's `platform` query parameter takes. */
export function platformQuery(platform: string): string {
  const [os, architecture, variant] = platform.split('/')
  return JSON.stringify({ os, architecture, ...(variant ? { variant } : {}) })
}

let endpoint: Promise<string | undefined> | undefined

/** The unix socket of the current docker context's engine, if it is one; contexts and DOCKER_HOST are honoured. */
function localEngineSocket(): Promise<string | undefined> {
  endpoint ??= docker(['context', 'inspect', '--format', '{{.Endpoints.docker.Host}}']).then((result) => {
    const host = process.env['DOCKER_HOST'] || result.stdout.trim()
    return result.exitCode === 0 && host.startsWith('unix://') ? host.slice('unix://'.length) : undefined
  })
  return endpoint
}

/**
 * `GET /images/{name}/get` on the engine's socket: the same archive `docker save` writes, without the
 * CLI process copying every byte through a 64 KiB pipe on the way.
 */
async function saveThroughApi<T>(
  socket: string,
  ref: string,
  consume: (archive: AsyncIterable<Uint8Array>) => Promise<T>,
  platform: string
): Promise<T> {
  const query = platform ? `?platform=${encodeURIComponent(platformQuery(platform))}` : ''
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    request({ socketPath: socket, path: `/images/${encodeURIComponent(ref)}/get${query}`, headers: { host: 'docker' } }, resolve)
      .on('error', (error) => reject(new UserError(`image: cannot read ${ref} from the engine at ${socket} (${messageOf(error)})`)))
      .end()
  })
  if (response.statusCode !== 200) {
    const body = Buffer.concat(await response.toArray()).toString()
    const message = (() => {
      try {
        return (JSON.parse(body) as { message?: string }).message ?? body
      } catch {
        return body
      }
    })()
    throw new ExportRefused(`image: the engine could not export ${ref} (${firstLine(message) || `HTTP ${response.statusCode}`})`)
  }
  try {
    return await consume(response)
  } finally {
    response.destroy()
  }
}

async function saveThroughCli<T>(ref: string, consume: (archive: AsyncIterable<Uint8Array>) => Promise<T>, platform: string): Promise<T> {
  const child = spawn(dockerCli(), ['save', ...(platform ? ['--platform', platform] : []), ref], { stdio: ['ignore', 'pipe', 'pipe'] })
  const stderr: Buffer[] = []
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
  const exited = once(child, 'close') as Promise<[number | null]>
  const failed = once(child, 'error').then(([error]) => {
    throw new UserError(`docker save could not be run (${messageOf(error)})`)
  })
  try {
    const result = await Promise.race([consume(child.stdout), failed])
    const [code] = await exited
    if (code !== 0) throw new ExportRefused(`image: docker save ${ref} failed (${firstLine(Buffer.concat(stderr).toString())})`)
    return result
  } catch (error) {
    // docker save failing by itself explains a cut stream better; otherwise the reader's error is the cause.
    const failedFirst = child.exitCode !== null && child.exitCode !== 0
    if (child.exitCode === null) child.kill()
    await exited
    if (failedFirst && stderr.length > 0) {
      throw new ExportRefused(`image: docker save ${ref} failed (${firstLine(Buffer.concat(stderr).toString())})`)
    }
    throw error
  }
}

/** `docker image inspect` figures for a local image; a UserError when there is no such image. */
export async function inspectImage(ref: string): Promise<{ id: string; size: number; diffIds: string[] }> {
  const result = await docker(['image', 'inspect', '--format', '{{.Id}} {{.Size}} {{json .RootFS.Layers}}', ref])
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
  const result = await docker(['history', '--no-trunc', '--human=false', '--format', '{{.Size}}', ref])
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

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line !== '') ?? ''
  )
}

/** Splits streamed output into lines for the log. */
class LineSplitter {
  private rest = ''

  constructor(private readonly emit: (line: string) => void) {}

  push(data: Buffer): void {
    const lines = (this.rest + data.toString('utf8')).split('\n')
    this.rest = lines.pop() ?? ''
    for (const line of lines) this.emit(line)
  }

  flush(): void {
    if (this.rest) this.emit(this.rest)
    this.rest = ''
  }
}

/**
 * A registry document read without pulling: `docker buildx imagetools inspect --raw REF`, which has no
 * timeout of its own; throws CommandTimeout after `timeoutMs`.
 */
export async function imagetoolsRaw(ref: string, timeoutMs: number): Promise<string> {
  const result = await dockerWithin(['buildx', 'imagetools', 'inspect', '--raw', ref], timeoutMs)
  if (result.exitCode !== 0) throw new Error(`cannot read ${ref} from its registry (${firstLine(result.stderr)})`)
  return result.stdout
}

/** The image config of a single-platform reference, read from its registry without pulling, for at most `timeoutMs`. */
export async function imagetoolsConfig(ref: string, timeoutMs: number): Promise<string> {
  const result = await dockerWithin(['buildx', 'imagetools', 'inspect', '--format', '{{json .Image}}', ref], timeoutMs)
  if (result.exitCode !== 0) throw new Error(`cannot read the config of ${ref} (${firstLine(result.stderr)})`)
  return result.stdout
}

/** Whether the engine has this image locally. */
export async function imageExists(ref: string): Promise<boolean> {
  const result = await docker(['image', 'inspect', '--format', '{{.Id}}', ref])
  return result.exitCode === 0
}
