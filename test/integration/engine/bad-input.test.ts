import { describe, expect, it, jest } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdtemp, readdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { ENGINE, EXAMPLE, FIXTURES, runAction, runCli, type ActionRun } from '../../support/action-runner.js'

// 120 s for a test or hook: each test builds one small image, or fails before building: 5 s at most on a loaded 2-core machine.
jest.setTimeout(120_000)

/** A user error is one `::error::` line naming the input, exit 1, no stack trace, no outputs. */
function expectOneError(run: ActionRun, message: string | RegExp): void {
  expect(run.exitCode).toBe(1)
  const errors = run.stdout.split('\n').filter((line) => line.startsWith('::error'))
  expect(errors).toHaveLength(1)
  expect(errors[0]?.replace(/^::error::/, '')).toMatch(message)
  expect(run.stdout + run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m)
  expect(run.outputs).toEqual({})
}

/**
 * The directories the CLI takes buildx from: with its own DOCKER_CONFIG and with an empty one, where it
 * falls back to the system plugin directory (the Docker 28 modes have their own buildx in DOCKER_CONFIG).
 */
async function buildxPluginDirs(emptyConfig: string): Promise<string[]> {
  const dirs = new Set<string>()
  for (const config of [process.env['DOCKER_CONFIG'], emptyConfig]) {
    const env = config ? { ...process.env, DOCKER_CONFIG: config } : process.env
    const { stdout } = await promisify(execFile)('docker', ['info', '--format', '{{json .ClientInfo.Plugins}}'], { env })
    const plugins = JSON.parse(stdout) as { Name: string; Path: string }[]
    const buildx = plugins.find((plugin) => plugin.Name === 'buildx')
    if (buildx) dirs.add(dirname(buildx.Path))
  }
  return [...dirs]
}

const literal = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)

describe(`bad input gets one clear message (${ENGINE.label})`, () => {
  it('an unreadable max-size', async () => {
    const run = await runAction({ context: EXAMPLE, 'max-size': 'twelve megs' })
    expectOneError(run, literal("max-size: cannot read 'twelve megs' as a size; use e.g. 25MB, 25MiB, 0.5GB or a byte count"))
  })

  it('an unknown size-metric', async () => {
    const run = await runAction({ context: EXAMPLE, 'size-metric': 'gzip' })
    expectOneError(run, literal("size-metric: 'gzip' is not a metric; use uncompressed or compressed"))
  })

  it('a missing context', async () => {
    const run = await runAction({ context: '/nonexistent/context' })
    expectOneError(run, literal("context: '/nonexistent/context' is not a directory"))
  })

  it('a missing Dockerfile', async () => {
    const run = await runAction({ context: FIXTURES })
    expectOneError(run, literal(`file: Dockerfile '${join(FIXTURES, 'Dockerfile')}' does not exist`))
  })

  it('an unknown target, before anything is built', async () => {
    const run = await runAction({ context: EXAMPLE, target: 'nope' })
    expectOneError(run, /^target: .*"nope".*build, runtime/)
  })

  it("a Dockerfile syntax error, in buildx's own words", async () => {
    const run = await runAction({ context: EXAMPLE, file: join(FIXTURES, 'syntax-error/Dockerfile'), network: 'none' })
    // BuildKit 0.8 says "parse error line 1", later ones "parse error on line 1", with the location first.
    expectOneError(
      run,
      /^docker buildx build of .*syntax-error\/Dockerfile failed( at Dockerfile:1)?: .*dockerfile parse error (on )?line 1: unknown instruction: FORM/
    )
  })

  it('a build that fails names the failing instruction', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'isg-fail-'))
    const { writeFile } = await import('node:fs/promises')
    await writeFile(join(dir, 'Dockerfile'), 'FROM image-size-gate/alpine-like:latest\nRUN echo compiling && exit 3\n')
    const run = await runAction({ context: dir, network: 'none' })
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(
      /::error::docker buildx build of .*Dockerfile failed at .*`\[2\/2\] RUN echo compiling && exit 3`: .*exit code: 3/
    )
  })

  it('no Docker engine reachable', async () => {
    const run = await runAction({ context: EXAMPLE }, { DOCKER_HOST: 'unix:///nonexistent/docker.sock' })
    expectOneError(run, /^Docker engine is not reachable \(.*\); start dockerd or point DOCKER_HOST at a running engine$/)
  })

  it('buildx missing, saying how to get it', async () => {
    // Hide the real plugin directories in a private mount namespace: the real CLI then has no buildx.
    const empty = await mkdtemp(join(tmpdir(), 'isg-noplugins-'))
    const dirs = await buildxPluginDirs(empty)
    expect(dirs.length).toBeGreaterThan(0)
    const hide = `${dirs.map((dir) => `mount --bind ${empty} ${dir} && `).join('')}exec "$@"`
    const run = await runAction({ context: EXAMPLE }, { DOCKER_CONFIG: empty }, ['unshare', '-m', 'sh', '-c', hide, 'sh'])
    expectOneError(
      run,
      literal('docker buildx is not installed; add docker/setup-buildx-action before this step, or install the docker-buildx plugin')
    )
    expect(await readdir(empty)).toEqual([])
  })

  it('an image that is not in the engine', async () => {
    const run = await runAction({ image: 'image-size-gate/no-such-image:latest' })
    expectOneError(run, /^image: 'image-size-gate\/no-such-image:latest' is not an image in the local engine/)
  })

  it('the CLI prints one line on stderr and exits 1', async () => {
    const run = await runCli(['--context', EXAMPLE, '--max-size', '12 parsecs'])
    expect(run.exitCode).toBe(1)
    expect(run.stderr.trim()).toBe(
      "image-size-gate: max-size: cannot read '12 parsecs' as a size; use e.g. 25MB, 25MiB, 0.5GB or a byte count"
    )
    expect(run.stdout).toBe('')
  })
})
