/** Images built and stored by Podman: `podman build` (Buildah), then `podman image save --format oci-archive`, streamed. */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { PlatformMissing, readImageArchive, type ArchiveOptions, type ImageArchive } from '../archive/archive.js'
import type { KnownCompressedSizes } from '../archive/known-compressed.js'
import {
  explainPodmanFailure,
  getPodmanBuildArgs,
  inspectPodmanImage,
  podmanVersion,
  runPodmanBuild,
  savePodmanImage
} from '../engine/podman.js'
import { UserError } from '../errors.js'
import { Input } from '../inputs.js'
import type { Log } from '../log.js'
import type { Source } from '../model/model.js'
import { tempRoot } from '../temp-dir.js'
import { archiveOptions, loadDockerfile, logWarnings, preparePaths, timed, type ImageRequest } from './image-request.js'

/** Reads `image` from Podman's store. */
export async function analysePodmanImage(request: ImageRequest, log: Log, known: KnownCompressedSizes): Promise<Source> {
  await podmanVersion()
  const dockerfile = request.file ? await loadDockerfile(request) : undefined
  const analyse = () => podmanArchive(request.image, archiveOptions(request, known), log)
  const archive = await timed(log, 'analysis', () => log.group(`Analysing ${request.image} from Podman`, analyse))
  return { archive, ...dockerfile }
}

/** Builds with `podman build` and reads the image it made. */
export async function buildWithPodman(request: ImageRequest, log: Log, known: KnownCompressedSizes): Promise<Source> {
  const dockerfile = await loadDockerfile(request)
  await podmanVersion()
  const workdir = await mkdtemp(join(tempRoot(), 'image-size-gate-'))
  try {
    const paths = await preparePaths(workdir, dockerfile.dockerfile, request)
    const args = getPodmanBuildArgs(request, paths)
    const result = await timed(log, 'build', () => log.group('podman build', () => runPodmanBuild(args, log)))
    if (result.exitCode !== 0) throw new UserError(explainPodmanFailure(`${result.stdout}\n${result.stderr}`, paths.dockerfile))
    const id = (await readFile(paths.iidFile, 'utf8')).trim()
    const analyse = () => podmanArchive(id, archiveOptions(request, known), log)
    const archive = await timed(log, 'analysis', () => log.group('Analysing the image', analyse))
    return { archive, ...dockerfile }
  } finally {
    await rm(workdir, { recursive: true, force: true })
  }
}

/** The image as Podman saves it, every blob checked; its ID is Podman's (the config digest), which `podman image inspect` accepts. */
async function podmanArchive(ref: string, options: ArchiveOptions, log: Log): Promise<ImageArchive> {
  const image = await inspectPodmanImage(ref)
  const read = (stream: AsyncIterable<Uint8Array>) => readImageArchive(stream, { ...options, checkBlobs: true, format: 'oci' })
  const archive = await savePodmanImage(image.id, read).catch((error: unknown) => {
    if (!(error instanceof PlatformMissing)) throw error
    throw new UserError(`${Input.Platform}: image ${ref} has no ${error.platform} image (it has ${error.available.join(', ') || 'none'})`)
  })
  logWarnings(archive, log)
  return { ...archive, id: image.id }
}
