/**
 * What to measure, and what every way of measuring it shares: the Dockerfile checked before anything
 * runs, the build's private files, the archive reader's options, the phase timings in the log.
 */
import { readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ArchiveOptions, ImageArchive } from '../archive/archive.js'
import type { KnownCompressedSizes } from '../archive/known-compressed.js'
import type { BuildPaths, BuildRequest } from '../engine/buildx.js'
import { seconds } from '../duration.js'
import { UserError, messageOf } from '../errors.js'
import { Input, type EngineName, type Secret } from '../inputs.js'
import type { Log } from '../log.js'
import { parseDockerfile, selectStage, type Stage } from '../model/dockerfile.js'

/** What to measure: the Dockerfile to build with these settings, or the `image` to read instead. */
export interface ImageRequest extends BuildRequest {
  /** Empty means `Dockerfile` inside the context. */
  file: string
  secrets: Secret[]
  /** An image to analyse instead of building (a name in the engine, or a file in the transport syntax); '' builds. */
  image: string
  /** Measure compressed sizes (always for the action; the CLI may skip them). */
  measureCompressed: boolean
  /** Who builds and stores images. */
  engine: EngineName
  /** The input `image` came from, as messages name it: baseline-image when the baseline is read through this request. */
  imageInput?: Input.Image | Input.BaselineImage
}

/** Logs how long a phase took, so a run's cost can be split into builds and analyses from its log. */
export async function timed<T>(log: Log, phase: string, body: () => Promise<T>): Promise<T> {
  const started = performance.now()
  const result = await body()
  log.info(`image-size-gate: ${phase} took ${seconds(performance.now() - started, 2)}`)
  return result
}

export function archiveOptions(request: ImageRequest, knownCompressed: KnownCompressedSizes = new Map()): ArchiveOptions {
  return { estimateCompressed: request.measureCompressed, knownCompressed, ...(request.platform ? { platform: request.platform } : {}) }
}

/** Says which layers took their compressed size from the size history, so a run's log shows what was not deflated; warns for a refused one. */
export function logKnownCompressed(archive: ImageArchive, log: Log): void {
  for (const layer of archive.layers) if (layer.compressedRefused) log.warning(layer.compressedRefused)
  const taken = archive.layers.filter((layer) => layer.compressedFrom !== undefined)
  const from = [...new Set(taken.map((layer) => layer.compressedFrom))].join(', ')
  if (taken.length === 0) return
  log.info(`took the compressed sizes of ${taken.length} of ${archive.layers.length} layers from ${from} (verified by digest)`)
}

/** Checks the context and Dockerfile, and that the target stage exists, before anything runs. */
export async function loadDockerfile(request: ImageRequest): Promise<{ stage?: Stage; dockerfile: string }> {
  const context = await stat(request.context).catch(() => undefined)
  if (!context?.isDirectory()) throw new UserError(`${Input.Context}: '${request.context}' is not a directory`)
  const path = request.file || join(request.context, 'Dockerfile')
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${messageOf(error)})`
    throw new UserError(`${Input.File}: Dockerfile '${path}' ${reason}`)
  })
  const dockerfile = parseDockerfile(text, path, buildArgsOf(request))
  // With no stage at all the file is malformed: the builder names the exact syntax error better than we can.
  if (dockerfile.stages.length === 0) return { dockerfile: path }
  return { stage: selectStage(dockerfile, request.target || undefined), dockerfile: path }
}

function buildArgsOf(request: ImageRequest): Record<string, string> {
  return Object.fromEntries(request.buildArgs.map((arg) => [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]))
}

/** The build's private files in `workdir`: the iidfile, the OCI archive a non-docker driver writes, one file per secret. */
export async function preparePaths(workdir: string, dockerfile: string, request: ImageRequest): Promise<BuildPaths> {
  const secretFiles = await Promise.all(
    request.secrets.map(async (secret, index) => {
      const path = join(workdir, `secret-${index}`)
      await writeFile(path, secret.value, { mode: 0o600 })
      return { id: secret.id, path }
    })
  )
  return {
    dockerfile,
    iidFile: join(workdir, 'iid'),
    ociArchive: join(workdir, 'image.oci.tar'),
    secretFiles
  }
}

/** What the archive reader worked around, as warnings: the run goes on, and the log says why a figure is not exact. */
export function logWarnings(archive: ImageArchive, log: Log): void {
  for (const warning of archive.warnings) log.warning(warning)
}
