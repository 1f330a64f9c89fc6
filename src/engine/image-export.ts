/**
 * An image's archive, streamed from the engine: over its socket when it is local, else through
 * `docker save`. Either way the export has the job's deadline and is abandoned when it passes.
 */
import { CommandFailed, CommandTimeout, streamCommand } from './command.js'
import { JOB_LIMIT_MS, apiVersionsOf, dockerCli, dockerUnavailable, localEngineSocket } from './docker.js'
import { engineGet, type EngineResponse } from './engine-http.js'
import { ReadAhead } from './read-ahead.js'
import { Deadline } from '../deadline.js'
import { UserError, firstLine, messageOf } from '../errors.js'

/** Reads the archive; the read-ahead's stats say afterwards whether the engine ever waited for it. */
type Consume<T> = (archive: ReadAhead) => Promise<T>

/**
 * Streams the image archive into `consume`. With `platform`, an engine that can (API 1.48+) exports
 * that platform's image of a multi-platform one.
 */
export async function saveImage<T>(ref: string, consume: Consume<T>, platform = ''): Promise<T> {
  const [socket, takesPlatform] = await prepareExport(platform)
  const deadline = Deadline.in(JOB_LIMIT_MS)
  const save = (chosen: string) =>
    socket ? saveThroughApi(socket, ref, consume, chosen, deadline) : saveThroughCli(ref, consume, chosen, deadline)
  const wanted = takesPlatform ? platform : ''
  // The classic store refuses a platform its image lacks; the whole archive lets the reader list what it has.
  return wanted ? save(wanted).catch((error: unknown) => (error instanceof ExportRefused ? save('') : Promise.reject(error))) : save('')
}

/**
 * What the export must know of the engine before it starts: its socket, if local, and whether it can
 * export one platform. Both are asked once per run, so a caller may start this early, beside its own questions.
 */
export function prepareExport(platform = ''): Promise<[string | undefined, boolean]> {
  return Promise.all([localEngineSocket(), platform ? exportTakesPlatform() : false])
}

/** The engine or `docker save` refused to export the image. */
class ExportRefused extends UserError {}

/** The image-get API and `docker save` take `platform` from API 1.48 (Docker 28) on. */
const PLATFORM_EXPORT_API = [1, 48]

async function exportTakesPlatform(): Promise<boolean> {
  const versions = await apiVersionsOf()
  return versions.length > 0 && versions.every((version) => atLeast(version, PLATFORM_EXPORT_API))
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

/**
 * `GET /images/{name}/get` on the engine's socket: the same archive `docker save` writes, without the
 * CLI process copying every byte through a 64 KiB pipe on the way.
 */
async function saveThroughApi<T>(socket: string, ref: string, consume: Consume<T>, platform: string, deadline: Deadline): Promise<T> {
  const query = platform ? `?platform=${encodeURIComponent(platformQuery(platform))}` : ''
  const path = `/images/${encodeURIComponent(ref)}/get${query}`
  const timedOut = () => new CommandTimeout(`the engine's export of ${ref}`, deadline.ms)
  const response = await engineGet(socket, path, deadline.signal).catch((error: unknown) => {
    throw deadline.expired ? timedOut() : new UserError(`image: cannot read ${ref} from the engine at ${socket} (${messageOf(error)})`)
  })
  if (response.status !== 200) throw new ExportRefused(`image: the engine could not export ${ref} (${await refusal(response)})`)
  try {
    return await consume(new ReadAhead(response.body))
  } catch (error) {
    throw deadline.expired ? timedOut() : error
  } finally {
    response.body.destroy()
  }
}

/** A refusal's body is a short JSON message; more than this is not read. */
const MAX_REFUSAL_BYTES = 64 * 1024

/** The engine's one-line reason for a refused export: its JSON `message`, else the body, else the status. */
async function refusal(response: EngineResponse): Promise<string> {
  const parts: Buffer[] = []
  let bytes = 0
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    parts.push(chunk)
    bytes += chunk.length
    if (bytes >= MAX_REFUSAL_BYTES) break
  }
  const body = Buffer.concat(parts).subarray(0, MAX_REFUSAL_BYTES).toString()
  const message = (() => {
    try {
      return (JSON.parse(body) as { message?: string }).message ?? body
    } catch {
      return body
    }
  })()
  return firstLine(message) || `HTTP ${response.status}`
}

async function saveThroughCli<T>(ref: string, consume: Consume<T>, platform: string, deadline: Deadline): Promise<T> {
  const args = ['save', ...(platform ? ['--platform', platform] : []), ref]
  return streamCommand(dockerCli(), args, (stdout) => consume(new ReadAhead(stdout)), { deadline }).catch((error: unknown) => {
    // docker save failing by itself explains a cut stream better than the reader's error would.
    if (error instanceof CommandFailed) {
      throw new ExportRefused(`image: docker save ${ref} failed (${firstLine(error.stderr) || `exit code ${error.exitCode}`})`)
    }
    throw dockerUnavailable(error)
  })
}
