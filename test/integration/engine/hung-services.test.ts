import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import { annotations, runAction, type ActionRun } from '../../support/action-runner.js'
import { makePullRequestRepo } from '../../support/git-fixture.js'
import { startSilentServer, type SilentServer } from '../../support/silent-server.js'
import type { Report } from '../../../src/report/report.js'

const TOKEN = 'ghs_testtoken0123456789'
const APP = 'a'.repeat(3000)
const scratch = { Dockerfile: 'FROM scratch\nCOPY app.txt /app.txt\n', 'app.txt': APP }
const alpine = { Dockerfile: 'FROM image-size-gate/alpine-like:latest\nCOPY app.txt /app.txt\n', 'app.txt': APP }

let silent: SilentServer

beforeAll(async () => {
  silent = await startSilentServer()
})
afterAll(async () => silent.close())

/** A pull request run of the committed bundle against services that accept connections and never answer. */
async function hungRun(inputs: Record<string, string>, number: number) {
  const repo = await makePullRequestRepo(scratch, alpine, silent.url, number)
  const started = Date.now()
  const run = await runAction({ network: 'none', 'github-token': TOKEN, ...inputs }, repo.env, [], repo.workspace)
  return { run, elapsedMs: Date.now() - started }
}

/** Milliseconds the run spent building and analysing, from its own `… took N s` lines. */
function pipelineMs(run: ActionRun): number {
  const phases = [...run.stdout.matchAll(/^image-size-gate: (?:build|analysis) took ([0-9.]+) s$/gm)]
  return phases.reduce((total, match) => total + Number(match[1]) * 1000, 0)
}

const warnings = (run: ActionRun) => annotations(run.stdout).filter((annotation) => annotation.level === 'warning')

describe('a GitHub API that accepts connections and never answers', () => {
  // Real defaults: 30 s per request, 120 s for the whole comment step.
  it('ends within 3 minutes of the analysis, with the verdict set by the gates and the summary written', async () => {
    const [passing, overBudget] = await Promise.all([hungRun({}, 41), hungRun({ 'max-size': '1KB' }, 42)])
    for (const { run, elapsedMs } of [passing, overBudget]) {
      expect(pipelineMs(run)).toBeGreaterThan(0)
      expect(elapsedMs - pipelineMs(run)).toBeLessThan(180_000)
      expect(run.summary).toContain('Against the baseline')
      expect(run.outputs['comment-url']).toBe('')
      expect(warnings(run).map((warning) => warning.message)).toEqual([
        `cannot comment on pull request #${run === passing.run ? 41 : 42}: GitHub at ${silent.url} did not answer within 120 s; the job summary has the full report`
      ])
    }
    expect(passing.run.outputs['passed']).toBe('true')
    expect(passing.run.exitCode).toBe(0)
    expect(overBudget.run.outputs['passed']).toBe('false')
    expect(overBudget.run.exitCode).toBe(1)
    expect(overBudget.run.stdout).toMatch(/^::error::image-size-gate failed: the image is over the size budget/m)
    expect(silent.connections).toBeGreaterThanOrEqual(2)
  }, 300_000)
})

describe('a registry that accepts connections and never answers', () => {
  // Real default: 60 s for reading the baseline image's manifests and config.
  it('gives up on the baseline image with one warning and a note, and the gates still decide', async () => {
    const ref = `127.0.0.1:${silent.port}/x:1`
    const { run, elapsedMs } = await hungRun({ 'baseline-image': ref, comment: 'false' }, 43)
    const reason = `no answer from the registry of ${ref} within 60 s`
    expect(run.exitCode).toBe(0)
    expect(run.outputs['passed']).toBe('true')
    expect(run.outputs['baseline-size']).toBe('')
    expect(warnings(run).map((warning) => warning.message)).toEqual([`baseline-image: ${reason}`])
    const report = JSON.parse(await readFile(run.outputs['report'] as string, 'utf8')) as Report
    expect(report.baselineNote).toBe(`baseline image ${ref} could not be read: ${reason}`)
    expect(run.summary).toContain('image-size-gate passed')
    expect(elapsedMs - pipelineMs(run)).toBeLessThan(90_000)
    // The buildx plugin held the connection; it died with its process group.
    for (let waited = 0; silent.open > 0 && waited < 2_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50))
    expect(silent.open).toBe(0)
  }, 240_000)
})
