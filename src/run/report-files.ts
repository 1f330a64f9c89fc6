/**
 * The `reports` input: JSON reports that other jobs or another workflow run wrote, found by globs inside
 * the workspace and read as untrusted data. Each file is bounded and checked by the report's one schema;
 * a symbolic link, a path leading outside the workspace, too many files, too large a file or one that is
 * not a report is named in one sentence, and the others are still read.
 */
import { lstat, readdir, realpath } from 'node:fs/promises'
import { isAbsolute, join, posix, relative, sep } from 'node:path'
import picomatch from 'picomatch'
import { UserError, messageOf } from '../errors.js'
import { Input } from '../inputs.js'
import { readJsonFile } from '../json-file.js'
import type { ReportEntry } from '../report/image-table.js'
import { parseReportFile } from '../report/report-schema.js'
import { formatBytes } from '../size.js'

/** Far above a matrix of real images; a hostile artifact cannot make the step read without end. */
export const MAX_REPORT_FILES = 500
/** A real report of a large image is a few MB; more is not a report worth reading. */
export const MAX_REPORT_FILE_BYTES = 16 * 1024 ** 2
/** All report files together: what the step may hold in memory at once. */
export const MAX_REPORT_BYTES = 256 * 1024 ** 2
/** Directory entries looked at while matching: a glob such as `**` cannot walk a huge tree without end. */
const MAX_WALKED_ENTRIES = 200_000

/** The entries read, and one sentence for each file (or limit) that could not be used. */
export interface ReadReports {
  entries: ReportEntry[]
  problems: string[]
  /** How many report files were found, used or not. */
  files: number
}

/** A glob must stay inside the workspace: relative, with no `..` step. */
function checkPattern(pattern: string): void {
  const steps = pattern.split(/[\\/]/)
  if (isAbsolute(pattern) || steps.includes('..')) {
    throw new UserError(`${Input.Reports}: '${pattern}' leads outside the workspace; give a glob relative to it, e.g. reports/**/*.json`)
  }
}

/** Finds and reads every report the globs match under `workspace`, in path order. */
export async function readReports(patterns: readonly string[], workspace: string): Promise<ReadReports> {
  patterns.forEach(checkPattern)
  const root = await realpath(workspace).catch((error: unknown) => {
    throw new UserError(`${Input.Reports}: the workspace '${workspace}' cannot be read (${messageOf(error)})`)
  })
  const found = await findFiles(patterns, root)
  const problems = [...found.problems]
  const files = found.files.slice(0, MAX_REPORT_FILES)
  if (found.files.length > MAX_REPORT_FILES) {
    problems.push(
      `${Input.Reports}: the globs match ${found.files.length} files, over the limit of ${MAX_REPORT_FILES}; only the first ${MAX_REPORT_FILES} were read`
    )
  }
  const entries: ReportEntry[] = []
  let total = 0
  for (const file of files) {
    const size = (await lstat(join(root, file))).size
    if (total + size > MAX_REPORT_BYTES) {
      problems.push(
        `${Input.Reports}: '${file}' was not read: the reports before it reach the ${formatBytes(MAX_REPORT_BYTES)} limit for all reports together`
      )
      continue
    }
    total += size
    const read = await readReport(root, file)
    if (typeof read === 'string') problems.push(read)
    else entries.push(...read)
  }
  return { entries, problems, files: found.files.length }
}

/** One file's reports, one per platform, or the sentence saying why it cannot be used. */
async function readReport(root: string, file: string): Promise<ReportEntry[] | string> {
  const path = join(root, file)
  try {
    const contents = await readJsonFile(
      path,
      Input.Reports,
      { what: 'an image-size-gate report', parse: parseReportFile },
      MAX_REPORT_FILE_BYTES
    )
    if (contents === null) return `${Input.Reports}: '${file}' disappeared while it was being read`
    const reports = 'platforms' in contents ? contents.platforms : [contents]
    return reports.map((report) => ({ file, report }))
  } catch (error) {
    if (!(error instanceof UserError)) throw error
    // The message names the file by its absolute path; the workspace-relative one is what the user gave.
    return error.message.replace(`'${path}'`, `'${file}'`)
  }
}

interface Found {
  /** Workspace-relative paths, with `/`, sorted, each once. */
  files: string[]
  problems: string[]
}

/** Walks from each glob's fixed directory, never through a symbolic link; a link that matches is refused. */
async function findFiles(patterns: readonly string[], root: string): Promise<Found> {
  const files = new Set<string>()
  const problems = new Set<string>()
  let budget = MAX_WALKED_ENTRIES
  for (const pattern of patterns) {
    const matches = picomatch(pattern, { dot: false })
    const scan = picomatch.scan(pattern)
    // A plain path is its own match: the walk starts in its directory.
    const start = scan.isGlob ? scan.base : posix.dirname(scan.base).replace(/^\.$/, '')
    const outside = await leadsOutside(root, start)
    if (outside) {
      problems.add(`${Input.Reports}: '${start}' leads outside the workspace through a symbolic link, so '${pattern}' is not read`)
      continue
    }
    const queue = [start]
    for (let dir = queue.shift(); dir !== undefined; dir = queue.shift()) {
      const children = await readdir(join(root, dir), { withFileTypes: true }).catch(() => [])
      budget -= children.length
      if (budget < 0)
        throw new UserError(
          `${Input.Reports}: the globs walk more than ${MAX_WALKED_ENTRIES} directory entries; make them narrower, e.g. reports/*.json`
        )
      for (const child of children) {
        const path = dir ? `${dir}/${child.name}` : child.name
        if (child.isSymbolicLink()) {
          if (matches(path))
            problems.add(`${Input.Reports}: '${path}' is a symbolic link; reports are read only as regular files inside the workspace`)
        } else if (child.isDirectory()) queue.push(path)
        else if (matches(path)) files.add(path)
      }
    }
  }
  return { files: [...files].sort(), problems: [...problems] }
}

/** True when the glob's fixed directory resolves outside the workspace (one of its steps is a link). */
async function leadsOutside(root: string, start: string): Promise<boolean> {
  if (start === '') return false
  const real = await realpath(join(root, start)).catch(() => null)
  if (real === null) return false
  const inside = relative(root, real)
  return inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)
}
