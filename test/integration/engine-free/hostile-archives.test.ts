/**
 * Hostile image files through the bundled CLI, as a user meets them: each is one sentence that names the
 * file, exit code 1, no stack trace and nothing on stdout, and the process stays within the memory budget.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { execFile } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { ACTION_NODE, ROOT } from '../../support/bundle.js'
import { GZIP_LAYER, blobOf, layoutTar, makeLayout, type LayoutFileMap } from '../../support/oci-layout.js'
import { makeTar, sha256 } from '../../support/tar-writer.js'

// 60 s for a test: each runs the CLI on a file of at most a few MB; 3 s measured.
jest.setTimeout(60_000)

/** Issue 8's budget for the analysis's peak RSS. */
const RSS_BUDGET_KB = 150 * 1024

let dir: string
const app = makeTar([{ path: 'app', content: randomBytes(200_000), mode: 0o755 }])
const good = makeLayout([{ ref: 'svc', platforms: [{ platform: 'linux/amd64', layers: [app] }] }])

interface Run {
  exitCode: number
  stdout: string
  stderr: string
  rssKb: number
}

/** The CLI under /usr/bin/time, which writes the peak RSS in KiB as the last line of its own file. */
function cli(args: string[]): Promise<Run> {
  const timeFile = join(dir, 'time.txt')
  return new Promise((resolve) => {
    execFile(
      '/usr/bin/time',
      ['-o', timeFile, '-f', '%M', ACTION_NODE, join(ROOT, 'dist/cli/index.js'), ...args, '--quiet'],
      { cwd: dir, maxBuffer: 1 << 24 },
      (error, stdout, stderr) => {
        void readFile(timeFile, 'utf8').then((time) => {
          const rssKb = Number(time.trimEnd().split('\n').pop())
          resolve({ exitCode: error ? Number(error.code) : 0, stdout, stderr: stderr.trimEnd(), rssKb })
        })
      }
    )
  })
}

/** Bytes that look random but are the same on every run, so the sentence they cause is too. */
function noise(length: number): Buffer {
  const blocks = Array.from({ length: Math.ceil(length / 32) }, (_, index) => createHash('sha256').update(String(index)).digest())
  return Buffer.concat(blocks).subarray(0, length)
}

async function write(name: string, data: Buffer): Promise<string> {
  await writeFile(join(dir, name), data)
  return name
}

/** The layout written as a directory. */
async function writeLayout(name: string, files: LayoutFileMap): Promise<string> {
  for (const [path, data] of files) {
    await mkdir(join(dir, name, path, '..'), { recursive: true })
    await writeFile(join(dir, name, path), data)
  }
  return name
}

function withIndex(files: LayoutFileMap, edit: (manifests: Record<string, unknown>[]) => Record<string, unknown>[]): LayoutFileMap {
  const index = JSON.parse((files.get('index.json') as Buffer).toString()) as { manifests: Record<string, unknown>[] }
  return new Map([...files, ['index.json', Buffer.from(JSON.stringify({ ...index, manifests: edit(index.manifests) }))]])
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'isg-hostile-'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('hostile image files, through the CLI', () => {
  const cases: [string, () => Promise<string>, string][] = [
    [
      'a truncated archive',
      async () => `oci-archive:${await write('cut.tar', layoutTar(good).subarray(0, 150_000))}`,
      'tar stream ended in the middle of an entry'
    ],
    [
      'a blob whose digest does not match',
      async () => {
        const forged = gzipSync(makeTar([{ path: 'evil', content: 'y'.repeat(1000) }]))
        const files = new Map([...good, [blobOf(gzipSync(app)), forged]])
        return `oci-archive:${await write('forged.tar', layoutTar(files))}`
      },
      'is damaged: its content hashes to'
    ],
    [
      'a manifest pointing outside the layout',
      async () =>
        `oci:${await writeLayout(
          'escape',
          withIndex(good, (m) => [{ ...m[0], digest: 'sha256:../../../../etc/passwd' }])
        )}`,
      'index.json is not as expected: manifests[0].digest should be a digest (sha256: and 64 hex digits), not a string'
    ],
    [
      'a layout whose blob is a link leading out of it',
      async () => {
        const name = await writeLayout('linked', good)
        const layer = join(dir, name, blobOf(gzipSync(app)))
        await rm(layer)
        await symlink('/etc/passwd', layer)
        return `oci:${name}`
      },
      'leads outside the layout; its blobs must be files inside it'
    ],
    [
      'a 10,000-entry index',
      async () =>
        `oci-archive:${await write('many.tar', layoutTar(withIndex(good, (m) => Array.from({ length: 10_000 }, () => m[0] ?? {}))))}`,
      'the layout holds 10000 images (svc linux/amd64, svc linux/amd64'
    ],
    [
      'noise for an archive',
      async () => `docker-archive:${await write('noise.tar', noise(100_000))}`,
      'tar header checksum mismatch: the stream is not a tar archive or is corrupt'
    ],
    ['a missing file', async () => 'oci-archive:missing.tar', "'missing.tar' does not exist"],
    ['a file for a layout directory', async () => `oci:${await write('plain-file', Buffer.from('x'))}`, 'is not a directory']
  ]

  it.each(cases)('%s is one sentence naming the file', async (_, make, reason) => {
    const location = await make()
    const run = await cli(['--image', location])
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr.split('\n')).toHaveLength(1)
    expect(run.stderr.startsWith(`image-size-gate: image: ${location}: `)).toBe(true)
    expect(run.stderr).toContain(reason)
    expect(run.stderr).not.toMatch(/\n\s+at /)
    expect(run.rssKb).toBeLessThan(RSS_BUDGET_KB)
  })

  it('reads a layer that is not what its media type says by its content, warns, and never calls its size exact', async () => {
    const mislabelled = makeLayout([
      { platforms: [{ platform: 'linux/amd64', layers: [app] }], blobs: (layer) => layer, layerMediaType: GZIP_LAYER }
    ])
    const location = `oci-archive:${await write('mislabelled.tar', layoutTar(mislabelled))}`
    const run = await cli(['--image', location, '--format', 'json'])
    expect(run.exitCode).toBe(0)
    const report = JSON.parse(run.stdout) as { image: { layers: { compression: string; compressedExact: boolean; diffId: string }[] } }
    expect(report.image.layers[0]).toMatchObject({ compression: 'none', compressedExact: false, diffId: sha256(app) })
    expect(run.rssKb).toBeLessThan(RSS_BUDGET_KB)
  })

  it('warns in one line on the terminal when the layer lies about its media type', async () => {
    const mislabelled = makeLayout([
      { platforms: [{ platform: 'linux/amd64', layers: [app] }], blobs: (layer) => layer, layerMediaType: GZIP_LAYER }
    ])
    const location = `oci-archive:${await write('mislabelled-text.tar', layoutTar(mislabelled))}`
    const run = await cli(['--image', location])
    expect(run.exitCode).toBe(0)
    expect(run.stderr).toBe(
      `warning: layer ${blobOf(app)} is labelled ${GZIP_LAYER} but holds a plain tar; it was read by its content, and its compressed size is not exact`
    )
  })
})
