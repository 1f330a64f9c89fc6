import { randomBytes } from 'node:crypto'
import { lstat, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { UserError } from '../errors.js'
import { tempRoot } from '../temp-dir.js'
import { kindOf, readJsonFile, reasonOf } from '../json-file.js'
import { parseReportFile, type MultiPlatformReport, type Report, type ReportFile } from './report-schema.js'

/** The default report path: under RUNNER_TEMP in a workflow, the system temp dir elsewhere. */
export function defaultReportPath(): string {
  return join(tempRoot(), 'image-size-gate', `report-${process.pid}-${Date.now()}.json`)
}

/**
 * Checks that `path` can take the report, before anything is built: it is a regular file or does not exist,
 * and its directory is a directory or can be made. A symlink, FIFO or device would be replaced, not written.
 */
export async function checkReportPath(path: string, name: string): Promise<void> {
  const cannot = (error: unknown) => new UserError(`${name}: '${path}' cannot be written (${reasonOf(error)})`)
  const info = await lstat(path).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw cannot(error)
  })
  if (info && !info.isFile()) throw new UserError(`${name}: '${path}' is ${kindOf(info)}; give the path of a regular file`)
  const parent = await stat(dirname(path)).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw cannot(error)
  })
  if (parent && !parent.isDirectory()) throw new UserError(`${name}: '${path}' is inside '${dirname(path)}', which is not a directory`)
}

/** Reads a report an earlier run wrote, named by the setting `name`; null when the file does not exist. */
export async function readReportFile(path: string, name: string): Promise<ReportFile | null> {
  return readJsonFile(path, name, { what: 'an image-size-gate report', parse: parseReportFile })
}

/** Writes the report atomically: a reader never sees a half-written file, and no partial file is left behind. */
export async function writeReportFile(report: Report | MultiPlatformReport, path: string, name = 'report'): Promise<string> {
  return writeTextFile(`${JSON.stringify(report, null, 2)}\n`, path, name)
}

/** Writes `text` to `path` (named by the setting `name`) atomically, after the checks of checkReportPath. */
export async function writeTextFile(text: string, path: string, name: string): Promise<string> {
  await checkReportPath(path, name)
  // A name nobody can have planted (a symlink, say) beside the file; `wx` refuses one that exists anyway.
  const partial = `${path}.${randomBytes(6).toString('hex')}.partial`
  try {
    await mkdir(dirname(path), { recursive: true })
    await writeFile(partial, text, { flag: 'wx' })
    await rename(partial, path)
    return path
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') await rm(partial, { force: true })
    throw new UserError(`${name}: '${path}' cannot be written (${reasonOf(error)})`)
  }
}
