/**
 * The JSON documents of an image archive or layout (index.json, manifest.json, manifests, indexes,
 * configs), kept by path and checked against their shape before use: whoever wrote the archive may
 * have written anything.
 */
import { z } from 'zod'
import { List, SchemaError, checked } from '../schema.js'

/** Thrown when an archive is readable as tar but is not an image archive we understand. */
export class ArchiveError extends Error {
  override readonly name = 'ArchiveError'
}

/** One entry of an image config's `history` array (OCI image spec). */
export interface BuildStep {
  created?: string
  created_by?: string
  empty_layer?: boolean
  comment?: string
  author?: string
}

/** The parts of an OCI/Docker image config that the gate reads. */
export interface ImageConfig {
  architecture?: string
  os?: string
  variant?: string
  config?: {
    Env?: string[] | null
    Entrypoint?: string[] | null
    Cmd?: string[] | null
    WorkingDir?: string
    User?: string
    Labels?: Record<string, string> | null
  }
  rootfs?: { type?: string; diff_ids?: string[] }
  history?: BuildStep[]
}

/** A content address the layout can hold: only hex after the algorithm, so it never names a path outside `blobs/`. */
const DIGEST_PATTERN = /^(?:sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/
const Digest = z.string({ error: 'a digest' }).regex(DIGEST_PATTERN, { error: 'a digest (sha256: and 64 hex digits)' })

const PlatformSchema = z.object({ os: z.string().optional(), architecture: z.string().optional(), variant: z.string().optional() })

export const DescriptorSchema = z.object({
  mediaType: z.string().optional(),
  digest: Digest,
  size: z.number().int().min(0),
  platform: PlatformSchema.optional(),
  annotations: z.record(z.string(), z.string()).optional()
})

/** An image index: index.json, or a multi-platform image's index blob. */
export const IndexSchema = z.object({ manifests: List(DescriptorSchema).optional() })

/** An image manifest: its config and its layers in order. */
export const ManifestSchema = z.object({ config: DescriptorSchema, layers: List(DescriptorSchema) })

/** An index or a manifest, told apart by which fields it has. */
export const IndexOrManifestSchema = z.object({
  manifests: List(DescriptorSchema).optional(),
  config: DescriptorSchema.optional(),
  layers: List(DescriptorSchema).optional()
})

/** `docker save`'s manifest.json: one entry per image, with the tags it was saved under. */
export const DockerManifestSchema = List(
  z.object({ Config: z.string(), RepoTags: z.array(z.string()).nullish(), Layers: List(z.string()) })
)

const Strings = z.array(z.string()).nullish()

/** The parts of an image config the gate reads, each of the type it is read as; other fields pass untouched. */
export const ImageConfigSchema: z.ZodType<ImageConfig> = z.looseObject({
  architecture: z.string().optional(),
  os: z.string().optional(),
  variant: z.string().optional(),
  config: z
    .looseObject({
      Env: Strings,
      Entrypoint: Strings,
      Cmd: Strings,
      WorkingDir: z.string().optional(),
      User: z.string().optional(),
      Labels: z.record(z.string(), z.string()).nullish()
    })
    .optional(),
  rootfs: z.looseObject({ type: z.string().optional(), diff_ids: z.array(z.string()).optional() }).optional(),
  history: z
    .array(
      z.looseObject({
        created: z.string().optional(),
        created_by: z.string().optional(),
        empty_layer: z.boolean().optional(),
        comment: z.string().optional(),
        author: z.string().optional()
      })
    )
    .optional()
})

/** JSON documents (manifests, configs) are small; a larger "JSON" entry is not one of them. */
export const MAX_DOCUMENT_BYTES = 16 << 20
/** All of an archive's documents together: far above any real image's, and a bound on what a hostile one can make us keep. */
export const MAX_DOCUMENTS_BYTES = 64 << 20

/** An archive's JSON documents by path, within MAX_DOCUMENTS_BYTES in all. */
export class Documents {
  private readonly texts = new Map<string, string>()
  private bytes = 0

  set(path: string, text: string): void {
    this.bytes += text.length
    if (this.bytes > MAX_DOCUMENTS_BYTES) {
      throw new ArchiveError(
        `the archive's JSON documents pass ${MAX_DOCUMENTS_BYTES >> 20} MiB in all (at ${path}); it is not an image archive`
      )
    }
    this.texts.set(path, text)
  }

  has(path: string): boolean {
    return this.texts.has(path)
  }

  /** The document at `path` read as `schema`; a missing, non-JSON or wrongly shaped one is one sentence naming it. */
  read<S extends z.ZodType>(path: string, schema: S): z.output<S> {
    const text = this.texts.get(path)
    if (text === undefined) throw new ArchiveError(`image archive has no ${path}`)
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch {
      throw new ArchiveError(`image archive entry ${path} is not valid JSON`)
    }
    try {
      return checked(schema, value)
    } catch (error) {
      if (error instanceof SchemaError) throw new ArchiveError(`image archive entry ${path} is not as expected: ${error.message}`)
      throw error
    }
  }
}

/** Where a layout keeps the blob of this digest. */
export function blobPath(digest: string): string {
  const [algorithm, hex] = digest.split(':')
  return `blobs/${algorithm}/${hex}`
}

/**
 * The digest a path names, where it names its content's: a layout's `blobs/<algorithm>/<hex>`, and the
 * names `docker save` and crane give configs and layers (`<hex>.json`, `sha256:<hex>`, `<hex>.tar.gz`).
 * A legacy `<id>/layer.tar` names none: its id is not its content's digest.
 */
export function digestOfPath(path: string): string | undefined {
  const blob = /^blobs\/(sha256|sha512)\/([0-9a-f]{64}|[0-9a-f]{128})$/.exec(path)
  if (blob) return `${blob[1]}:${blob[2]}`
  const named = /^(?:sha256:([0-9a-f]{64})|([0-9a-f]{64})\.(?:json|tar\.gz|tar))$/.exec(path)
  return named ? `sha256:${named[1] ?? named[2]}` : undefined
}
