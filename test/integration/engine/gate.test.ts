import { beforeAll, describe, expect, it, jest } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ENGINE, EXAMPLE, FIXTURES, annotations, dockerOk, dockerSize, runAction, type ActionRun } from '../../support/action-runner.js'
import { publishedSchemaErrors, readReportOutput } from '../../support/published-schema.js'

// 300 s for a test or hook: tests build and measure the golang toolchain image (about 800 MB): 51 s at most on a loaded 2-core machine.
jest.setTimeout(300_000)

/** Every build runs without a network, as the engine here has none. */
const build = (inputs: Record<string, string>) => runAction({ network: 'none', ...inputs })

/** The action's `size` must be the engine's own figure, within 1%. */
async function expectDockerSize(run: ActionRun): Promise<void> {
  const engine = await dockerSize(run.outputs['image-id'] as string)
  const ours = Number(run.outputs['size'])
  expect(Math.abs(ours - engine) / engine).toBeLessThanOrEqual(0.01)
}

describe(`the gate against a real engine (${ENGINE.label})`, () => {
  let single: ActionRun

  beforeAll(async () => {
    // As the runner sets them for `uses: image-size-gate/image-size-gate@v0`: the rule pages link there.
    const action = { GITHUB_ACTION_REPOSITORY: 'image-size-gate/image-size-gate', GITHUB_ACTION_REF: 'v0' }
    single = await runAction({ network: 'none', context: EXAMPLE, file: join(EXAMPLE, 'Dockerfile.single-stage') }, action)
  })

  it('fails a single-stage golang image and names the toolchain', async () => {
    expect(single.exitCode).toBe(1)
    expect(single.outputs['go-toolchain']).toBe('true')
    expect(single.outputs['passed']).toBe('false')
    const report = await readReportOutput(single)
    expect(report.goToolchain.found).toBe(true)
    expect(report.goToolchain.paths).toContain('/usr/lib/go-1.19/bin/go')
    expect(report.goToolchain.goVersion).toMatch(/^go1\.19/)
    expect(report.goToolchain.bytes).toBeGreaterThan(100_000_000)
    const errors = report.findings.filter((finding) => finding.severity === 'error')
    expect(errors.map((finding) => finding.rule)).toEqual(['go-toolchain'])
    expect(single.stdout).toMatch(/^::error::image-size-gate failed: the image ships a Go toolchain/m)
  })

  it('writes a report that the published JSON Schema (docs/report.schema.json) accepts', async () => {
    const report: unknown = JSON.parse(await readFile(single.outputs['report'] as string, 'utf8'))
    expect(publishedSchemaErrors(report)).toEqual([])
    expect(report).toMatchObject({
      schemaVersion: 1,
      binaries: expect.arrayContaining([expect.objectContaining({ goAttribution: expect.anything() })])
    })
  })

  it('annotates the final stage FROM line of the Dockerfile', () => {
    const [annotation] = annotations(single.stdout).filter((a) => a.message.startsWith('final image ships a Go toolchain'))
    expect(annotation?.level).toBe('error')
    expect(annotation?.properties).toContain('file=examples/go-service/Dockerfile.single-stage')
    expect(annotation?.properties).toContain('line=2')
    expect(annotation?.message).toContain('multi-stage')
  })

  it("links the finding's rule to its page at the action's own ref, in the annotation and the summary", () => {
    const page = 'https://github.com/image-size-gate/image-size-gate/blob/v0/docs/rules/go-toolchain.md'
    const [annotation] = annotations(single.stdout).filter((a) => a.message.startsWith('final image ships a Go toolchain'))
    // @actions/core escapes a property's colon as %3A; the runner decodes it.
    expect(annotation?.properties).toContain('title=image-size-gate%3A go-toolchain')
    expect(annotation?.message.endsWith(` (${page})`)).toBe(true)
    expect(single.summary).toContain(`[<code>go-toolchain</code>](${page}): final image ships a Go toolchain`)
  })

  it('reports the size docker reports, and every layer with its instruction', async () => {
    await expectDockerSize(single)
    const report = await readReportOutput(single)
    expect(Number(single.outputs['layers'])).toBe(report.image.layers.length)
    const run = report.image.layers.find((layer) => layer.instruction?.includes('go build'))
    expect(run?.dockerfileLine).toBe(5)
    expect(Number(single.outputs['compressed-size'])).toBeLessThan(Number(single.outputs['size']))
  })

  it('writes a job summary with the verdict, layer table and toolchain line; no budget line, as none is set', () => {
    expect(single.summary).toContain('❌ image-size-gate failed')
    expect(single.summary).toContain('| Layer | Size | Compressed | Instruction |')
    expect(single.summary).not.toContain('**Budget:**')
    expect(single.summary).toMatch(/\*\*Go toolchain:\*\* go1\.19\S* found at \/usr\/lib\/go-1\.19\/bin\/go/)
  })

  it('passes the multi-stage build onto scratch', async () => {
    const run = await build({ context: EXAMPLE, 'max-size': '25MB' })
    expect(run.exitCode).toBe(0)
    expect(run.outputs['passed']).toBe('true')
    expect(run.outputs['go-toolchain']).toBe('false')
    expect(Number(run.outputs['size'])).toBeLessThan(15_000_000)
    expect(run.outputs['layers']).toBe('1')
    await expectDockerSize(run)
    expect(run.summary).toContain('✅ image-size-gate passed')
  })

  it('passes multi-stage onto alpine, switched by a build arg, and measures the base too', async () => {
    const run = await build({ context: EXAMPLE, 'build-args': 'RUNTIME_IMAGE=image-size-gate/alpine-like:latest' })
    expect(run.exitCode).toBe(0)
    expect(Number(run.outputs['layers'])).toBe(2)
    await expectDockerSize(run)
    const report = await readReportOutput(run)
    expect(report.image.layers[1]?.dockerfileLine).toBe(12)
  })

  it('fails a toolchain copied to /opt', async () => {
    const run = await build({ context: EXAMPLE, file: join(FIXTURES, 'opt-toolchain/Dockerfile') })
    expect(run.exitCode).toBe(1)
    const report = await readReportOutput(run)
    expect(report.goToolchain.paths).toEqual(['/opt/anything/go'])
    const toolchain = annotations(run.stdout).find((a) => a.message.startsWith('final image ships a Go toolchain'))
    expect(toolchain?.level).toBe('error')
    expect(toolchain?.properties).toContain('line=4')
  })

  it('does not take an application called go for a toolchain', async () => {
    const run = await build({ context: EXAMPLE, file: join(FIXTURES, 'app-named-go/Dockerfile') })
    expect(run.exitCode).toBe(0)
    expect(run.outputs['go-toolchain']).toBe('false')
  })

  it('fails when target picks the build stage, annotating that stage', async () => {
    const run = await build({ context: EXAMPLE, target: 'build' })
    expect(run.exitCode).toBe(1)
    expect(run.outputs['go-toolchain']).toBe('true')
    const toolchain = annotations(run.stdout).find((a) => a.message.startsWith('final image ships a Go toolchain'))
    expect(toolchain?.properties).toContain('line=5')
  })

  it('only warns about a toolchain when fail-on-go-toolchain is false', async () => {
    const run = await build({ context: EXAMPLE, target: 'build', 'fail-on-go-toolchain': 'false' })
    expect(run.exitCode).toBe(0)
    expect(run.outputs['go-toolchain']).toBe('true')
    expect(run.outputs['passed']).toBe('true')
    const toolchain = annotations(run.stdout).find((a) => a.message.startsWith('final image ships a Go toolchain'))
    expect(toolchain?.level).toBe('warning')
  })

  it('reports a deleted toolchain as shipped bytes but not as a toolchain', async () => {
    const run = await build({ context: EXAMPLE, file: join(FIXTURES, 'deleted-toolchain/Dockerfile') })
    expect(run.exitCode).toBe(0)
    expect(run.outputs['go-toolchain']).toBe('false')
    const report = await readReportOutput(run)
    expect(report.goToolchain.deleted[0]?.bytes).toBeGreaterThan(100_000_000)
    expect(report.goToolchain.deleted[0]?.deletedIn).toBe(1)
  })

  it('fails when over the budget, on either metric', async () => {
    const uncompressed = await build({ context: EXAMPLE, 'max-size': '1MB' })
    expect(uncompressed.exitCode).toBe(1)
    expect(uncompressed.stdout).toMatch(/^::error::image-size-gate failed: the image is over the size budget/m)
    const report = await readReportOutput(uncompressed)
    expect(report.budget).toMatchObject({ metric: 'uncompressed', limit: 1_000_000, passed: false })
    const compressed = await build({ context: EXAMPLE, 'max-size': '1MB', 'size-metric': 'compressed' })
    const compressedReport = await readReportOutput(compressed)
    expect(compressedReport.budget?.actual).toBe(compressedReport.image.compressedSize)
  })

  it('analyses an existing local image without building', async () => {
    const run = await runAction({ image: 'image-size-gate/alpine-like:latest' })
    expect(run.exitCode).toBe(0)
    expect(run.outputs['image-id']).toBe(
      (await dockerOk(['image', 'inspect', '--format', '{{.Id}}', 'image-size-gate/alpine-like:latest'])).trim()
    )
    await expectDockerSize(run)
  })

  it('measures the Go toolchain image itself exactly as docker does', async () => {
    const run = await runAction({ image: 'image-size-gate/golang:1.19' })
    expect(run.exitCode).toBe(1)
    await expectDockerSize(run)
  })
})
