/**
 * Images from files, in skopeo's transport syntax: an `oci-archive:` or `docker-archive:` tarball,
 * streamed, or an `oci:` layout directory, read in place. No engine is asked anything.
 */
import { createReadStream } from 'node:fs'
import { open, realpath, stat } from 'node:fs/promises'
import { join, sep } from 'node:path'
import { readImageArchive, readImageLayout, type ArchiveOptions, type ImageArchive, type LayoutFiles } from '../archive/archive.js'
import { ArchiveError } from '../archive/image-documents.js'
import { describeLocation, type ArchiveTransport } from '../archive/image-location.js'
import { UserError, messageOf } from '../errors.js'

/** An image in a file or directory. */
export interface ArchiveLocation {
  transport: ArchiveTransport
  path: string
  ref: string
}

const READ_AHEAD = 1 << 20

/**
 * Reads the image at `location`, every blob checked against its digest. Whatever is wrong with the file
 * (missing, truncated, damaged, forged, ambiguous) is one sentence naming `input` and the location.
 */
export async function readArchiveImage(location: ArchiveLocation, options: ArchiveOptions, input: string): Promise<ImageArchive> {
  const named = `${input}: ${describeLocation(location)}`
  await checkKind(location, named)
  const selected: ArchiveOptions = { ...options, checkBlobs: true, format: location.transport === 'docker-archive' ? 'docker' : 'oci' }
  if (location.ref) selected.ref = location.ref
  try {
    if (location.transport === 'oci') return await readImageLayout(layoutFiles(location.path), selected)
    return await readImageArchive(createReadStream(location.path, { highWaterMark: READ_AHEAD }), selected)
  } catch (error) {
    if (error instanceof UserError) throw error
    throw new UserError(`${named}: ${messageOf(error)}`)
  }
}

/** Whether the file or directory a location names exists (a missing baseline file is no baseline, not an error). */
export async function archiveExists(location: ArchiveLocation): Promise<boolean> {
  return stat(location.path).then(
    () => true,
    () => false
  )
}

async function checkKind(location: ArchiveLocation, named: string): Promise<void> {
  const found = await stat(location.path).catch((error: unknown) => {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT'
    throw new UserError(`${named}: '${location.path}' ${missing ? 'does not exist' : `cannot be read (${messageOf(error)})`}`)
  })
  const directory = location.transport === 'oci'
  if (directory && !found.isDirectory()) throw new UserError(`${named}: '${location.path}' is not a directory; an oci: layout is one`)
  if (!directory && !found.isFile()) throw new UserError(`${named}: '${location.path}' is not a regular file`)
}

/** The layout's files, each a regular file inside it: a link that leads out of the layout is refused. */
function layoutFiles(dir: string): LayoutFiles {
  return {
    async document(path, limit) {
      const found = await regularFile(dir, path)
      if (!found) return undefined
      if (found.size > limit) throw new ArchiveError(`${path} is ${found.size} bytes, too large to be a manifest`)
      const handle = await open(found.path, 'r')
      try {
        const bytes = Buffer.alloc(found.size)
        const { bytesRead } = await handle.read(bytes, 0, found.size, 0)
        return bytes.subarray(0, bytesRead)
      } finally {
        await handle.close()
      }
    },
    async blob(path) {
      const found = await regularFile(dir, path)
      if (!found) throw new ArchiveError(`the layout lists ${path} but does not contain it`)
      return { size: found.size, stream: createReadStream(found.path, { highWaterMark: READ_AHEAD }) }
    }
  }
}

/** The file's real path and size when it is a regular file inside the layout; undefined when it is absent. */
async function regularFile(dir: string, path: string): Promise<{ path: string; size: number } | undefined> {
  const absent = (error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new ArchiveError(`${path} cannot be read (${messageOf(error)})`)
  }
  const [root, real] = [await realpath(dir), await realpath(join(dir, path)).catch(absent)]
  if (real === undefined) return undefined
  if (!real.startsWith(`${root}${sep}`)) throw new ArchiveError(`${path} leads outside the layout; its blobs must be files inside it`)
  const found = await stat(real)
  if (!found.isFile()) throw new ArchiveError(`${path} is not a regular file`)
  return { path: real, size: found.size }
}
