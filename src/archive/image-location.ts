/**
 * Where an image is, in the transport syntax of skopeo, podman and buildah: `oci-archive:PATH[:REF]`,
 * `oci:DIR[:REF]`, `docker-archive:PATH[:REF]`, or a plain name for an image in the engine.
 */
import { UserError } from '../errors.js'

/** The file formats an image can be read from, named as skopeo names their transports. */
export type ArchiveTransport = 'oci-archive' | 'oci' | 'docker-archive'

/** An image in the engine's store, or one in a file or directory. */
export type ImageLocation = { transport: 'engine'; name: string } | { transport: ArchiveTransport; path: string; ref: string }

const ARCHIVE_TRANSPORTS: readonly ArchiveTransport[] = ['oci-archive', 'oci', 'docker-archive']

/** skopeo's other transports, which this action cannot read; `dir:1.0` stays an image named dir, tagged 1.0. */
const OTHER_TRANSPORTS = ['docker', 'dir', 'containers-storage', 'ostree', 'sif', 'tarball']

/** A tag as the distribution spec allows it; what follows another transport's colon and is none is that transport's. */
const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/

/** `docker-daemon:NAME` is skopeo's name for an image in the engine. */
const ENGINE_TRANSPORT = 'docker-daemon'

/** A REF is one printable word: a reference, a tag, or `@N` (the Nth image of a docker-archive). */
const REF_PATTERN = /^[\x21-\x7e]+$/

/** Parses `image` or `baseline-image`; `input` names it in the sentence a bad value gets. */
export function parseImageLocation(text: string, input: string): ImageLocation {
  const value = text.trim()
  const colon = value.indexOf(':')
  const prefix = colon === -1 ? '' : value.slice(0, colon)
  const rest = value.slice(colon + 1)
  if (prefix === ENGINE_TRANSPORT) return engineImage(rest, input)
  if (OTHER_TRANSPORTS.includes(prefix) && !TAG_PATTERN.test(rest)) {
    throw new UserError(
      `${input}: the ${prefix}: transport is not read here; use oci-archive:, oci:, docker-archive: or a local image name`
    )
  }
  if (!ARCHIVE_TRANSPORTS.includes(prefix as ArchiveTransport)) return engineImage(value, input)
  // As skopeo splits it: the path ends at the first colon, and the rest is the REF.
  const split = rest.indexOf(':')
  const path = split === -1 ? rest : rest.slice(0, split)
  const ref = split === -1 ? '' : rest.slice(split + 1)
  if (path === '') throw new UserError(`${input}: '${value}' names no file; use ${prefix}:PATH or ${prefix}:PATH:REF`)
  if (split !== -1 && !REF_PATTERN.test(ref)) {
    throw new UserError(`${input}: '${value}' has an empty or unprintable REF after the path; give a name such as ${prefix}:${path}:app`)
  }
  if (ref.startsWith('@') && prefix !== 'docker-archive') {
    throw new UserError(`${input}: '${value}': an @N index is a docker-archive's; an ${prefix} layout is narrowed by its ref name`)
  }
  return { transport: prefix as ArchiveTransport, path, ref }
}

function engineImage(name: string, input: string): ImageLocation {
  if (/\s/.test(name)) throw new UserError(`${input}: '${name}' is not an image name: it contains white space`)
  return { transport: 'engine', name }
}

/** How messages name the location, as the user wrote it. */
export function describeLocation(location: ImageLocation): string {
  if (location.transport === 'engine') return location.name
  return `${location.transport}:${location.path}${location.ref ? `:${location.ref}` : ''}`
}
