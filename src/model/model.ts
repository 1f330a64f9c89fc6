import type { ImageArchive } from '../archive/archive.js'
import type { BuildStep, ImageConfig } from '../archive/image-documents.js'
import { platformName, type LayerCompression } from '../archive/descriptor.js'
import type { Stage } from './dockerfile.js'
import { MergedFilesystem } from './filesystem.js'
import { describeStep, stepsForLayers, matchInstructions } from './instructions.js'
import { engineLayerSize, layerOrigin } from '../archive/layer-size.js'

/** One layer of an image, as measured. */
export interface Layer {
  index: number
  diffId: string
  /** Bytes as `docker image inspect` counts them. */
  size: number
  /** Compressed bytes (the blob's own when it is compressed, else a gzip estimate); undefined when not measured. */
  compressedSize?: number
  compressedExact: boolean
  /** How the blob the analysis read was compressed; `none` means compressedSize is an estimate. */
  compression?: LayerCompression
  /** Where compressedSize was taken from instead of being measured (a baseline), when it was. */
  compressedFrom?: string
  files: number
  createdBy?: string
  /** The history entry as an instruction, e.g. `RUN go build -o /app .`. */
  instruction?: string
  dockerfileLine?: number
}

/** An analysed image: what it weighs, layer by layer, and what a container of it sees. */
export interface ImageModel {
  /** The ID the engine knows the image by (or the archive's name for it). */
  id: string
  /** The image config's digest: the classic store's ID, not the containerd store's. */
  configDigest?: string
  platform: string
  size: number
  compressedSize?: number
  compressedExact: boolean
  layers: Layer[]
  config: ImageConfig
  env: Record<string, string>
  filesystem: MergedFilesystem
}

/** An image read from the engine or a build, with the Dockerfile stage that made it, when known. */
export interface Source {
  archive: ImageArchive
  /** The engine's size of each history entry, when the image is in its store: it shows how each layer was sized. */
  engineSizes?: number[]
  stage?: Stage
  dockerfile?: string
}

/**
 * Joins an archive's layers with their history and, given the built stage, with Dockerfile lines.
 * `engineSizes` are the engine's own sizes per history entry, oldest first, when the image is in its store.
 */
export function buildImageModel(archive: ImageArchive, stage?: Stage, engineSizes?: readonly number[]): ImageModel {
  const history = archive.config.history ?? []
  const perLayer = stepsForLayers(history, archive.layers.length)
  const lines = stage ? instructionLines(stage, history) : new Map<BuildStep, number>()
  const engineSizeOf = engineSizeLookup(history, engineSizes)
  const layers = archive.layers.map((scan, index): Layer => {
    const entry = perLayer[index]
    const layer: Layer = {
      index,
      diffId: archive.diffIds[index] ?? '',
      size: engineLayerSize(scan.bytes, layerOrigin(scan.bytes, entry && engineSizeOf.get(entry))),
      compressedExact: scan.compressedExact,
      compression: scan.compression,
      files: scan.files
    }
    if (scan.compressedSize !== undefined) layer.compressedSize = scan.compressedSize
    if (scan.compressedFrom !== undefined) layer.compressedFrom = scan.compressedFrom
    if (entry?.created_by) layer.createdBy = entry.created_by
    if (entry) layer.instruction = describeStep(entry)
    const line = entry ? lines.get(entry) : undefined
    if (line !== undefined) layer.dockerfileLine = line
    return layer
  })
  const measured = layers.every((layer) => layer.compressedSize !== undefined)
  return {
    id: archive.id,
    configDigest: archive.configDigest,
    platform: platformName(archive.config),
    size: sum(layers.map((layer) => layer.size)),
    compressedSize: measured ? sum(layers.map((layer) => layer.compressedSize ?? 0)) : undefined,
    compressedExact: layers.every((layer) => layer.compressedExact),
    layers,
    config: archive.config,
    env: parseEnv(archive.config.config?.Env ?? []),
    filesystem: MergedFilesystem.fromLayers(archive.layers.map((scan) => scan.entries))
  }
}

/** The engine's size for each history entry; none when its list does not line up with the history. */
function engineSizeLookup(history: readonly BuildStep[], engineSizes: readonly number[] | undefined): Map<BuildStep, number> {
  const sizes = new Map<BuildStep, number>()
  if (engineSizes?.length !== history.length) return sizes
  history.forEach((entry, index) => sizes.set(entry, engineSizes[index] as number))
  return sizes
}

function instructionLines(stage: Stage, history: BuildStep[]): Map<BuildStep, number> {
  const matches = matchInstructions(stage, history)
  const lines = new Map<BuildStep, number>()
  history.forEach((entry, index) => {
    const instruction = matches[index]
    if (instruction) lines.set(entry, instruction.line)
  })
  return lines
}

function parseEnv(env: string[]): Record<string, string> {
  const result: Record<string, string> = {}
  for (const pair of env) {
    const equals = pair.indexOf('=')
    if (equals > 0) result[pair.slice(0, equals)] = pair.slice(equals + 1)
  }
  return result
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0)
}
