import { describe, expect, it } from '@jest/globals'
import { readImageArchive, type ImageArchive } from '../../../src/archive/archive.js'
import { LayerAnalysisError, analysisLines, readLayerAnalysis, type StoredAnalysis } from '../../../src/archive/layer-analysis.js'
import { LayerCache, LayerCacheMiss } from '../../../src/archive/layer-cache.js'
import { PathTree } from '../../../src/archive/path-tree.js'
import { parseInputs } from '../../../src/inputs.js'
import { judge } from '../../../src/judge/judge.js'
import type { Report } from '../../../src/report/report.js'
import { gatePlan } from '../../../src/run/plan.js'
import { goElf } from '../../support/elf-writer.js'
import { chunked, makeDockerSave, makeTar, sha256 } from '../../support/tar-writer.js'

const LOADER = '/lib64/ld-linux-x86-64.so.2'
/** A layer with every kind of entry the rules read, and a Go toolchain that fails the gate. */
const toolchainLayer = makeTar([
  { path: 'usr/local/go', type: 'directory' },
  { path: 'usr/local/go/VERSION', content: 'go1.19.8\n' },
  { path: 'usr/local/go/bin/go', content: goElf({ goPath: 'cmd/go', interpreter: LOADER }), mode: 0o755 },
  { path: 'usr/local/bin/go', type: 'symlink', linkname: '../go/bin/go' },
  { path: 'usr/local/go/bin/go-again', type: 'hardlink', linkname: 'usr/local/go/bin/go' },
  { path: 'etc/motd', content: 'x'.repeat(3000) }
])
const appLayer = makeTar([{ path: 'app', content: 'a'.repeat(4000) }])
const diffId = sha256(toolchainLayer)
const save = () => chunked(makeDockerSave({ layers: [toolchainLayer, appLayer], entrypoint: ['/app'] }), 4096)
const options = { estimateCompressed: true }

async function* bytesOf(lines: Iterable<string>): AsyncGenerator<Uint8Array> {
  for (const line of lines) yield Buffer.from(line)
}

/** The entry a trusted run writes for the toolchain layer, with its lines edited by `edit`. */
async function entryText(edit: (lines: string[]) => string[] = (lines) => lines): Promise<string[]> {
  const fresh = await readImageArchive(save(), options)
  const scan = fresh.layers[0]
  if (!scan) throw new Error('no layer')
  return edit([...analysisLines(diffId, scan, { size: scan.compressedSize ?? 0, gzipScale: 1 })])
}

/** The image read with the index offering `lines` as the toolchain layer's entry. */
async function readWithEntry(lines: string[]): Promise<ImageArchive> {
  const cache = new LayerCache()
  const reading = readLayerAnalysis(bytesOf(lines), diffId, cache.paths).catch(() => undefined)
  cache.offer(diffId, reading, 'layer index on the branch test')
  return readImageArchive(save(), { ...options, reuse: { cache, diffIds: [diffId, sha256(appLayer)] } })
}

const judged = (archive: ImageArchive): Report =>
  judge({ archive }, { baseline: null, note: null }, gatePlan(parseInputs((name) => (name === 'max-size' ? '10MB' : ''))).judge)

/** The report without what says where the analysis came from, which is all that may differ. */
function withoutOrigin(report: Report): Report {
  const layers = report.image.layers.map((layer) => ({ ...layer, analysisFrom: undefined, compressedFrom: undefined }))
  return { ...report, image: { ...report.image, layers } }
}

describe('a layer analysis kept in the index', () => {
  it('gives the same report as the layer analysed afresh, and the report says which layer came from the index', async () => {
    const fresh = judged(await readImageArchive(save(), options))
    const indexed = judged(await readWithEntry(await entryText()))
    expect(fresh.goToolchain.found).toBe(true)
    expect(fresh.passed).toBe(false)
    expect(JSON.parse(JSON.stringify(withoutOrigin(indexed)))).toEqual(JSON.parse(JSON.stringify(fresh)))
    expect(indexed.image.layers.map((layer) => layer.analysisFrom)).toEqual(['layer index on the branch test', undefined])
    // Its compressed size is the trusted writer's estimate, reused: never exact.
    expect(indexed.image.layers[0]).toMatchObject({ compressedFrom: 'layer index on the branch test', compressedExact: false })
  })

  it('is hashed and walked, never scanned: its ELF facts come from the entry', async () => {
    const archive = await readWithEntry(await entryText())
    expect(archive.layers[0]?.deflatedBytes).toBe(0)
    expect(archive.layers[1]?.analysisFrom).toBeUndefined()
  })
})

describe('a poisoned index entry', () => {
  const dropLine = (match: string) => (lines: string[]) => lines.filter((line) => !line.includes(match))
  const retarget = (lines: string[]) => lines.map((line) => line.replace(`"diffId":"${diffId}"`, `"diffId":"${sha256(appLayer)}"`))

  it('cannot hide a toolchain by leaving its binary out: the header counts disagree, so the layer is analysed afresh', async () => {
    const lines = await entryText(dropLine('["usr/local/go/bin/go",'))
    await expect(readLayerAnalysis(bytesOf(lines), diffId, new PathTree())).rejects.toThrow(
      new LayerAnalysisError('its header claims 6 entries, its lines hold 5')
    )
    const report = judged(await readWithEntry(lines))
    expect(report.image.layers[0]?.analysisFrom).toBeUndefined()
    expect(report.goToolchain.found).toBe(true)
    expect(report.passed).toBe(false)
  })

  it('cannot hide a toolchain by leaving out its binary and fixing the counts: the layer’s own headers disagree', async () => {
    const consistent = (lines: string[]) => {
      const kept = dropLine('["usr/local/go/bin/go",')(lines)
      const header = JSON.parse(kept[0] ?? '{}') as { entries: number; files: number; bytes: { regular: number } }
      const goBytes = goElf({ goPath: 'cmd/go', interpreter: LOADER }).length
      const fixed = { ...header, entries: 5, files: 4, bytes: { ...header.bytes, regular: header.bytes.regular - goBytes } }
      return [`${JSON.stringify(fixed)}\n`, ...kept.slice(1)]
    }
    const lines = await entryText(consistent)
    await expect(readWithEntry(lines)).rejects.toThrow(LayerCacheMiss)
    await expect(readWithEntry(lines)).rejects.toThrow('does not list the files the layer holds')
  })

  it('cannot pass the toolchain binary off as a plain file: its ELF magic is checked as it streams', async () => {
    const isGo = (line: string) => line.startsWith('["usr/local/go/bin/go",')
    const lines = await entryText((all) => all.map((line) => (isGo(line) ? line.replace(/,\{.*\}\]\n$/, ',null]\n') : line)))
    expect(lines.find(isGo)).toMatch(/,null\]\n$/)
    await expect(readWithEntry(lines)).rejects.toThrow('does not list the files the layer holds')
  })

  it('cannot change a file’s size', async () => {
    const lines = await entryText((all) => all.map((line) => line.replace('["etc/motd","file",3000', '["etc/motd","file",3')))
    await expect(readLayerAnalysis(bytesOf(lines), diffId, new PathTree())).rejects.toThrow('its header claims')
  })

  it('cannot stand in for another layer', async () => {
    await expect(readLayerAnalysis(bytesOf(await entryText(retarget)), diffId, new PathTree())).rejects.toThrow(
      `it describes ${sha256(appLayer)}, not the layer it is filed under`
    )
  })

  it('cannot claim a compressed size of 1 B: the reuse is refused and the layer deflated as it is hashed', async () => {
    const lines = await entryText((all) => [all[0]?.replace(/"compressed":\{"size":\d+/, '"compressed":{"size":1') ?? '', ...all.slice(1)])
    const archive = await readWithEntry(lines)
    const [layer] = archive.layers
    expect(layer?.analysisFrom).toBe('layer index on the branch test')
    expect(layer?.compressedSize).toBeGreaterThan(100)
    expect(layer?.compressedFrom).toBeUndefined()
    expect(layer?.compressedExact).toBe(false)
    expect(layer?.deflatedBytes).toBe(toolchainLayer.length)
    expect(layer?.compressedRefused).toContain('a compressed size of 1 B')
  })

  it('is refused whole when a line is not an entry, naming the line', async () => {
    const lines = await entryText((all) => [...all.slice(0, 2), '["x","file",-1,420,null,null]\n', ...all.slice(2)])
    await expect(readLayerAnalysis(bytesOf(lines), diffId, new PathTree())).rejects.toThrow(
      /^line 3: \[2\] should be a whole number ≥ 0, not -1$/
    )
    const notJson = await entryText((all) => [all[0] ?? '', '{not json\n'])
    await expect(readLayerAnalysis(bytesOf(notJson), diffId, new PathTree())).rejects.toThrow(/^line 2: the top level should be valid JSON/)
  })

  it('is refused when a line is longer than any entry can be', async () => {
    const long = [(await entryText())[0] ?? '', `["${'a'.repeat(5 * 1024 * 1024)}"`]
    await expect(readLayerAnalysis(bytesOf(long), diffId, new PathTree())).rejects.toThrow('a line is longer than')
  })
})

describe('what the index stands in for', () => {
  it('reads back every entry, link and ELF fact the fresh analysis found', async () => {
    const fresh = (await readImageArchive(save(), options)).layers[0]
    const stored: StoredAnalysis = await readLayerAnalysis(bytesOf(await entryText()), diffId, new PathTree())
    expect([...stored.scan.entries]).toEqual([...(fresh?.entries ?? [])])
    expect(stored.scan).toMatchObject({ bytes: fresh?.bytes, files: fresh?.files, tarBytes: fresh?.tarBytes })
    expect(stored.estimate).toEqual({ size: fresh?.compressedSize, gzipScale: 1 })
  })
})
