import { describe, expect, it } from '@jest/globals'
import { readImageArchive } from '../../../src/archive/archive.js'
import { insightFindings } from '../../../src/findings/insight.js'
import { wastedBytes } from '../../../src/findings/waste.js'
import { binaryFacts } from '../../../src/findings/binaries.js'
import { buildImageModel, type ImageModel } from '../../../src/model/model.js'
import { scanToolchains } from '../../../src/findings/toolchain.js'
import { goElf } from '../../support/elf-writer.js'
import { chunked, makeDockerSave, makeTar, type TarSpec } from '../../support/tar-writer.js'

const LOADER = '/lib64/ld-linux-x86-64.so.2'
const go = goElf({ goPath: 'cmd/go', interpreter: LOADER })
const base: TarSpec[] = [
  { path: 'bin/', type: 'directory' },
  { path: 'bin/busybox', content: 'not an ELF', mode: 0o755 }
]
const goFile = (path: string): TarSpec => ({ path, content: go, mode: 0o755 })
const hardlink = (path: string, linkname: string): TarSpec => ({ path, type: 'hardlink', linkname, mode: 0o755 })
const whiteout = (name: string): TarSpec => ({ path: `.wh.${name}`, content: '' })

/** An image of these layers, each a generated tar, read through the archive reader like `docker save`. */
async function image(layers: TarSpec[][]): Promise<ImageModel> {
  const archive = makeDockerSave({ layers: layers.map(makeTar), entrypoint: ['/z-go'] })
  return buildImageModel(await readImageArchive(chunked(archive, 4096), { estimateCompressed: false }))
}

function verdict(model: ImageModel) {
  const facts = binaryFacts(model.filesystem)
  const findings = insightFindings(model, facts, { failOnBrokenEntrypoint: true })
  const scan = scanToolchains(model.filesystem, model.env)
  return { facts, findings, scan, wasted: wastedBytes(model.filesystem) }
}

describe('hard links: every name of an inode is the file', () => {
  it('follows a link to a file of the same layer after the first name is deleted, as BuildKit writes `RUN ln` then `RUN rm`', async () => {
    const { facts, findings, scan, wasted } = verdict(await image([base, [goFile('a-go'), hardlink('z-go', 'a-go')], [whiteout('a-go')]]))
    expect(scan.toolchains).toEqual([expect.objectContaining({ binaries: ['z-go'], goVersion: 'go1.19.8', bytes: go.length, layer: 1 })])
    expect(scan.deleted).toEqual([])
    expect(facts.map((fact) => [fact.path, fact.interpreter])).toEqual([['/z-go', LOADER]])
    const loader = findings.find((finding) => finding.rule === 'missing-interpreter')
    expect(loader).toMatchObject({ severity: 'error', path: '/z-go', layer: 1 })
    expect(loader?.message).toBe(
      `/z-go needs the dynamic loader ${LOADER}, which the image does not have; build it with CGO_ENABLED=0, or use a base image with its C library such as gcr.io/distroless/base`
    )
    expect(wasted).toEqual({ bytes: 0, top: [] })
  })

  it('resolves a link to a file of a lower layer to that file as merged at that point', async () => {
    const { facts, findings, scan, wasted } = verdict(
      await image([[...base, goFile('a-go')], [hardlink('z-go', 'a-go')], [whiteout('a-go')]])
    )
    expect(scan.toolchains).toEqual([expect.objectContaining({ binaries: ['z-go'], bytes: go.length, layer: 0 })])
    expect(facts.map((fact) => fact.path)).toEqual(['/z-go'])
    expect(findings.find((finding) => finding.rule === 'missing-interpreter')).toMatchObject({ severity: 'error', path: '/z-go' })
    expect(wasted.bytes).toBe(0)
  })

  it('links to the content the target had when the link was made, not to a later replacement', async () => {
    const app = goElf({ goPath: 'example.com/app' })
    const model = await image([[...base, goFile('a-go')], [hardlink('z-go', 'a-go')], [{ path: 'a-go', content: app, mode: 0o755 }]])
    const { scan, wasted } = verdict(model)
    expect(scan.toolchains.map((toolchain) => toolchain.binaries)).toEqual([['z-go']])
    expect(model.filesystem.get('a-go')?.size).toBe(app.length)
    expect(wasted.bytes).toBe(0)
  })

  it('wastes the content once when its last name is deleted, and then the toolchain is deleted, not shipped', async () => {
    const { scan, wasted } = verdict(
      await image([[...base, goFile('a-go')], [hardlink('z-go', 'a-go')], [whiteout('a-go'), whiteout('z-go')]])
    )
    expect(scan.toolchains).toEqual([])
    expect(scan.deleted).toEqual([expect.objectContaining({ root: '', bytes: go.length, layer: 0, deletedIn: 2 })])
    expect(wasted).toEqual({ bytes: go.length, top: [{ path: '/a-go', bytes: go.length, layer: 0, hiddenBy: 2 }] })
  })

  it('counts an inode once in the toolchain bytes while both names are visible', async () => {
    const model = await image([base, [goFile('opt/go/bin/go'), hardlink('opt/go/bin/go2', 'opt/go/bin/go')]])
    const { scan, facts } = verdict(model)
    expect(scan.toolchains).toEqual([expect.objectContaining({ binaries: ['opt/go/bin/go', 'opt/go/bin/go2'], bytes: go.length })])
    expect(facts.map((fact) => fact.path)).toEqual(['/opt/go/bin/go', '/opt/go/bin/go2'])
    expect(model.filesystem.bytesUnder('opt')).toBe(go.length)
  })
})
