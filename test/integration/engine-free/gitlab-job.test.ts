/**
 * docs/gitlab.md's job, run as GitLab's runner runs it: its script lines in one bash with `set -eo
 * pipefail`, its variables and GitLab's predefined ones set, Podman (the suite's private store) building,
 * the bundled CLI gating, and curl posting to a loopback stand-in for the merge request notes endpoint.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { ACTION_NODE, ROOT } from '../../support/bundle.js'
import { host, usePodmanStore } from '../../support/producers.js'

// 120 s for a test: a podman build of one COPY and the CLI on its archive, 6 s measured.
jest.setTimeout(120_000)

const TOKEN = 'glpat-sizegate0123456789'
const NOTES = '/api/v4/projects/42/merge_requests/7/notes'
// Unique per process: the Podman store is shared with other runs of the suite.
const SHA = `gl${process.pid}`

interface Job {
  variables: Record<string, string>
  script: string[]
}

interface Note {
  path: string
  token: string | undefined
  body: string
}

/** The job as docs/gitlab.md shows it: its one yaml block. */
async function documentedJob(): Promise<Job> {
  const doc = await readFile(join(ROOT, 'docs/gitlab.md'), 'utf8')
  const block = /^```yaml\n([\s\S]*?)^```$/m.exec(doc)?.[1] ?? ''
  return (parse(block) as Record<string, Job>)['image-size'] as Job
}

/** The notes endpoint: records each note, answering 201 as GitLab does, or `status` when told. */
class NotesStandIn {
  readonly notes: Note[] = []
  status = 201
  private server: Server | undefined

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      let data = ''
      request.on('data', (chunk: Buffer) => (data += chunk.toString()))
      request.on('end', () => {
        const token = request.headers['private-token']
        this.notes.push({
          path: request.url ?? '',
          token: typeof token === 'string' ? token : undefined,
          body: new URLSearchParams(data).get('body') ?? ''
        })
        response.writeHead(this.status, { 'content-type': 'application/json' }).end(JSON.stringify({ id: this.notes.length }))
      })
    })
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve))
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}/api/v4`
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
  }
}

let job: Job
let project: string
let notes: NotesStandIn
let apiUrl: string
/** A folder on PATH whose `node` is the runner's Node, as the job's image would have it. */
let nodeDir: string

/** Runs the job's script lines in the project folder, GitLab's variables set. */
function runJob(variables: Record<string, string>): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const env = {
    PATH: `${nodeDir}:${process.env['PATH'] ?? ''}`,
    HOME: process.env['HOME'] ?? '/root',
    CONTAINERS_STORAGE_CONF: process.env['CONTAINERS_STORAGE_CONF'] ?? '',
    CONTAINERS_CONF: process.env['CONTAINERS_CONF'] ?? '',
    ...job.variables,
    IMAGE_SIZE_GATE: join(ROOT, 'dist/cli/index.js'),
    CI_API_V4_URL: apiUrl,
    CI_PROJECT_ID: '42',
    CI_MERGE_REQUEST_IID: '7',
    CI_COMMIT_SHORT_SHA: SHA,
    SIZE_GATE_TOKEN: TOKEN,
    ...variables
  }
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-eo', 'pipefail', '-c', job.script.join('\n')], { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let [stdout, stderr] = ['', '']
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ exitCode: code ?? -1, stdout, stderr }))
  })
}

beforeAll(async () => {
  await usePodmanStore()
  job = await documentedJob()
  project = await mkdtemp(join(tmpdir(), 'isg-gitlab-'))
  await writeFile(join(project, 'Dockerfile'), 'FROM scratch\nCOPY app /app\n')
  await writeFile(join(project, 'app'), randomBytes(100_000))
  nodeDir = join(project, '.node')
  await mkdir(nodeDir)
  await symlink(ACTION_NODE === 'node' ? process.execPath : ACTION_NODE, join(nodeDir, 'node'))
  notes = new NotesStandIn()
  apiUrl = await notes.start()
})

afterAll(async () => {
  await notes.close()
  await host('podman', ['rmi', '--force', `size-gate:${SHA}`]).catch(() => '')
  await rm(project, { recursive: true, force: true })
})

describe("docs/gitlab.md's job", () => {
  it('declares its two variables and prints the note with --format markdown', () => {
    expect(job.variables).toEqual({ MAX_SIZE: '25MB', IMAGE_SIZE_GATE: '/opt/image-size-gate/dist/cli/index.js' })
    expect(job.script.join('\n')).toContain('--format markdown')
  })

  it('posts the note first, then fails the job when the image is over MAX_SIZE', async () => {
    const before = notes.notes.length
    const run = await runJob({ MAX_SIZE: '50kB' })
    expect(run.exitCode).toBe(1)
    const note = notes.notes[before]
    expect(note).toMatchObject({ path: NOTES, token: TOKEN })
    expect(note?.body).toBe(await readFile(join(project, 'size-note.md'), 'utf8'))
    expect(note?.body).toMatch(/^<!-- image-size-gate: key="image oci-archive:image.tar" -->\n### ❌ image-size-gate failed/)
    expect(note?.body).toContain('size-budget')
    const report = JSON.parse(await readFile(join(project, 'size-report.json'), 'utf8')) as { passed: boolean; image: { size: number } }
    expect(report.passed).toBe(false)
    expect(report.image.size).toBe(100_000)
  })

  it('passes under MAX_SIZE and posts a passing note', async () => {
    const before = notes.notes.length
    const run = await runJob({})
    expect(run.exitCode).toBe(0)
    expect(notes.notes[before]?.body).toMatch(/^<!-- image-size-gate: key="image oci-archive:image.tar" -->\n### ✅ image-size-gate passed/)
  })

  it('keeps the verdict when the note cannot be posted, and says so in one line', async () => {
    notes.status = 500
    try {
      const run = await runJob({})
      expect(run.exitCode).toBe(0)
      expect(run.stdout).toContain('image-size-gate: the merge request note was not posted')
    } finally {
      notes.status = 201
    }
  })
})
