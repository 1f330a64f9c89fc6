import { describe, expect, it, jest } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ENGINE, EXAMPLE, FIXTURES, annotations, runAction, type ActionRun } from '../../support/action-runner.js'
import type { Report } from '../../../src/report/report.js'

// 300 s for a test or hook: a test builds Go images and a single-stage golang one: 71 s at most on a loaded 2-core machine.
jest.setTimeout(300_000)

const build = (inputs: Record<string, string>) => runAction({ network: 'none', ...inputs })
const report = async (run: ActionRun) => JSON.parse(await readFile(run.outputs['report'] as string, 'utf8')) as Report
const rules = (r: Report, severity?: string) => r.findings.filter((f) => !severity || f.severity === severity).map((f) => f.rule)

describe(`Go-aware insight on real images (${ENGINE.label})`, () => {
  it('fails a dynamically linked tool copied into scratch as the entrypoint', async () => {
    const run = await build({ context: EXAMPLE, file: join(FIXTURES, 'dynamic-into-scratch/Dockerfile') })
    expect(run.exitCode).toBe(1)
    const r = await report(run)
    expect(rules(r, 'error')).toEqual(expect.arrayContaining(['missing-interpreter', 'missing-library']))
    const ls = r.binaries.find((binary) => binary.path === '/ls')
    expect(ls).toMatchObject({ static: false, interpreter: '/lib64/ld-linux-x86-64.so.2' })
    expect(ls?.needed).toContain('libc.so.6')
    const loader = annotations(run.stdout).find((a) => a.message.includes('needs the dynamic loader'))
    expect(loader?.properties).toContain('line=5')
  })

  it('fails an ENTRYPOINT that points at a path never copied, on the ENTRYPOINT line', async () => {
    const run = await build({ context: EXAMPLE, file: join(FIXTURES, 'missing-entrypoint/Dockerfile') })
    expect(run.exitCode).toBe(1)
    const finding = (await report(run)).findings.find((f) => f.rule === 'missing-entrypoint')
    expect(finding?.severity).toBe('error')
    expect(finding?.message).toBe(
      'ENTRYPOINT runs /service, which does not exist in the image; COPY it into the final stage or fix the path'
    )
    expect(finding?.line).toBe(4)
    const lenient = await build({
      context: EXAMPLE,
      file: join(FIXTURES, 'missing-entrypoint/Dockerfile'),
      'fail-on-broken-entrypoint': 'false'
    })
    expect(lenient.exitCode).toBe(0)
  })

  it('notes an unstripped Go binary with a plausible saving, and not a -s -w build', async () => {
    const unstripped = await report(await build({ context: EXAMPLE }))
    const notice = unstripped.findings.find((f) => f.rule === 'unstripped-binary')
    expect(notice?.path).toBe('/service')
    const service = unstripped.binaries.find((binary) => binary.path === '/service')
    expect(service?.stripped).toBe(false)
    expect(service?.goVersion).toMatch(/^go1\.19/)
    expect(service?.trimpath).toBe(true)
    const stripped = await report(await build({ context: EXAMPLE, 'build-args': 'LDFLAGS=-s -w' }))
    expect(stripped.findings.some((f) => f.rule === 'unstripped-binary')).toBe(false)
    const saved = unstripped.image.size - stripped.image.size
    // What the notice promises is what -s -w really saved, within 10%.
    expect(Math.abs((service?.strippableBytes ?? 0) - saved) / saved).toBeLessThan(0.1)
  })

  it('warns about a TLS-using Go binary on scratch without CA certificates, not on distroless', async () => {
    const scratch = await report(await build({ context: EXAMPLE }))
    expect(scratch.binaries.find((b) => b.path === '/service')?.uses?.tls).toBe(true)
    expect(rules(scratch, 'warning')).toContain('missing-ca-certificates')
    const distroless = await report(await build({ context: EXAMPLE, 'build-args': 'RUNTIME_IMAGE=image-size-gate/distroless-like:latest' }))
    expect(rules(distroless)).not.toContain('missing-ca-certificates')
    expect(rules(distroless)).not.toContain('root-user')
  })

  it('warns about a copied go-build cache with its bytes', async () => {
    const run = await build({ context: EXAMPLE, file: join(FIXTURES, 'go-build-cache/Dockerfile') })
    expect(run.exitCode).toBe(0)
    const finding = (await report(run)).findings.find((f) => f.rule === 'build-cache')
    expect(finding?.severity).toBe('warning')
    expect(finding?.path).toBe('/root/.cache/go-build')
    expect(finding?.line).toBe(9)
  })

  it('counts a file written and deleted in a later layer as wasted, and enforces max-wasted', async () => {
    const run = await build({ context: EXAMPLE, file: join(FIXTURES, 'wasted/Dockerfile') })
    const r = await report(run)
    expect(r.wasted.bytes).toBe(3072 * 1024)
    expect(r.wasted.top[0]).toMatchObject({ path: '/scratch.bin', bytes: 3072 * 1024, layer: 1, hiddenBy: 2 })
    expect(rules(r, 'warning')).toContain('wasted-bytes')
    expect(run.exitCode).toBe(0)
    const strict = await build({ context: EXAMPLE, file: join(FIXTURES, 'wasted/Dockerfile'), 'max-wasted': '10%' })
    expect(strict.exitCode).toBe(1)
    expect(rules(await report(strict), 'error')).toEqual(['wasted-bytes'])
  })

  it('tells the single-stage image what it could weigh on scratch', async () => {
    const run = await build({ context: EXAMPLE, file: join(EXAMPLE, 'Dockerfile.single-stage') })
    const r = await report(run)
    expect(r.advice?.text).toMatch(/^this image could be about \d+(\.\d+)? MB on scratch \(now 6\d\d MB\)$/)
    expect(run.summary).toContain(`**Advice:** 💡 ${r.advice?.text}`)
    expect(rules(r)).toContain('root-user')
  })
})
