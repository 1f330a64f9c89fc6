import { describe, expect, it } from '@jest/globals'
import { readImageArchive } from '../../../src/archive/archive.js'
import { LayerDigestMismatch, claimedDiffId, type KnownCompressedSizes } from '../../../src/archive/known-compressed.js'
import { compressedSizesOf } from '../../../src/run/baseline.js'
import { buildImageModel } from '../../../src/model/model.js'
import { knownCompressedNote } from '../../../src/report/checks.js'
import { renderSummary } from '../../../src/report/summary.js'
import { renderText } from '../../../src/report/text.js'
import { reportLayers, type Baseline, type ReportLayer } from '../../../src/report/report.js'
import { makeReport } from '../../support/report-builder.js'
import { chunked, makeDockerSave, makeEngineSave, makeTar, sha256 } from '../../support/tar-writer.js'
import { DEFAULT_RULE_PAGES as RULE_PAGES } from '../../../src/report/rule-page.js'

const base = makeTar([{ path: 'usr/bin/tool', content: 'b'.repeat(90_000), mode: 0o755 }])
const app = makeTar([{ path: 'app', content: 'a'.repeat(4000) }])
const PLAIN = 'application/vnd.oci.image.layer.v1.tar'

/** `docker save` of a Docker 25+ classic store: plain layer blobs named by their digest, which is their diffId. */
function classicSave(layers: Buffer[]): Buffer {
  return makeEngineSave({ images: [{ platform: 'linux/amd64', layers, blobs: layers, layerMediaType: PLAIN }] }).archive
}

const fromReport: KnownCompressedSizes = new Map([
  [sha256(base), { compressedSize: 123_456, compressedExact: true, from: 'report base.json' }]
])
const withReport = { estimateCompressed: true, knownCompressed: fromReport }

describe('compressed sizes known from a baseline', () => {
  it("takes a shared layer's compressed size and exactness without deflating it, and still scans it", async () => {
    const archive = await readImageArchive(chunked(classicSave([base, app]), 4096), withReport)
    const [shared, changed] = archive.layers
    expect(shared).toMatchObject({ compressedSize: 123_456, compressedExact: true, compressedFrom: 'report base.json', deflatedBytes: 0 })
    expect(shared?.bytes.regular).toBe(90_000)
    expect(shared?.files).toBe(1)
    // The layer the baseline does not have is estimated as before: every byte of it deflated.
    expect(changed?.deflatedBytes).toBe(app.length)
    expect(changed?.compressedFrom).toBeUndefined()
    expect(changed?.compressedExact).toBe(false)
  })

  it('deflates every layer when nothing is known', async () => {
    const archive = await readImageArchive(chunked(classicSave([base, app]), 4096), { estimateCompressed: true })
    expect(archive.layers.map((layer) => layer.deflatedBytes)).toEqual([base.length, app.length])
    expect(archive.layers[0]?.compressedSize).toBeLessThan(5_000)
  })

  it('fails, naming the layer, when a blob does not hash to the digest its name claims', async () => {
    const save = classicSave([base, app])
    const body = save.indexOf(Buffer.from('b'.repeat(90_000)))
    save.fill('c', body, body + 10)
    const damagedLayer = Buffer.from(base)
    const start = damagedLayer.indexOf('b'.repeat(90_000))
    damagedLayer.fill('c', start, start + 10)
    const damaged = readImageArchive(chunked(save, 4096), withReport)
    await expect(damaged).rejects.toThrow(LayerDigestMismatch)
    await expect(readImageArchive(chunked(save, 4096), withReport)).rejects.toThrow(
      `image archive layer blobs/sha256/${sha256(base).slice(7)} is damaged: ` +
        `its content hashes to ${sha256(damagedLayer)}, not the ${sha256(base)} its name claims`
    )
    // Without a size to take, nothing rests on the digest, and the layer is measured as it is.
    expect((await readImageArchive(chunked(save, 4096), { estimateCompressed: true })).layers[0]?.deflatedBytes).toBe(base.length)
  })

  it('cannot tell a legacy `docker save` layer by its name, so it deflates it', async () => {
    const archive = await readImageArchive(chunked(makeDockerSave({ layers: [base] }), 4096), withReport)
    expect(archive.layers[0]?.deflatedBytes).toBe(base.length)
    expect(archive.layers[0]?.compressedFrom).toBeUndefined()
  })

  it('takes nothing when compressed sizes are not wanted', async () => {
    const archive = await readImageArchive(chunked(classicSave([base]), 4096), { estimateCompressed: false, knownCompressed: fromReport })
    expect(archive.layers[0]?.compressedSize).toBeUndefined()
    expect(archive.layers[0]?.compressedFrom).toBeUndefined()
  })

  it('reads only blob paths as digests', () => {
    expect(claimedDiffId(`blobs/sha256/${'a'.repeat(64)}`)).toBe(`sha256:${'a'.repeat(64)}`)
    expect(claimedDiffId(`${'a'.repeat(64)}/layer.tar`)).toBeUndefined()
    expect(claimedDiffId(`blobs/sha256/${'a'.repeat(63)}`)).toBeUndefined()
  })
})

describe('compressedSizesOf', () => {
  const layer = (diffId: string, compressedSize: number | null, compressedExact: boolean): ReportLayer => ({
    diffId,
    size: 10,
    compressedSize,
    compressedExact,
    files: 1,
    createdBy: null,
    instruction: null,
    dockerfileLine: null
  })

  it("keys the baseline's measured layers by diffId, naming the baseline", () => {
    const baseline: Baseline = {
      source: 'report',
      ref: 'base.json',
      size: 20,
      compressedSize: null,
      compressedExact: false,
      paths: null,
      layers: [layer('sha256:a', 7, false), layer('sha256:b', null, false), layer('sha256:c', 9, true)]
    }
    expect([...compressedSizesOf(baseline)]).toEqual([
      ['sha256:a', { compressedSize: 7, compressedExact: false, from: 'report base.json' }],
      ['sha256:c', { compressedSize: 9, compressedExact: true, from: 'report base.json' }]
    ])
    expect(compressedSizesOf(null).size).toBe(0)
  })
})

describe('the report', () => {
  it('marks the layers whose compressed size came from the baseline: the JSON, the summary, the text', async () => {
    const archive = await readImageArchive(chunked(classicSave([base, app]), 4096), withReport)
    const layers = reportLayers(buildImageModel(archive))
    expect(layers.map((each) => each.compressedFrom)).toEqual(['report base.json', undefined])
    const note =
      'Compressed size of layer 1 taken from the baseline (report base.json), ' + 'whose layer has the same digest: not measured again.'
    expect(knownCompressedNote(layers)).toEqual([note])
    const report = makeReport({ layers })
    expect(renderText(report, RULE_PAGES)).toContain(note)
    expect(renderSummary([report], RULE_PAGES)).toContain(`_${note}_`)
  })

  it('escapes a hostile baseline ref in the summary', () => {
    const layer = { diffId: 'sha256:a', size: 1, compressedSize: 1, compressedExact: true, files: 1 }
    const about = { createdBy: null, instruction: null, dockerfileLine: null }
    const layers = [{ ...layer, ...about, compressedFrom: 'report </details><img src=x>' }]
    expect(renderSummary([makeReport({ layers })], RULE_PAGES)).not.toContain('<img')
  })
})
