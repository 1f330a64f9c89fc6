import { constants, type Stats } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import { UserError } from './errors.js'
import { Json, SchemaError } from './schema.js'
import { formatBytes } from './size.js'

/** The largest JSON file read back (a saved report, an event payload): far above any real one. */
export const MAX_JSON_FILE_BYTES = 64 * 1024 ** 2

/** What a JSON file should hold, e.g. `an image-size-gate report`, and how to check it (throwing a SchemaError). */
export interface JsonContents<T> {
  what: string
  parse: (value: unknown) => T
}

/**
 * Reads, parses and checks the JSON file `path`, which the setting `name` points at; null only when it does
 * not exist. A directory, FIFO or device, a file over `maxBytes`, text that is not JSON, or contents that are
 * not `contents.what` is a UserError naming `name`, the path and the first problem.
 */
export async function readJsonFile<T>(
  path: string,
  name: string,
  contents: JsonContents<T>,
  maxBytes = MAX_JSON_FILE_BYTES
): Promise<T | null> {
  const text = await readTextFile(path, name, maxBytes)
  if (text === null) return null
  const json = Json.safeParse(text)
  if (!json.success) throw new UserError(`${name}: '${path}' is not valid JSON`)
  try {
    return contents.parse(json.data)
  } catch (error) {
    if (!(error instanceof SchemaError)) throw error
    throw new UserError(`${name}: '${path}' is not ${contents.what}: ${error.message}`)
  }
}

/** The text of the file `path` (named by the setting `name`), checked as readJsonFile checks; null when it does not exist. */
export async function readTextFile(path: string, name: string, maxBytes: number): Promise<string | null> {
  const info = await stat(path).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new UserError(`${name}: '${path}' cannot be read (${reasonOf(error)})`)
  })
  if (!info) return null
  if (!info.isFile()) throw new UserError(`${name}: '${path}' is ${kindOf(info)}, not a regular file`)
  if (info.size > maxBytes) throw tooLarge(path, name, info.size, maxBytes)
  return readAtMost(path, name, maxBytes)
}

function tooLarge(path: string, name: string, size: number, maxBytes: number, what = 'a JSON file'): UserError {
  return new UserError(`${name}: '${path}' is ${formatBytes(size)}, over the ${maxBytes / 1024 ** 2} MiB limit for ${what}`)
}

/** Reads in chunks, failing past `maxBytes`: the file may have grown since it was checked. */
async function readAtMost(path: string, name: string, maxBytes: number): Promise<string> {
  // O_NONBLOCK: should the path have become a FIFO since the check, opening it must not wait for a writer.
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK).catch((error: unknown) => {
    throw new UserError(`${name}: '${path}' cannot be read (${reasonOf(error)})`)
  })
  try {
    const info = await handle.stat()
    if (!info.isFile()) throw new UserError(`${name}: '${path}' is ${kindOf(info)}, not a regular file`)
    const chunks: Buffer[] = []
    let total = 0
    for (;;) {
      const chunk = Buffer.alloc(Math.min(1 << 20, maxBytes + 1 - total))
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null)
      if (bytesRead === 0) return Buffer.concat(chunks, total).toString('utf8')
      chunks.push(chunk.subarray(0, bytesRead))
      total += bytesRead
      if (total > maxBytes) throw tooLarge(path, name, Math.max(info.size, total), maxBytes)
    }
  } finally {
    await handle.close()
  }
}

/** An fs error's reason without the path the message already names, e.g. `ENOTDIR: not a directory`. */
export function reasonOf(error: unknown): string {
  // Read by shape: errors from another realm (as under jest) are not `instanceof Error`.
  const message =
    typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string' ? error.message : String(error)
  return message.replace(/, \w+ '[^']*'(?: -> '[^']*')?$/, '')
}

/** What a path that is not a regular file is, for a message: `a directory`, `a FIFO`, `a symbolic link`. */
export function kindOf(
  info: Pick<Stats, 'isDirectory' | 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice' | 'isSymbolicLink'>
): string {
  if (info.isSymbolicLink()) return 'a symbolic link'
  if (info.isDirectory()) return 'a directory'
  if (info.isFIFO()) return 'a FIFO'
  if (info.isSocket()) return 'a socket'
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device'
  return 'not a file'
}
