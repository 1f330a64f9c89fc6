/**
 * What the final image's executables need at run time and what it could weigh: the insight rules
 * (entrypoint, linking, CA certificates, time zones, stripping, caches, waste, root) and the
 * "could be about N on scratch" advice.
 */
import type { Stage } from '../model/dockerfile.js'
import {
  entrypointFinding,
  imageCommand,
  instructionLine,
  isFileInImage,
  linkFindings,
  locateExecutable,
  resolveInImage
} from './entrypoint.js'
import type { MergedFilesystem } from '../model/filesystem.js'
import type { BinaryFact } from './binaries.js'
import type { ImageModel } from '../model/model.js'
import { listOf, type Finding } from './finding.js'
import { formatBytes, type Limit } from '../size.js'
import { isToolchainBinary } from './toolchain.js'
import { buildCacheFindings, wastedFinding, type Waste } from './waste.js'

export interface InsightOptions {
  failOnBrokenEntrypoint: boolean
  maxWasted?: Limit
  /** The built stage, for the ENTRYPOINT, CMD and USER lines. */
  stage?: Stage
  /** The image's hidden bytes, when the caller has measured them already for the report. */
  waste?: Waste
}

export interface Advice {
  scratchBytes: number
  distrolessBytes: number
  nowBytes: number
  text: string
}

/** Every insight rule; file findings point at the Dockerfile line of the layer that added the file. */
export function insightFindings(model: ImageModel, facts: BinaryFact[], options: InsightOptions): Finding[] {
  const broken = options.failOnBrokenEntrypoint ? 'error' : 'warning'
  const command = imageCommand(model.config)?.argv[0]
  const entrypoint = command === undefined ? undefined : locateExecutable(model, command)
  const isEntrypoint = (fact: BinaryFact) => entrypoint !== undefined && resolveInImage(model.filesystem, fact.path) === entrypoint
  const findings = [
    entrypointFinding(model, broken, options.stage),
    ...linkFindings(model, facts, (fact) => (isEntrypoint(fact) ? broken : 'warning')),
    caFinding(model, facts),
    tzdataFinding(model, facts),
    ...unstrippedFindings(model, facts),
    ...buildCacheFindings(model),
    wastedFinding(model, options.maxWasted, options.waste),
    rootFinding(model, options.stage)
  ].filter((finding): finding is Finding => finding !== undefined)
  return findings.map((finding) => withLayerLine(model, finding))
}

function withLayerLine(model: ImageModel, finding: Finding): Finding {
  const line = finding.layer === undefined ? undefined : model.layers[finding.layer]?.dockerfileLine
  return finding.line === undefined && line !== undefined ? { ...finding, line } : finding
}

/** Where Go's crypto/x509 looks for a CA bundle on Linux (root_linux.go). */
export const GO_CA_FILES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/ca-bundle.pem',
  '/etc/pki/tls/cacert.pem',
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
  '/etc/ssl/cert.pem'
]
export const GO_CA_DIRS = ['/etc/ssl/certs', '/etc/pki/tls/certs']
/** Where Go's time package looks for zoneinfo on Linux (zoneinfo_unix.go, Go ≥ 1.21). */
export const GO_ZONEINFO_DIRS = ['/usr/share/zoneinfo', '/usr/share/lib/zoneinfo', '/usr/lib/locale/TZ', '/etc/zoneinfo']

/** The Go programs the image ships, without the Go toolchain's own commands (go-toolchain covers those). */
function goPrograms(model: ImageModel, facts: BinaryFact[]): BinaryFact[] {
  return facts.filter((fact) => fact.goVersion !== null && !isToolchainBinary(model.filesystem.get(fact.path.slice(1)) ?? {}))
}

/** The first CA bundle file Go would read (bytes null when only a certificate directory exists). */
function caBundle(fs: MergedFilesystem): { path: string; bytes: number | null } | undefined {
  const file = GO_CA_FILES.find((path) => isFileInImage(fs, path))
  const real = file === undefined ? undefined : resolveInImage(fs, file)
  if (file !== undefined && real !== undefined) return { path: file, bytes: fs.get(real)?.size ?? 0 }
  const dir = GO_CA_DIRS.find((path) => holdsFile(fs, path))
  return dir === undefined ? undefined : { path: dir, bytes: null }
}

/** A directory counts only if something in it resolves to a file. */
function holdsFile(fs: MergedFilesystem, dir: string): boolean {
  const real = resolveInImage(fs, dir)
  if (real === undefined || real === '') return false
  for (const file of fs.walk(real)) if (isFileInImage(fs, file.path)) return true
  return false
}

function caFinding(model: ImageModel, facts: BinaryFact[]): Finding | undefined {
  const users = goPrograms(model, facts).filter((fact) => fact.uses?.tls)
  const first = users[0]
  if (!first || model.env['SSL_CERT_FILE'] || model.env['SSL_CERT_DIR'] || caBundle(model.filesystem)) return undefined
  const who = `${listOf(users.map((fact) => fact.path))} ${users.length === 1 ? 'uses' : 'use'} TLS`
  return {
    rule: 'missing-ca-certificates',
    severity: 'warning',
    message:
      `${who} but the image has no CA certificates where Go looks for them (e.g. /etc/ssl/certs/ca-certificates.crt); ` +
      'COPY --from=<build stage> /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/, use a base image with ca-certificates, or set SSL_CERT_FILE',
    ...locate(model, first)
  }
}

/** Go programs that read zoneinfo files at run time because they do not embed time/tzdata. */
function tzdataUsers(model: ImageModel, facts: BinaryFact[]): BinaryFact[] {
  const embeds = (fact: BinaryFact) => model.filesystem.get(fact.path.slice(1))?.elf?.go?.uses.embeddedTzdata === true
  return goPrograms(model, facts).filter((fact) => fact.uses?.tzdata && !embeds(fact))
}

function zoneinfoDir(fs: MergedFilesystem): string | undefined {
  return GO_ZONEINFO_DIRS.find((dir) => holdsFile(fs, dir))
}

function tzdataFinding(model: ImageModel, facts: BinaryFact[]): Finding | undefined {
  const users = tzdataUsers(model, facts)
  const first = users[0]
  if (!first || model.env['ZONEINFO'] || zoneinfoDir(model.filesystem)) return undefined
  const one = users.length === 1
  return {
    rule: 'missing-tzdata',
    severity: 'notice',
    message:
      `${listOf(users.map((fact) => fact.path))} ${one ? 'loads' : 'load'} time zones but the image has no /usr/share/zoneinfo ` +
      `and ${one ? 'it does' : 'they do'} not embed one; add import _ "time/tzdata" (or build with -tags timetzdata), ` +
      'or COPY /usr/share/zoneinfo from the build stage',
    ...locate(model, first)
  }
}

/** Symbols and DWARF smaller than this are not worth a finding (64 kB, decimal like every size we print). */
export const UNSTRIPPED_MIN_BYTES = 64_000

function unstrippedFindings(model: ImageModel, facts: BinaryFact[]): Finding[] {
  const toolchain = (fact: BinaryFact) => isToolchainBinary(model.filesystem.get(fact.path.slice(1)) ?? {})
  return facts
    .filter((fact) => fact.stripped === false && (fact.strippableBytes ?? 0) >= UNSTRIPPED_MIN_BYTES && !toolchain(fact))
    .map((fact): Finding => {
      const how = fact.goVersion !== null ? 'building it with -ldflags="-s -w"' : 'running strip on it'
      const message = `${fact.path} is not stripped; ${how} would save ${formatBytes(fact.strippableBytes ?? 0)}`
      return { rule: 'unstripped-binary', severity: 'notice', message, ...locate(model, fact) }
    })
}

const ROOT_USER = /^(root|0)(:.*)?$/

function rootFinding(model: ImageModel, stage?: Stage): Finding | undefined {
  const user = model.config.config?.User?.trim() ?? ''
  if (user !== '' && !ROOT_USER.test(user)) return undefined
  const why = user === '' ? 'no USER is set' : `USER ${user}`
  const message = `the image runs as root (${why}); add USER 65532:65532, or another non-root user, to the final stage`
  const finding: Finding = { rule: 'root-user', severity: 'notice', message }
  const line = instructionLine(stage, 'USER')
  if (line !== undefined) finding.line = line
  return finding
}

function locate(model: ImageModel, fact: BinaryFact): Pick<Finding, 'path' | 'layer'> {
  const layer = model.filesystem.get(fact.path.slice(1))?.layer
  return layer === undefined ? { path: fact.path } : { path: fact.path, layer }
}

/** "/a", "/a and /b", "/a, /b and /c". */
/** gcr.io/distroless/base-debian12 (glibc, openssl, CA certificates, tzdata, passwd) weighs about 20 MB. */
export const DISTROLESS_BASE_BYTES = 20_000_000
/** gcr.io/distroless/static-debian12 (CA certificates, tzdata, passwd) weighs about 2 MB. */
export const DISTROLESS_STATIC_BYTES = 2_000_000
/** Debian's /etc/ssl/certs/ca-certificates.crt, for images that have none to measure. */
export const CA_BUNDLE_ESTIMATE = 220_000
/** Go's embedded time/tzdata zoneinfo zip, for images that have no zoneinfo to measure. */
export const TZDATA_ESTIMATE = 450_000
/** An image within 10% of what it could be has nothing worth advising. */
const ADVICE_MARGIN = 1.1

/** "this image could be about 6.40 MB on scratch (now 813 MB)": the Go programs plus the files they read. */
export function advice(model: ImageModel, facts: BinaryFact[]): Advice | null {
  const fs = model.filesystem
  const programs = goPrograms(model, facts)
  if (programs.length === 0) return null
  const binaries = programs.reduce((total, fact) => total + fact.size, 0)
  const certificates = programs.some((fact) => fact.uses?.tls) ? (caBundle(fs)?.bytes ?? CA_BUNDLE_ESTIMATE) : 0
  const zoneinfo = zoneinfoDir(fs)
  const zones = zoneinfo === undefined ? TZDATA_ESTIMATE : fs.bytesUnder(resolveInImage(fs, zoneinfo) ?? '')
  const scratchBytes = binaries + certificates + (tzdataUsers(model, programs).length > 0 ? zones : 0)
  // Distroless already carries CA certificates and tzdata; dynamic Go programs need its glibc variant.
  const allStatic = programs.every((fact) => fact.static)
  const distrolessBytes = binaries + (allStatic ? DISTROLESS_STATIC_BYTES : DISTROLESS_BASE_BYTES)
  const [target, base] = allStatic ? [scratchBytes, 'scratch'] : [distrolessBytes, 'gcr.io/distroless/base']
  if (model.size <= target * ADVICE_MARGIN) return null
  const text = `this image could be about ${formatBytes(target)} on ${base} (now ${formatBytes(model.size)})`
  return { scratchBytes, distrolessBytes, nowBytes: model.size, text }
}
