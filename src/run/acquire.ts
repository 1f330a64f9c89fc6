import { createReadStream } from 'node:fs'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PlatformMissing, readImageArchive, type ArchiveOptions, type ImageArchive } from '../archive/archive.js'
import { gzipScaleFor } from '../archive/compress.js'
import type { KnownCompressedSizes } from '../archive/known-compressed.js'
import { LayerCache, LayerCacheMiss } from '../archive/layer-cache.js'
import { deliveryFor, explainBuildFailure, getBuildArgs, type BuildPaths } from '../engine/buildx.js'
import {
  buildxVersion,
  engineGoVersion,
  engineVersion,
  historySizes,
  imageExists,
  inspectBuilder,
  inspectImage,
  runBuild
} from '../engine/docker.js'
import { saveImage } from '../engine/image-export.js'
import { UserError, messageOf } from '../errors.js'
import { Input, type Inputs } from '../inputs.js'
import type { Log } from '../log.js'
import { parseDockerfile, selectStage, type Stage } from '../model/dockerfile.js'
import type { Source } from '../model/model.js'

/** Builds or reads an image as the gate does; injected so the baseline stays free of the build. */
export type Acquire = (inputs: Inputs, log: Log) => Promise<Source>
/** Whether a local image exists, and analysing it. */
export interface ImageAccess {
  exists(ref: string): Promise<boolean>
  acquireImage(ref: string, inputs: Inputs, log: Log): Promise<Source>
}

/** Builds the image, or reads the local one named by `image`; `known` are compressed sizes measured before. */
export async function acquire(inputs: Inputs, log: Log, known: KnownCompressedSizes = new Map()): Promise<Source> {
  return inputs.image ? analyseLocalImage(inputs, log, known) : buildAndAnalyse(inputs, log, known)
}

/** The engine's local images, as the baseline-image route reads them. */
export const localImages: ImageAccess = {
  exists: imageExists,
  acquireImage: (ref, inputs, log) => analyseLocalImage({ ...inputs, image: ref, file: '' }, log)
}

async function analyseLocalImage(inputs: Inputs, log: Log, known: KnownCompressedSizes = new Map()): Promise<Source> {
  await engineVersion()
  const dockerfile = inputs.file ? await loadDockerfile(inputs) : undefined
  const analyse = () => savedImage(inputs.image, archiveOptions(inputs, known), log)
  const archive = await timed(log, 'analysis', () => log.group(`Analysing ${inputs.image}`, analyse))
  return { archive, ...(await engineSizesOf(archive)), ...dockerfile }
}

/** Layers analysed in this run, so a pull request's base and head analyse shared layers once. */
const layerCache = new LayerCache()

/** Streams `docker save` through the analysis, reusing layers this run has already analysed. */
async function savedImage(ref: string, analysis: ArchiveOptions, log: Log): Promise<ImageArchive> {
  const image = await inspectImage(ref)
  // Plain layers are estimated as the engine's own BuildKit would gzip them.
  const options = { ...analysis, gzipScale: gzipScaleFor(await engineGoVersion()), paths: layerCache.paths }
  const read = (reuse: boolean) =>
    saveImage(
      image.id,
      (stream) => readImageArchive(stream, { ...options, ...(reuse ? { reuse: { cache: layerCache, diffIds: image.diffIds } } : {}) }),
      analysis.platform
    )
  const archive = await read(true)
    .catch((error: unknown) => {
      if (!(error instanceof LayerCacheMiss)) throw error
      log.info(`a layer was not the one it was taken for (${error.message}); analysing ${ref} afresh`)
      return read(false)
    })
    .catch((error: unknown) => {
      if (!(error instanceof PlatformMissing)) throw error
      throw new UserError(`${Input.Platform}: image ${ref} has no ${error.platform} image (it has ${error.available.join(', ') || 'none'})`)
    })
  const reused = layerCache.reused(archive.layers)
  if (reused > 0) log.info(`reused ${reused} of ${archive.layers.length} layers already analysed in this run`)
  logKnownCompressed(archive, log)
  layerCache.add(archive.diffIds, archive.layers)
  // The archive names the image by its config or manifest; the engine's own ID is the one `docker image inspect` accepts.
  return { ...archive, id: image.id }
}

async function buildAndAnalyse(inputs: Inputs, log: Log, known: KnownCompressedSizes): Promise<Source> {
  const dockerfile = await loadDockerfile(inputs)
  await engineVersion()
  await buildxVersion()
  const analysis = archiveOptions(inputs, known)
  const workdir = await mkdtemp(join(process.env['RUNNER_TEMP'] || tmpdir(), 'image-size-gate-'))
  try {
    // What the inputs decide locally is settled before the engine is asked anything.
    const paths = await preparePaths(workdir, dockerfile.dockerfile, inputs)
    const builder = await inspectBuilder(inputs.builder)
    const delivery = deliveryFor(builder)
    const args = getBuildArgs(inputs, delivery, paths)
    const result = await timed(log, 'build', () => log.group(`docker buildx build (${builder.driver} driver)`, () => runBuild(args, log)))
    if (result.exitCode !== 0) throw new UserError(explainBuildFailure(`${result.stdout}\n${result.stderr}`, paths.dockerfile))
    const archive = await timed(log, 'analysis', () =>
      log.group('Analysing the image', () =>
        delivery === 'load' ? loadedImage(paths.iidFile, analysis, log) : exportedImage(paths, analysis)
      )
    )
    return { archive, ...(delivery === 'load' ? await engineSizesOf(archive) : {}), ...dockerfile }
  } finally {
    await rm(workdir, { recursive: true, force: true })
  }
}

/** Logs how long a phase took, so a run's cost can be split into builds and analyses from its log. */
async function timed<T>(log: Log, phase: string, body: () => Promise<T>): Promise<T> {
  const started = performance.now()
  const result = await body()
  log.info(`image-size-gate: ${phase} took ${((performance.now() - started) / 1000).toFixed(2)} s`)
  return result
}

async function engineSizesOf(archive: ImageArchive): Promise<{ engineSizes?: number[] }> {
  const engineSizes = await historySizes(archive.id)
  return engineSizes ? { engineSizes } : {}
}

/** Reads the OCI archive a builder exported; its ID is buildx's (the iidfile), as build-push-action's imageid output is. */
export async function exportedImage(paths: BuildPaths, options: ArchiveOptions): Promise<ImageArchive> {
  const archive = await readImageArchive(createReadStream(paths.ociArchive, { highWaterMark: 1 << 20 }), options)
  const iid = (await readFile(paths.iidFile, 'utf8').catch(() => '')).trim()
  return iid ? { ...archive, id: iid } : archive
}

async function loadedImage(iidFile: string, analysis: ArchiveOptions, log: Log): Promise<ImageArchive> {
  return savedImage((await readFile(iidFile, 'utf8')).trim(), analysis, log)
}

function archiveOptions(inputs: Inputs, knownCompressed: KnownCompressedSizes): ArchiveOptions {
  return { estimateCompressed: inputs.measureCompressed, knownCompressed, ...(inputs.platform ? { platform: inputs.platform } : {}) }
}

/** Says which layers took their compressed size from a baseline, so a run's log shows what was not deflated. */
function logKnownCompressed(archive: ImageArchive, log: Log): void {
  const taken = archive.layers.filter((layer) => layer.compressedFrom !== undefined)
  const from = [...new Set(taken.map((layer) => layer.compressedFrom))].join(', ')
  if (taken.length === 0) return
  log.info(`took the compressed sizes of ${taken.length} of ${archive.layers.length} layers from ${from} (verified by digest)`)
}

/** Checks the context and Dockerfile, and that the target stage exists, before anything runs. */
async function loadDockerfile(inputs: Inputs): Promise<{ stage?: Stage; dockerfile: string }> {
  const context = await stat(inputs.context).catch(() => undefined)
  if (!context?.isDirectory()) throw new UserError(`${Input.Context}: '${inputs.context}' is not a directory`)
  const path = inputs.file || join(inputs.context, 'Dockerfile')
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${messageOf(error)})`
    throw new UserError(`${Input.File}: Dockerfile '${path}' ${reason}`)
  })
  const dockerfile = parseDockerfile(text, path, buildArgsOf(inputs))
  // With no stage at all the file is malformed: buildx names the exact syntax error better than we can.
  if (dockerfile.stages.length === 0) return { dockerfile: path }
  return { stage: selectStage(dockerfile, inputs.target || undefined), dockerfile: path }
}

function buildArgsOf(inputs: Inputs): Record<string, string> {
  return Object.fromEntries(inputs.buildArgs.map((arg) => [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]))
}

async function preparePaths(workdir: string, dockerfile: string, inputs: Inputs): Promise<BuildPaths> {
  const secretFiles = await Promise.all(
    inputs.secrets.map(async (secret, index) => {
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
