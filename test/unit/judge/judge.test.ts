import { describe, expect, it } from '@jest/globals'
import { readImageArchive } from '../../../src/archive/archive.js'
import { workflowAnnotations } from '../../../src/github/annotation.js'
import { parseInputs, type Input } from '../../../src/inputs.js'
import { judge, type JudgeOptions } from '../../../src/judge/judge.js'
import { parseDockerfile, selectStage } from '../../../src/model/dockerfile.js'
import type { Source } from '../../../src/model/model.js'
import { gatePlan } from '../../../src/run/plan.js'
import { chunked, makeDockerSave, makeTar } from '../../support/tar-writer.js'
import { DEFAULT_RULE_PAGES as RULE_PAGES } from '../../../src/report/rule-page.js'

const options = (values: Partial<Record<Input, string>> = {}): JudgeOptions => gatePlan(parseInputs((name) => values[name] ?? '')).judge
const DOCKERFILE = ['FROM scratch', 'COPY data /data', 'ENTRYPOINT ["/app"]'].join('\n')

/** A one-layer image whose ENTRYPOINT names a file it does not hold, built from `/work/ctx/Dockerfile`. */
async function source(bytes: number): Promise<Source> {
  const layer = makeTar([{ path: 'data', content: Buffer.alloc(bytes, 1) }])
  const save = makeDockerSave({ layers: [layer], entrypoint: ['/app'], history: [{ created_by: 'COPY data /data # buildkit' }] })
  const archive = await readImageArchive(chunked(save, 4096), { estimateCompressed: false })
  const stage = selectStage(parseDockerfile(DOCKERFILE, '/work/ctx/Dockerfile'), undefined)
  return { archive, stage, dockerfile: '/work/ctx/Dockerfile' }
}

describe('judge', () => {
  it('places annotations on the Dockerfile path relative to the cwd it is given', async () => {
    const head = await source(1000)
    const result = { report: judge(head, { baseline: null, note: null }, options()), dockerfile: head.dockerfile }
    const fromWork = workflowAnnotations([result], '/work', RULE_PAGES)
    const fromContext = workflowAnnotations([result], '/work/ctx', RULE_PAGES)
    const entrypoint = (annotations: typeof fromWork) => annotations.find((a) => a.message.includes('/app'))
    expect(entrypoint(fromWork)).toMatchObject({ severity: 'error', file: 'ctx/Dockerfile', line: 3 })
    expect(entrypoint(fromContext)).toMatchObject({ file: 'Dockerfile', line: 3 })
  })

  it('annotates a finding without a line with no file', async () => {
    const head = await source(5000)
    const report = judge(head, { baseline: null, note: null }, options({ 'max-size': '1000' } as never))
    const budget = workflowAnnotations([{ report, dockerfile: head.dockerfile }], '/work', RULE_PAGES).find((a) =>
      a.message.includes('max-size')
    )
    expect(budget).toBeDefined()
    expect(budget).not.toHaveProperty('file')
    expect(report.passed).toBe(false)
  })

  it('measures an unmeasured base image as it measures the head, and carries head minus base', async () => {
    const head = await source(5000)
    const base = await source(2000)
    const outcome = { baseline: null, note: null, image: { source: base, kind: 'image' as const, ref: 'app:main' } }
    const report = judge(head, outcome, options())
    expect(report.baseline).toMatchObject({ source: 'image', ref: 'app:main', layers: [expect.objectContaining({ files: 1 })] })
    expect(report.delta?.size).toBe(3000)
    // A measured base has a file listing, unlike a registry manifest.
    expect(report.baseline?.paths).toEqual([])
    expect(report.baseline?.binaries).toEqual([])
  })

  it('keeps the note and reports no delta without a baseline', async () => {
    const report = judge(await source(10), { baseline: null, note: 'no baseline: not a pull request' }, options())
    expect(report.baseline).toBeNull()
    expect(report.baselineNote).toBe('no baseline: not a pull request')
    expect(report.delta).toBeFalsy()
  })

  it('holds growth to max-growth against the measured base', async () => {
    const base = { source: await source(1000), kind: 'build' as const, ref: 'abc123' }
    const report = judge(await source(3000), { baseline: null, note: null, image: base }, options({ 'max-growth': '10%' } as never))
    expect(report.growth).toMatchObject({ actual: 2000, limitKind: 'percent', passed: false })
    expect(report.delta?.size).toBe(2000)
    expect(report.findings.map((finding) => finding.rule)).toContain('size-growth')
  })
})
