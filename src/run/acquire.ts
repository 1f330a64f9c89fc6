import { createReadStream } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { PlatformMissing, readImageArchive, type ArchiveOptions, type ImageArchive } from '../archive/archive.js'
import { gzipScaleFor } from '../archive/compress.js'
import type { KnownCompressedSizes } from '../archive/known-compressed.js'
import { LayerCache, LayerCacheMiss } from '../archive/layer-cache.js'
import { describeLocation, parseImageLocation } from '../archive/image-location.js'
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
import { prepareExport, saveImage } from '../engine/image-export.js'
import { podmanImageExists } from '../engine/podman.js'
import type { ReadAheadStats } from '../engine/read-ahead.js'
import { formatBytes } from '../size.js'
import { UserError } from '../errors.js'
import { Input, type EngineName } from '../inputs.js'
import type { Log } from '../log.js'
import { tempRoot } from '../temp-dir.js'
import type { Source } from '../model/model.js'
import { archiveExists, readArchiveImage, type ArchiveLocation } from './archive-image.js'
import { archiveOptions, loadDockerfile, logKnownCompressed, logWarnings, preparePaths, timed, type ImageRequest } from './image-request.js'
import { analysePodmanImage, buildWithPodman } from './podman-image.js'
import { readEntry, type FreshAnalysis, type LayerIndex } from './layer-index.js'

/** Building and reading images; injected so the baseline stays free of the engine. */
export interface ImageAccess {
  acquire(request: ImageRequest, log: Log): Promise<Source>
  /** Whether `ref` (a name in `engine`'s store, or a file in the transport syntax) is there to read. */
  exists(ref: string, engine: EngineName): Promise<boolean>
}

/** What an analysis may take instead of measuring: compressed sizes from the size history, layers the index holds. */
export interface EarlierAnalyses {
  known?: KnownCompressedSizes
  index?: LayerIndex
}

/** Builds the image, or reads the one named by `image` from a file or the engine. */
export async function acquire(request: ImageRequest, log: Log, earlier: EarlierAnalyses = {}): Promise<Source> {
  const location = parseImageLocation(request.image, request.imageInput ?? Input.Image)
  const known = earlier.known ?? new Map()
  if (location.transport !== 'engine') return analyseArchive(location, request, log, known)
  if (request.engine === 'podman') return request.image ? analysePodmanImage(request, log, known) : buildWithPodman(request, log, known)
  return request.image ? analyseLocalImage(request, log, earlier) : buildAndAnalyse(request, log, earlier)
}

/** The engine's images and image files, as the baseline reads them, with the layer index when there is one. */
export function engineImages(index?: LayerIndex): ImageAccess {
  return { acquire: (request, log) => acquire(request, log, index ? { index } : {}), exists: imageThere }
}

async function imageThere(ref: string, engine: EngineName): Promise<boolean> {
  const location = parseImageLocation(ref, Input.BaselineImage)
  if (location.transport !== 'engine') return archiveExists(location)
  return engine === 'podman' ? podmanImageExists(ref) : imageExists(ref)
}

/** An image from a file: no engine is asked, and its Dockerfile (given `file`) still gives the findings their lines. */
async function analyseArchive(location: ArchiveLocation, request: ImageRequest, log: Log, known: KnownCompressedSizes): Promise<Source> {
  const dockerfile = request.file ? await loadDockerfile(request) : undefined
  const read = () => readArchiveImage(location, archiveOptions(request, known), request.imageInput ?? Input.Image)
  const archive = await timed(log, 'analysis', () => log.group(`Analysing ${describeLocation(location)}`, read))
  logWarnings(archive, log)
  return { archive, ...dockerfile }
}

async function analyseLocalImage(request: ImageRequest, log: Log, earlier: EarlierAnalyses): Promise<Source> {
  await engineVersion()
  const dockerfile = request.file ? await loadDockerfile(request) : undefined
  const analyse = () => savedImage(request.image, archiveOptions(request, earlier.known), log, earlier.index)
  const saved = await timed(log, 'analysis', () => log.group(`Analysing ${request.image}`, analyse))
  return { ...saved, ...dockerfile }
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

/** An image read from the engine, with the engine's own size of each history entry when it can say. */
interface SavedImage {
  archive: ImageArchive
  engineSizes?: number[]
}

/** Streams `docker save` through the analysis, reusing layers this run or the index has analysed. */
async function savedImage(ref: string, analysis: ArchiveOptions, log: Log, index?: LayerIndex): Promise<SavedImage> {
  // The engine's answers are asked for together: each is a CLI process of ~0.1 s on an idle machine.
  const [image, goVersion] = await Promise.all([inspectImage(ref), engineGoVersion(), prepareExport(analysis.platform)])
  // Asked while the engine exports: the classic store writes its whole archive to disk before the first byte.
  const history = historySizes(image.id)
  // Awaited after the export; until then a failure must not count as unhandled if the export fails first.
  history.catch(() => undefined)
  if (index) offerIndexed(index, image.diffIds, log)
  // Plain layers are estimated as the engine's own BuildKit would gzip them.
  const gzipScale = gzipScaleFor(goVersion)
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
  const engineSizes = await history
  // The archive names the image by its config or manifest; the engine's own ID is the one `docker image inspect` accepts.
  return { archive: { ...archive, id: image.id }, ...(engineSizes ? { engineSizes } : {}) }
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
    const saved = await timed(log, 'analysis', () =>
      log.group('Analysing the image', async () =>
        delivery === 'load' ? loadedImage(paths.iidFile, analysis, log, earlier.index) : { archive: await exportedImage(paths, analysis) }
      )
    )
    return { ...saved, ...dockerfile }
  } finally {
    await rm(workdir, { recursive: true, force: true })
  }
}

/** Reads the OCI archive a builder exported; its ID is buildx's (the iidfile), as build-push-action's imageid output is. */
export async function exportedImage(paths: BuildPaths, options: ArchiveOptions): Promise<ImageArchive> {
  const archive = await readImageArchive(createReadStream(paths.ociArchive, { highWaterMark: 1 << 20 }), options)
  const iid = (await readFile(paths.iidFile, 'utf8').catch(() => '')).trim()
  return iid ? { ...archive, id: iid } : archive
}

async function loadedImage(iidFile: string, analysis: ArchiveOptions, log: Log, index?: LayerIndex): Promise<SavedImage> {
  return savedImage((await readFile(iidFile, 'utf8')).trim(), analysis, log, index)
}

/** Says which layers' analyses the index supplied, so a run's log shows what was not parsed. */
function logIndexed(archive: ImageArchive, log: Log): void {
  const taken = archive.layers.filter((layer) => layer.analysisFrom !== undefined)
  if (taken.length === 0) return
  const from = [...new Set(taken.map((layer) => layer.analysisFrom))].join(', ')
  log.info(`took the analyses of ${taken.length} of ${archive.layers.length} layers from the ${from} (verified by digest)`)
}

/**
 * Says whether the read-ahead queue ever filled, each time a moment the export was held up for the
 * analysis. It cannot see the socket's own ~200 KB buffer filling while this thread hashes or parses.
 */
function logReadAhead(stats: ReadAheadStats, log: Log): void {
  const filled = stats.pauses === 0 ? 'never filled' : `filled ${stats.pauses} times`
  log.info(
    `read ${formatBytes(stats.bytes)} from the engine; the read-ahead queue ${filled} (at most ${formatBytes(stats.peakQueuedBytes)} queued)`
  )
}
