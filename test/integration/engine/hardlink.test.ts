import { describe, expect, it, jest } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ENGINE, EXAMPLE, FIXTURES, runAction } from '../../support/action-runner.js'
import type { Report } from '../../../src/report/report.js'

// 120 s for a test or hook: a test builds one small image: 5 s on a loaded 2-core machine.
jest.setTimeout(120_000)

const LOADER_MESSAGE =
  '/z-go needs the dynamic loader /lib64/ld-linux-x86-64.so.2, which the image does not have; ' +
  'build it with CGO_ENABLED=0, or use a base image with its C library such as gcr.io/distroless/base'

describe('a toolchain kept through a hard link, on the real engine', () => {
  it("fails with the toolchain at /z-go and checks the entrypoint as /z-go's own ELF", async () => {
    const run = await runAction({ network: 'none', context: EXAMPLE, file: join(FIXTURES, 'hardlink-toolchain/Dockerfile') })
    expect(run.exitCode).toBe(1)
    expect(run.outputs['go-toolchain']).toBe('true')
    expect(run.outputs['passed']).toBe('false')
    const report = JSON.parse(await readFile(run.outputs['report'] as string, 'utf8')) as Report
    expect(report.goToolchain.paths).toEqual(['/z-go'])
    expect(report.goToolchain.goVersion).toMatch(/^go1\.19/)
    expect(report.goToolchain.deleted).toEqual([])
    expect(report.binaries.map((binary) => binary.path)).toContain('/z-go')
    const loader = report.findings.find((finding) => finding.rule === 'missing-interpreter')
    expect(loader).toMatchObject({ severity: 'error', path: '/z-go', message: LOADER_MESSAGE, line: 5 })
    // On the classic store BuildKit writes `RUN ln` as the file again plus a link to it, so the COPY layer's
    // copy is hidden by layer 2; the containerd store's differ leaves it in place until `RUN rm` (layer 3).
    const hiddenBy = ENGINE.store === 'classic' ? 2 : 3
    expect(report.wasted.top.map((file) => [file.path, file.layer, file.hiddenBy])).toEqual([['/a-go', 1, hiddenBy]])
  })
})
