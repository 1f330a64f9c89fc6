import { createReadStream } from 'node:fs'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PlatformMissing, readImageArchive, type ArchiveOptions, type ImageArchive } from '../archive/archive.js'
import { gzipScaleFor } from '../archive/compress.js'
import type { KnownCompressedSizes } from '../archive/known-compressed.js'
import { LayerCache, LayerCacheMiss } from '../archive/layer-cache.js'
import { deliveryFor, explainBuildFailure, getBuildArgs, type BuildPaths, type BuildRequest } from '../engine/buildx.js'
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
import { readEntry, type FreshAnalysis, type LayerIndex } from './layer-index.js'
import type { ReadAheadStats } from '../engine/read-ahead.js'
import { seconds } from '../duration.js'
import { formatBytes } from '../size.js'
import { UserError, messageOf } from '../errors.js'
import { Input, type Secret } from '../inputs.js'
import type { Log } from '../log.js'
import { tempRoot } from '../temp-dir.js'
import { parseDockerfile, selectStage, type Stage } from '../model/dockerfile.js'
import type { Source } from '../model/model.js'

/** What to measure: the Dockerfile to build with these settings, or the local `image` to read instead. */
export interface ImageRequest extends BuildRequest {
  /** Empty means `Dockerfile` inside the context. */
  file: string
  secrets: Secret[]
  /** A local image to analyse instead of building; '' builds. */
  image: string
  /** Measure compressed sizes (always for the action; the CLI may skip them). */
  measureCompressed: boolean
}

/** Building and reading images; injected so the baseline stays free of the engine. */
export interface ImageAccess {
  acquire(request: ImageRequest, log: Log): Promise<Source>
  exists(ref: string): Promise<boolean>
}

/** What an analysis may take instead of measuring: compressed sizes a baseline measured, layers the index holds. */
export interface EarlierAnalyses {
  known?: KnownCompressedSizes
  index?: LayerIndex
}

/** Builds the image, or reads the local one named by `image`. */
export async function acquire(request: ImageRequest, log: Log, earlier: EarlierAnalyses = {}): Promise<Source> {
  return request.image ? analyseLocalImage(request, log, earlier) : buildAndAnalyse(request, log, earlier)
}

/** The engine's images, as the baseline reads them, with the layer index when there is one. */
export function engineImages(index?: LayerIndex): ImageAccess {
  return { acquire: (request, log) => acquire(request, log, index ? { index } : {}), exists: imageExists }
}

async function analyseLocalImage(request: ImageRequest, log: Log, earlier: EarlierAnalyses): Promise<Source> {
  await engineVersion()
  const dockerfile = request.file ? await loadDockerfile(request) : undefined
  const analyse = () => savedImage(request.image, archiveOptions(request, earlier.known), log, earlier.index)
  const archive = await timed(log, 'analysis', () => log.group(`Analysing ${request.image}`, analyse))
  return { archive, ...(await engineSizesOf(archive)), ...dockerfile }
}

/** Layers analysed in this run, so a pull request's baseline and head analyse shared layers once. */
const layerCache = new LayerCache()

/** The plain layers this run analysed itself, with their gzip estimates: what the layer index may keep. */
export function freshAnalyses(): FreshAnalysis[] {
  return layerCache.analysed().map(({ diffId, scan, gzipScale }) => {
    const measured = scan.compressedSize !== undefined && scan.compressedFrom === undefined && gzipScale !== undefined
    const estimate = measured ? { size: scan.compressedSize as number, gzipScale } : null
    return { diffId, scan, estimate, replaces: layerCache.wasDisproved(diffId) }
  })
}

/** Starts reading the index's entries for the image's layers, while the engine prepares its export. */
function offerIndexed(index: LayerIndex, diffIds: readonly string[], log: Log): void {
  for (const diffId of diffIds) {
    if (index.has(diffId)) layerCache.offer(diffId, readEntry(index, diffId, layerCache.paths, log), index.name)
  }
}

/** Streams `docker save` through the analysis, reusing layers this run or the index has analysed. */
async function savedImage(ref: string, analysis: ArchiveOptions, log: Log, index?: LayerIndex): Promise<ImageArchive> {
  const image = await inspectImage(ref)
  if (index) offerIndexed(index, image.diffIds, log)
  // Plain layers are estimated as the engine's own BuildKit would gzip them.
  const gzipScale = gzipScaleFor(await engineGoVersion())
  const options = { ...analysis, gzipScale, paths: layerCache.paths }
  const read = (reuse: boolean) =>
    saveImage(
      image.id,
      async (stream) => {
        const archive = await readImageArchive(stream, {
          ...options,
          ...(reuse ? { reuse: { cache: layerCache, diffIds: image.diffIds } } : {})
        })
        logReadAhead(stream.stats, log)
        return archive
      },
      analysis.platform
    )
  const archive = await read(true)
    .catch((error: unknown) => {
      if (!(error instanceof LayerCacheMiss)) throw error
      layerCache.forget(error.diffId)
      log.info(`a layer was not the one it was taken for (${error.message}); analysing ${ref} afresh`)
      return read(false)
    })
    .catch((error: unknown) => {
      if (!(error instanceof PlatformMissing)) throw error
      throw new UserError(`${Input.Platform}: image ${ref} has no ${error.platform} image (it has ${error.available.join(', ') || 'none'})`)
    })
  const reused = layerCache.reused(archive.layers)
  if (reused > 0) log.info(`reused ${reused} of ${archive.layers.length} layers already analysed in this run`)
  logIndexed(archive, log)
  logKnownCompressed(archive, log)
  layerCache.add(archive.diffIds, archive.layers, gzipScale)
  // The archive names the image by its config or manifest; the engine's own ID is the one `docker image inspect` accepts.
  return { ...archive, id: image.id }
}

async function buildAndAnalyse(request: ImageRequest, log: Log, earlier: EarlierAnalyses): Promise<Source> {
  const dockerfile = await loadDockerfile(request)
  await engineVersion()
  await buildxVersion()
  const analysis = archiveOptions(request, earlier.known)
  const workdir = await mkdtemp(join(tempRoot(), 'image-size-gate-'))
  try {
    // What the request decides locally is settled before the engine is asked anything.
    const paths = await preparePaths(workdir, dockerfile.dockerfile, request)
    const builder = await inspectBuilder(request.builder)
    const delivery = deliveryFor(builder)
    const args = getBuildArgs(request, delivery, paths)
    const result = await timed(log, 'build', () => log.group(`docker buildx build (${builder.driver} driver)`, () => runBuild(args, log)))
    if (result.exitCode !== 0) throw new UserError(explainBuildFailure(`${result.stdout}\n${result.stderr}`, paths.dockerfile))
    const archive = await timed(log, 'analysis', () =>
      log.group('Analysing the image', () =>
        delivery === 'load' ? loadedImage(paths.iidFile, analysis, log, earlier.index) : exportedImage(paths, analysis)
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
  log.info(`image-size-gate: ${phase} took ${seconds(performance.now() - started, 2)}`)
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

async function loadedImage(iidFile: string, analysis: ArchiveOptions, log: Log, index?: LayerIndex): Promise<ImageArchive> {
  return savedImage((await readFile(iidFile, 'utf8')).trim(), analysis, log, index)
}

function archiveOptions(request: ImageRequest, knownCompressed: KnownCompressedSizes = new Map()): ArchiveOptions {
  return { estimateCompressed: request.measureCompressed, knownCompressed, ...(request.platform ? { platform: request.platform } : {}) }
}

/** Says which layers' analyses the index supplied, so a run's log shows what was not parsed. */
function logIndexed(archive: ImageArchive, log: Log): void {
  const taken = archive.layers.filter((layer) => layer.analysisFrom !== undefined)
  if (taken.length === 0) return
  const from = [...new Set(taken.map((layer) => layer.analysisFrom))].join(', ')
  log.info(`took the analyses of ${taken.length} of ${archive.layers.length} layers from the ${from} (verified by digest)`)
}

/** Says whether the engine ever waited for the analysis: each pause is a moment the read-ahead was full. */
function logReadAhead(stats: ReadAheadStats, log: Log): void {
  const waited = stats.pauses === 0 ? 'never waited for the analysis' : `waited for the analysis ${stats.pauses} times`
  log.info(`read ${formatBytes(stats.bytes)} from the engine, which ${waited} (at most ${formatBytes(stats.peakQueuedBytes)} queued)`)
}

/** Says which layers took their compressed size from a baseline, so a run's log shows what was not deflated; warns for a refused one. */
function logKnownCompressed(archive: ImageArchive, log: Log): void {
  for (const layer of archive.layers) if (layer.compressedRefused) log.warning(layer.compressedRefused)
  const taken = archive.layers.filter((layer) => layer.compressedFrom !== undefined)
  const from = [...new Set(taken.map((layer) => layer.compressedFrom))].join(', ')
  if (taken.length === 0) return
  log.info(`reused the compressed sizes of ${taken.length} of ${archive.layers.length} layers from ${from} (verified by digest)`)
}

/** Checks the context and Dockerfile, and that the target stage exists, before anything runs. */
async function loadDockerfile(request: ImageRequest): Promise<{ stage?: Stage; dockerfile: string }> {
  const context = await stat(request.context).catch(() => undefined)
  if (!context?.isDirectory()) throw new UserError(`${Input.Context}: '${request.context}' is not a directory`)
  const path = request.file || join(request.context, 'Dockerfile')
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${messageOf(error)})`
    throw new UserError(`${Input.File}: Dockerfile '${path}' ${reason}`)
  })
  const dockerfile = parseDockerfile(text, path, buildArgsOf(request))
  // With no stage at all the file is malformed: buildx names the exact syntax error better than we can.
  if (dockerfile.stages.length === 0) return { dockerfile: path }
  return { stage: selectStage(dockerfile, request.target || undefined), dockerfile: path }
}

function buildArgsOf(request: ImageRequest): Record<string, string> {
  return Object.fromEntries(request.buildArgs.map((arg) => [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]))
}

async function preparePaths(workdir: string, dockerfile: string, request: ImageRequest): Promise<BuildPaths> {
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
