import type { ImageModel } from './model.js'
import type { Budget, Finding, Verdict } from './policy.js'
import type { DeletedToolchain, ToolchainScan } from './toolchain.js'

/** The JSON report (schemaVersion 1), written to the `report` output path. */
export interface Report {
  schemaVersion: 1
  image: {
    id: string
    platform: string
    size: number
    compressedSize: number | null
    compressedExact: boolean
    layers: ReportLayer[]
  }
  goToolchain: {
    found: boolean
    paths: string[]
    goVersion: string | null
    bytes: number
    layer: number | null
    deleted: DeletedToolchain[]
    hints: string[]
  }
  budget: Budget | null
  findings: Finding[]
  passed: boolean
}

export interface ReportLayer {
  diffId: string
  size: number
  compressedSize: number | null
  compressedExact: boolean
  files: number
  createdBy: string | null
  instruction: string | null
  dockerfileLine: number | null
}

export function buildReport(model: ImageModel, scan: ToolchainScan, verdict: Verdict): Report {
  const [main] = scan.toolchains
  return {
    schemaVersion: 1,
    image: {
      id: model.id,
      platform: model.platform,
      size: model.size,
      compressedSize: model.compressedSize ?? null,
      compressedExact: model.compressedExact,
      layers: model.layers.map((layer) => ({
        diffId: layer.diffId,
        size: layer.size,
        compressedSize: layer.compressedSize ?? null,
        compressedExact: layer.compressedExact,
        files: layer.files,
        createdBy: layer.createdBy ?? null,
        instruction: layer.instruction ?? null,
        dockerfileLine: layer.dockerfileLine ?? null
      }))
    },
    goToolchain: {
      found: scan.toolchains.length > 0,
      paths: scan.toolchains.flatMap((toolchain) => toolchain.binaries.map((binary) => `/${binary}`)),
      goVersion: main?.goVersion ?? null,
      bytes: scan.toolchains.reduce((total, toolchain) => total + toolchain.bytes, 0),
      layer: main?.layer ?? null,
      deleted: scan.deleted.map((deleted) => ({ ...deleted, root: `/${deleted.root}` })),
      hints: scan.hints
    },
    budget: verdict.budget,
    findings: verdict.findings,
    passed: verdict.passed
  }
}
