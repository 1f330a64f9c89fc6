// npm run bench: times the CLI against `docker save` and a naive `docker save | gzip` on a large and a
// small local image, measures its peak memory and the accuracy of its compressed size, and writes
// docs/benchmarks.md, one section per engine mode. It only uses the CLI's flags and JSON report, never its internals.
/* global console */
import { Buffer } from 'node:buffer'
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { closeSync, createReadStream, createWriteStream, existsSync, mkdtempSync, openSync, readFileSync, readSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { createGzip } from 'node:zlib'
import { once } from 'node:events'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const CLI = path.join(ROOT, 'dist/cli/index.js')
const OUT = path.join(ROOT, 'docs/benchmarks.md')
const LARGE = 'image-size-gate/golang:1.19'
const SMALL = 'image-size-gate/bench-small:latest'
const GNU_TIME = '/usr/bin/time'
const SETUP_HINT = 'run `bash scripts/setup-engine.sh` first'
// The engine modes scripts/setup-engines.sh sets up, each an env file setting DOCKER_HOST, DOCKER_CONFIG and PATH.
const ENGINE_DIR = '/opt/isg/engines'
const ENGINE_MODES = ['docker20-classic', 'docker28-classic', 'docker28-containerd']
// The environment bench was started with: each engine mode's env file is sourced on top of it.
const BASE_ENV = { ...process.env }
const TARGET = { scan: 1.15, compress: 0.6, rssBytes: 150e6, rssFlat: 1.5, accuracyPct: 1, pullRequest: 1.15, attribution: 1.1 }
// The CLI runs under the action's runtime (node24 in action.yml): ISG_ACTION_NODE, else the node running the bench.
const NODE = process.env.ISG_ACTION_NODE || process.execPath
// Set for B0 only: the CLI then skips Go attribution (the pclntab and symbol table reads), so B/B0 is what it costs.
const NO_ATTRIBUTION = { IMAGE_SIZE_GATE_BENCH_NO_GO_ATTRIBUTION: '1' }

// A failure the user can act on: printed as one line, without a stack trace.
class BenchError extends Error {}

// Runs a command without a shell; wall time comes from around the spawn.
function run(cmd, args, { stdout = 'pipe', cwd = ROOT, env = process.env } = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', stdout, 'pipe'] })
    const [out, err] = [[], []]
    child.stdout?.on('data', (chunk) => out.push(chunk))
    child.stderr.on('data', (chunk) => err.push(chunk))
    child.on('error', (e) => reject(new BenchError(`cannot run ${cmd}: ${e.message}`)))
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      resolve({ code, seconds, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString().trim() })
    })
  })
}

// Like run(), but any non-zero exit is an error that quotes the command's own last words.
async function must(cmd, args, options) {
  const result = await run(cmd, args, options)
  if (result.code !== 0) {
    const said = result.stderr.split('\n').filter(Boolean).pop() ?? `exit code ${result.code}`
    throw new BenchError(`${cmd} ${args.slice(0, 2).join(' ')} failed: ${said}`)
  }
  return result
}

function parseRounds(argv) {
  const i = argv.indexOf('--rounds')
  if (i === -1) return 5
  const n = Number(argv[i + 1])
  if (!Number.isInteger(n) || n < 1) throw new BenchError(`--rounds: cannot read '${argv[i + 1] ?? ''}' as a whole number of rounds; use e.g. --rounds 5`)
  return n
}

// --only pull-request or --only many-files: that case alone, printed; docs/benchmarks.md is left as it is.
function parseOnly(argv) {
  const i = argv.indexOf('--only')
  if (i === -1) return false
  if (argv[i + 1] === 'pull-request' || argv[i + 1] === 'many-files') return argv[i + 1]
  throw new BenchError(`--only: '${argv[i + 1] ?? ''}' is not a case that runs alone; use --only pull-request or --only many-files`)
}

// --engine MODE[,MODE]: the engine modes to bench; by default every one that is set up, else the
// engine the environment already points at (null).
function parseEngines(argv) {
  const i = argv.indexOf('--engine')
  const setUp = ENGINE_MODES.filter((mode) => existsSync(path.join(ENGINE_DIR, `${mode}.env`)))
  if (i === -1) return setUp.length > 0 ? setUp : [null]
  const modes = (argv[i + 1] ?? '').split(',').filter(Boolean)
  const unknown = modes.find((mode) => !setUp.includes(mode))
  if (modes.length === 0 || unknown !== undefined) {
    throw new BenchError(`--engine: '${unknown ?? argv[i + 1] ?? ''}' is not an engine mode that is set up; use one or more of ${setUp.join(', ') || '(none: run `bash scripts/setup-engines.sh`)'}, comma separated`)
  }
  return modes
}

// Points every later docker and CLI run at one engine mode: its env file, sourced by bash, read back.
async function useEngine(mode) {
  if (mode === null) return
  const file = path.join(ENGINE_DIR, `${mode}.env`)
  const r = await must('bash', ['-c', 'source "$1" && env -0', 'bash', file], { env: BASE_ENV })
  const env = Object.fromEntries(r.stdout.split('\0').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]))
  for (const name of Object.keys(process.env)) delete process.env[name]
  Object.assign(process.env, env)
  console.error(`bench: engine mode ${mode} (${process.env.DOCKER_HOST})`)
}
async function preflight() {
  if ((await run('docker', ['info'])).code !== 0) throw new BenchError(`cannot reach the Docker engine; ${SETUP_HINT}`)
  if ((await run('docker', ['image', 'inspect', LARGE])).code !== 0) throw new BenchError(`fixture image ${LARGE} is missing; ${SETUP_HINT}`)
  if (!existsSync(CLI)) throw new BenchError('dist/cli/index.js is missing; run `npm run build` first')
  // %M from wait4() is the kernel's own peak; a polled /proc VmHWM can miss the last interval, so
  // without GNU time we report no memory figure rather than a different, weaker one.
  const hasTime = existsSync(GNU_TIME)
  if (!hasTime) console.error('bench: warning: GNU time is missing, so peak RSS is not measured; install it with `apt-get install -y time`')
  // Idempotent: BuildKit's cache makes a rebuild of the unchanged example instant.
  console.error(`bench: building ${SMALL} from examples/go-service`)
  await must('docker', ['buildx', 'build', '--network', 'none', '--load', '-t', SMALL, 'examples/go-service'])
  return hasTime
}

// A: the floor for anything that reads the layers.
const dockerSave = async (image) => (await must('docker', ['save', image], { stdout: 'ignore' })).seconds

// D: what a naive tool does. The image is a positional argument, never spliced into the script.
async function naiveGzip(image) {
  const r = await run('sh', ['-c', 'docker save "$1" | gzip -6 | wc -c', 'sh', image])
  // dash has no pipefail: a failed `docker save` shows only on stderr.
  if (r.code !== 0 || r.stderr) throw new BenchError(`docker save ${image} | gzip -6 | wc -c failed: ${r.stderr || `exit code ${r.code}`}`)
  return r.seconds
}

// B and C. Exit 1 is the gate's verdict (the golang image ships a toolchain), so success is a JSON report.
async function cli(image, compressed, hasTime, extra = [], { attribution = true } = {}) {
  const args = [CLI, '--image', image, '--json', ...(compressed ? [] : ['--no-compressed']), '--quiet', ...extra]
  const rssFile = path.join(tmp(), `rss-${process.pid}`)
  const env = attribution ? process.env : { ...process.env, ...NO_ATTRIBUTION }
  const r = hasTime ? await run(GNU_TIME, ['-f', '%M', '-o', rssFile, NODE, ...args], { env }) : await run(NODE, args, { env })
  let report
  try {
    if (r.code > 1) throw new Error('not a verdict')
    report = JSON.parse(r.stdout)
  } catch {
    throw new BenchError(`the CLI printed no JSON report for ${image} (exit ${r.code}): ${r.stderr.split('\n').pop() || 'no message'}`)
  }
  if (typeof report?.image?.size !== 'number') throw new BenchError(`the CLI's report for ${image} has no image.size`)
  // GNU time prefixes "Command exited with non-zero status" when the gate fails; %M is the last line.
  const rssBytes = hasTime ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) * 1024 : NaN
  return { seconds: r.seconds, rssBytes, report }
}

let tmpDir
const tmp = () => (tmpDir ??= mkdtempSync(path.join(os.tmpdir(), 'isg-bench-')))
const cleanup = () => tmpDir && rmSync(tmpDir, { recursive: true, force: true })

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

// Alternates the commands each round so drift (page cache, thermal, neighbours) hits them alike.
async function pair(rounds, first, second, third) {
  const [a, b, c] = [[], [], []]
  for (let i = 0; i < rounds; i++) {
    a.push(await first())
    b.push(await second())
    if (third) c.push(await third())
  }
  return { a, b, c }
}

// B with Go attribution over B0 without it, round by round.
async function attributionCost(image, rounds, hasTime) {
  console.error(`bench: ${image}: B0 (CLI --no-compressed, no Go attribution) vs B, ${rounds} rounds`)
  const r = await pair(rounds, () => cli(image, false, hasTime, [], { attribution: false }), () => cli(image, false, hasTime))
  const [B0, B] = [r.a.map((x) => x.seconds), r.b.map((x) => x.seconds)]
  return { B0, attribution: B.map((b, i) => b / B0[i]), goBinaries: r.b[0].report.binaries.filter((b) => b.goAttribution).length }
}

async function measure(image, rounds, hasTime) {
  console.error(`bench: ${image}: warming the page cache with one untimed docker save`)
  await dockerSave(image)
  console.error(`bench: ${image}: A (docker save) vs B (CLI --no-compressed), ${rounds} rounds`)
  const ab = await pair(rounds, () => dockerSave(image), () => cli(image, false, hasTime))
  console.error(`bench: ${image}: D (docker save | gzip -6) vs C (CLI), ${rounds} rounds`)
  const dc = await pair(rounds, () => naiveGzip(image), () => cli(image, true, hasTime))
  const cost = await attributionCost(image, rounds, hasTime)
  const [A, B, C, D] = [ab.a, ab.b.map((x) => x.seconds), dc.b.map((x) => x.seconds), dc.a]
  const reports = dc.b.map((x) => x.report)
  console.error(`bench: ${image}: gzip -6 of each layer, for the accuracy check`)
  return {
    image, A, B, C, D, ...cost,
    scan: B.map((b, i) => b / A[i]),
    // C and A of the same round: what the full analysis with compressed sizes costs over the floor, cold.
    full: C.map((c, i) => c / A[i]),
    compress: C.map((c, i) => c / D[i]),
    rssB: median(ab.b.map((x) => x.rssBytes)),
    rssC: median(dc.b.map((x) => x.rssBytes)),
    reported: reports[0].image,
    // The same image must give the same compressed size every run, however the work is scheduled.
    stable: new Set(reports.map((r) => r.image.compressedSize)).size === 1,
    ...(await layerGzipSums(image)),
    inspectSize: Number((await must('docker', ['image', 'inspect', '-f', '{{.Size}}', image])).stdout.trim())
  }
}

// The reference: each layer tar from `docker save`, gzip -6 on its own, summed. Node's zlib at level 6
// alongside tells a gzip-vs-zlib encoder difference apart from the CLI miscounting.
async function layerGzipSums(image) {
  const dir = mkdtempSync(path.join(tmp(), 'save-'))
  try {
    const tar = path.join(dir, 'image.tar')
    await must('docker', ['save', '-o', tar, image])
    await must('tar', ['-x', '-f', tar, '-C', dir])
    rmSync(tar)
    const [manifest] = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'))
    const goTool = await buildGoGzip(dir)
    let layerGzip = 0
    let layerZlib = 0
    let layerGo = goTool ? 0 : null
    let layerBlobs = 0
    for (const layer of manifest.Layers) {
      const blob = path.join(dir, layer)
      const file = await layerTar(blob)
      if (file !== blob) layerBlobs += statSync(blob).size
      const [gz, zl, go] = await Promise.all([gzipBytes(file), zlibBytes(file), goTool ? goBytes(goTool, file) : null])
      layerGzip += gz
      layerZlib += zl
      if (layerGo !== null) layerGo += go
      if (file !== blob) rmSync(file)
    }
    return { layerGzip, layerZlib, layerGo, layerBlobs: layerBlobs || null }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

// The containerd store saves its own blobs, gzip-compressed when BuildKit made them: the reference
// compresses the layer tar inside, written next to the blob (the blob's path when it is a plain tar).
async function layerTar(blob) {
  const magic = Buffer.alloc(2)
  const fd = openSync(blob, 'r')
  readSync(fd, magic, 0, 2, 0)
  closeSync(fd)
  if (magic[0] !== 0x1f || magic[1] !== 0x8b) return blob
  const tar = `${blob}.tar`
  await must('sh', ['-c', 'gzip -dc "$1" > "$2"', 'sh', blob, tar])
  return tar
}

// `gzip -6 -n -c LAYER | wc -c`, with the counting done here instead of by a shell. -n: no name or
// timestamp in the header, as in BuildKit's blobs (and the containerd store's saved blobs have mtimes
// gzip cannot store, which it reports with exit code 2).
function gzipBytes(file) {
  return new Promise((resolve, reject) => {
    const child = spawn('gzip', ['-6', '-n', '-c', file], { stdio: ['ignore', 'pipe', 'inherit'] })
    let bytes = 0
    child.stdout.on('data', (chunk) => (bytes += chunk.length))
    child.on('error', (e) => reject(new BenchError(`cannot run gzip: ${e.message}`)))
    child.on('close', (code) => (code === 0 ? resolve(bytes) : reject(new BenchError(`gzip -6 ${file} failed with exit code ${code}`))))
  })
}

// BuildKit compresses with Go's compress/gzip at its default level: the size a registry really stores.
async function buildGoGzip(dir) {
  const bin = path.join(dir, 'go-gzip-size')
  const env = { ...process.env, GOFLAGS: '-mod=mod', GOPROXY: 'off', GOTOOLCHAIN: 'local', GOCACHE: path.join(dir, 'gocache') }
  const built = await run('go', ['build', '-o', bin, '.'], { cwd: path.join(ROOT, 'scripts/go-gzip-size'), env }).catch(() => ({ code: 1 }))
  return built.code === 0 ? bin : null
}

function goBytes(bin, file) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [], { stdio: [openSync(file, 'r'), 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', (chunk) => (out += chunk))
    child.on('error', (e) => reject(new BenchError(`cannot run ${bin}: ${e.message}`)))
    child.on('close', (code) => (code === 0 ? resolve(Number(out.trim())) : reject(new BenchError(`${bin} failed on ${file}`))))
  })
}

function zlibBytes(file) {
  return new Promise((resolve, reject) => {
    let bytes = 0
    const fail = (e) => reject(new BenchError(`cannot gzip ${file} with zlib: ${e.message}`))
    const gz = createReadStream(file).on('error', fail).pipe(createGzip({ level: 6 })).on('error', fail)
    gz.on('data', (chunk) => (bytes += chunk.length)).on('end', () => resolve(bytes))
  })
}

// Another build of the bundle mid-run would mix two versions of the code in one table.
const bundleHash = () => createHash('sha256').update(readFileSync(CLI)).digest('hex').slice(0, 12)

async function machine() {
  const quiet = async (cmd, args) => run(cmd, args).then((r) => (r.code === 0 ? r.stdout.trim() : 'unknown'))
  const cpus = os.cpus()
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: (await quiet(NODE, ['--version'])) + ` (${NODE})`,
    docker: await quiet('docker', ['version', '--format', '{{.Server.Version}}']),
    buildx: (await quiet('docker', ['buildx', 'version'])).split(' ')[1] ?? 'unknown',
    store: (await quiet('docker', ['info', '--format', '{{json .DriverStatus}}'])).includes('io.containerd.snapshotter') ? 'containerd' : 'classic',
    kernel: `${os.type()} ${os.release()}`,
    commit: await quiet('git', ['rev-parse', '--short', 'HEAD']),
    bundle: bundleHash()
  }
}

// Decimal units, as the README and the CLI report them.
function fmtBytes(n) {
  if (!Number.isFinite(n)) return 'n/a'
  for (const [unit, size] of [['GB', 1e9], ['MB', 1e6], ['kB', 1e3]]) if (n >= size) return `${(n / size).toPrecision(3)} ${unit}`
  return `${n} B`
}
const sec = (xs) => `${median(xs).toFixed(2)} s`
const ratio = (xs) => `${median(xs).toFixed(2)} (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`
const mark = (ok) => (ok === null ? '—' : ok ? '✅' : '❌')
const pct = (ours, ref) => ((ours - ref) / ref) * 100
const accuracy = (r) => pct(r.reported.compressedSize, r.layerGzip)
const signed = (x) => `${x >= 0 ? '+' : ''}${x.toFixed(3)} %`

// Each row: the target, then whether it holds on the large and the small image (null: not applicable).
function targets(large, small, store) {
  const rss = (r) => (Number.isFinite(r.rssB) ? Math.max(r.rssB, r.rssC) <= TARGET.rssBytes : null)
  const flat = Number.isFinite(large.rssB) ? large.rssB <= small.rssB * TARGET.rssFlat && large.rssC <= small.rssC * TARGET.rssFlat : null
  const each = (ok) => [ok(large), ok(small)]
  const rows = [
    [`B/A ≤ ${TARGET.scan}: the scan costs little more than reading the layers`, ...each((r) => median(r.scan) <= TARGET.scan)],
    [`C/D ≤ ${TARGET.compress}: compressed sizes well under a naive docker save \\| gzip`, ...each((r) => median(r.compress) <= TARGET.compress)],
    [`peak RSS of B and C ≤ ${fmtBytes(TARGET.rssBytes)} on the large image`, rss(large), null],
    [`peak RSS roughly flat: large ≤ ${TARGET.rssFlat}× small, for B and for C`, flat, null],
    [`compressed size within ±${TARGET.accuracyPct}% of the per-layer gzip -6 sum`, ...each((r) => Math.abs(accuracy(r)) <= TARGET.accuracyPct)],
    [`B/B0 ≤ ${TARGET.attribution}: Go attribution adds at most 10% to B`, ...each((r) => median(r.attribution) <= TARGET.attribution)],
    // The containerd store's inspect Size counts its stored content (compressed blobs), not the files.
    ['uncompressed size equals docker image inspect (classic store only)', ...each((r) => (store === 'containerd' ? null : r.reported.size === r.inspectSize))]
  ]
  return rows.map(([what, l, sm]) => `| ${what} | ${mark(l)} | ${mark(sm)} |`)
}

function render(mode, m, rounds, results, minutes, mixed) {
  const [large, small] = results
  const col = (f) => `| ${f(large)} | ${f(small)} |`
  return [
    `## ${mode ?? 'the engine the environment points at'}: Docker ${m.docker}, ${m.store} image store`,
    '',
    `Generated by \`npm run bench\` (scripts/bench.mjs) on ${new Date().toISOString()}; ${rounds} round${rounds === 1 ? '' : 's'} per pair, the bench took ${minutes.toFixed(1)} min.`,
    '',
    `Machine: ${m.cores} cores (${m.cpu}), ${m.memory} memory, Node ${m.node}, Docker Engine ${m.docker} (${m.store} image store), buildx ${m.buildx}, ${m.kernel}. ` +
      `Code: commit ${m.commit}, dist/cli/index.js sha256 ${m.bundle}${mixed ? ' (**rebuilt during the run: the numbers mix two builds**)' : ''}.`,
    '',
    `Reproduce: do the set-up in the README (\`bash scripts/setup-engine.sh\`, \`bash scripts/setup-engines.sh\`, \`npm ci\`, \`npm run build\`), then \`npm run bench${mode ? ` -- --engine ${mode}` : ''}\` (\`--rounds N\` for more rounds).`,
    '',
    '- A: `docker save IMAGE > /dev/null`, the floor for anything that reads the layers.',
    '- B: `node dist/cli/index.js --image IMAGE --json --no-compressed --quiet`: uncompressed sizes and the toolchain scan.',
    '- C: `node dist/cli/index.js --image IMAGE --json --quiet`: B plus compressed sizes.',
    '- B0: B with `IMAGE_SIZE_GATE_BENCH_NO_GO_ATTRIBUTION=1`, which skips Go attribution (pclntab and symbol table reads); B0 and B alternate too.',
    "- D: `sh -c 'docker save \"$1\" | gzip -6 | wc -c'`: what a naive tool does.",
    `- P, the pull-request case (its own section below): ${LARGE} with only its top layer changed, analysed with compressed sizes and`,
    '  the layer index an earlier run of the old image left (`--layer-cache`), timed against A of the same new image, alternating round by round.',
    '',
    'A and B alternate round by round, as do D and C, after one untimed `docker save` warms the page cache. Times are wall-clock medians;',
    'ratios are the median of the per-round ratios, with min–max. B and C run under GNU time; peak RSS is its `%M` (KiB, the largest of the CLI',
    'and the processes it waited for), median over rounds. Sizes are decimal: 1 MB = 10^6 bytes.',
    '',
    `| | ${large.image} | ${small.image} |`,
    '| --- | --- | --- |',
    `| image size (docker image inspect) ${col((r) => fmtBytes(r.inspectSize))}`,
    `| layers ${col((r) => r.reported.layers.length)}`,
    `| A docker save ${col((r) => sec(r.A))}`,
    `| B CLI, uncompressed ${col((r) => sec(r.B))}`,
    `| C CLI, with compressed ${col((r) => sec(r.C))}`,
    `| D docker save \\| gzip -6 ${col((r) => sec(r.D))}`,
    `| B/A ${col((r) => ratio(r.scan))}`,
    `| C/A: the full analysis, cold ${col((r) => ratio(r.full))}`,
    `| C/D ${col((r) => ratio(r.compress))}`,
    `| B0 CLI, uncompressed, no Go attribution ${col((r) => sec(r.B0))}`,
    `| B/B0: what Go attribution costs (${large.goBinaries} and ${small.goBinaries} Go binaries) ${col((r) => ratio(r.attribution))}`,
    `| peak RSS of B ${col((r) => fmtBytes(r.rssB))}`,
    `| peak RSS of C ${col((r) => fmtBytes(r.rssC))}`,
    `| compressed size: C reports ${col((r) => `${r.reported.compressedSize} B${r.stable ? '' : ' (varied between rounds!)'}`)}`,
    `| compressed size: sum of per-layer gzip -6 ${col((r) => `${r.layerGzip} B`)}`,
    `| compressed accuracy: C vs gzip -6 ${col((r) => signed(accuracy(r)))}`,
    `| for reference: C vs Node zlib level 6 per layer ${col((r) => signed(pct(r.reported.compressedSize, r.layerZlib)))}`,
    `| for reference: C vs Go compress/gzip, what BuildKit pushes ${col((r) => (r.layerGo === null ? 'n/a (no go)' : signed(pct(r.reported.compressedSize, r.layerGo))))}`,
    `| for reference: C vs the engine's own gzip blobs ${col((r) => (r.layerBlobs === null ? 'n/a (saved uncompressed)' : `${signed(pct(r.reported.compressedSize, r.layerBlobs))} (${r.layerBlobs} B)`))}`,
    `| uncompressed: C reports / docker inspect ${col((r) => `${r.reported.size} / ${r.inspectSize} ${r.reported.size === r.inspectSize ? '(equal)' : '(DIFFERENT)'}`)}`,
    '',
    `| target | ${large.image} | ${small.image} |`,
    '| --- | --- | --- |',
    ...targets(large, small, m.store),
    ''
  ].join('\n')
}

// The many-files case: one layer of 300,000 small files (~780 MB as the engine counts it), like a big
// node_modules, made with `docker import` of a tar generated here so anyone can rebuild it.
const MANY = 'image-size-gate/bench-many-files:v1'
const MANY_SHAPE = { packages: 3000, filesPerPackage: 100, fileBytes: 2600 }

// One ustar header; generated names stay under 100 bytes, so no pax records are needed.
function ustarHeader(name, flag, size, mode) {
  const block = Buffer.alloc(512)
  block.write(name, 0)
  block.write(`${mode.toString(8).padStart(7, '0')}\0`, 100)
  block.write('0000000\0', 108)
  block.write('0000000\0', 116)
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124)
  block.write('00000000000\0', 136)
  block.write(flag, 156)
  block.write('ustar\0', 257)
  block.write('00', 263)
  block.write('        ', 148)
  let sum = 0
  for (const byte of block) sum += byte
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148)
  return block
}

// Text-like bytes from a seeded generator: they compress about as well as source code does.
function textPool(bytes) {
  const words = ['const', 'function', 'return', 'module', 'exports', 'require', 'value', 'index', '=>', '{', '}', ';', '\n']
  let seed = 42
  const parts = []
  for (let length = 0; length < bytes; ) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31
    const word = `${words[seed % words.length]}${seed % 7 === 0 ? seed.toString(36) : ''} `
    parts.push(word)
    length += word.length
  }
  return Buffer.from(parts.join('')).subarray(0, bytes)
}

// Yields the layer tar in ~1 MB pieces, so the generator never holds the whole layer.
function* manyFilesTar() {
  const { packages, filesPerPackage, fileBytes } = MANY_SHAPE
  const pool = textPool(1 << 20)
  const padding = Buffer.alloc((512 - (fileBytes % 512)) % 512)
  let parts = []
  for (let p = 0; p < packages; p++) {
    const dir = `app/node_modules/pkg-${p}/lib`
    parts.push(ustarHeader(`app/node_modules/pkg-${p}/`, '5', 0, 0o755), ustarHeader(`${dir}/`, '5', 0, 0o755))
    for (let f = 0; f < filesPerPackage; f++) {
      const at = ((p * filesPerPackage + f) * 7919) % (pool.length - fileBytes)
      parts.push(ustarHeader(`${dir}/file-${f}.js`, '0', fileBytes, 0o644), pool.subarray(at, at + fileBytes), padding)
    }
    if (parts.length > 300) yield Buffer.concat(parts.splice(0))
  }
  yield Buffer.concat([...parts, Buffer.alloc(1024)])
}

async function ensureManyFilesImage() {
  if ((await run('docker', ['image', 'inspect', MANY])).code === 0) return
  console.error(`bench: building ${MANY} (${MANY_SHAPE.packages * MANY_SHAPE.filesPerPackage} files) with docker import`)
  const child = spawn('docker', ['import', '-', MANY], { stdio: ['pipe', 'ignore', 'pipe'] })
  const err = []
  child.stderr.on('data', (chunk) => err.push(chunk))
  const closed = once(child, 'close')
  for (const piece of manyFilesTar()) if (!child.stdin.write(piece)) await once(child.stdin, 'drain')
  child.stdin.end()
  const [code] = await closed
  if (code !== 0) throw new BenchError(`docker import - ${MANY} failed: ${Buffer.concat(err).toString().trim() || `exit code ${code}`}`)
}

// The same files as one layer that BuildKit makes, by \`ADD\` of the generated tar, which it unpacks: a layer
// the engine's own snapshotter committed, as a \`COPY\` of a node_modules would be.
const MANY_ADD = 'image-size-gate/bench-many-files-add:v1'

async function ensureManyFilesAddImage() {
  if ((await run('docker', ['image', 'inspect', MANY_ADD])).code === 0) return
  console.error(`bench: building ${MANY_ADD} (${MANY_SHAPE.packages * MANY_SHAPE.filesPerPackage} files) with BuildKit's ADD of a tar`)
  const dir = mkdtempSync(path.join(tmp(), 'many-add-'))
  try {
    const out = createWriteStream(path.join(dir, 'files.tar'))
    for (const piece of manyFilesTar()) if (!out.write(piece)) await once(out, 'drain')
    out.end()
    await once(out, 'close')
    writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\nADD files.tar /\n')
    await must('docker', ['buildx', 'build', '--network', 'none', '--load', '-t', MANY_ADD, dir])
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const MANY_IMAGES = [
  { image: MANY, ensure: ensureManyFilesImage, how: '`docker import` of a generated tar' },
  { image: MANY_ADD, ensure: ensureManyFilesAddImage, how: "BuildKit's `ADD` of the same generated tar, which it unpacks into one layer" }
]

// Peak RSS and time of the CLI (B and C) against docker save (A) on a many-files image.
async function manyFilesCase(rounds, hasTime, { image, ensure, how }) {
  await ensure()
  console.error(`bench: ${image}: warming the page cache with one untimed docker save`)
  await dockerSave(image)
  console.error(`bench: ${image}: A (docker save) vs B (CLI --no-compressed) vs C (CLI), ${rounds} rounds`)
  const [A, B, C] = [[], [], []]
  for (let i = 0; i < rounds; i++) {
    A.push(await dockerSave(image))
    B.push(await cli(image, false, hasTime))
    C.push(await cli(image, true, hasTime))
  }
  const inspectSize = Number((await must('docker', ['image', 'inspect', '-f', '{{.Size}}', image])).stdout.trim())
  const rssB = median(B.map((x) => x.rssBytes))
  const rssC = median(C.map((x) => x.rssBytes))
  const files = B[0].report.image.layers.reduce((total, layer) => total + layer.files, 0)
  const row = (what, value) => `| ${what} | ${value} |`
  return [
    `## ${image}: one layer of ${files} small files`,
    '',
    `Built by the bench itself (${how}; ${MANY_SHAPE.packages} packages × ${MANY_SHAPE.filesPerPackage} files of ${MANY_SHAPE.fileBytes} B). Same A, B and C as above, taken in turn each round.`,
    '',
    '| | |',
    '| --- | --- |',
    row('image size (docker image inspect)', fmtBytes(inspectSize)),
    row('A docker save', sec(A)),
    row('B CLI, uncompressed', sec(B.map((x) => x.seconds))),
    row('C CLI, with compressed', sec(C.map((x) => x.seconds))),
    row('B/A', ratio(B.map((x, i) => x.seconds / A[i]))),
    row('C/A', ratio(C.map((x, i) => x.seconds / A[i]))),
    row('peak RSS of B', fmtBytes(rssB)),
    row('peak RSS of C', fmtBytes(rssC)),
    row(`peak RSS of B and C ≤ ${fmtBytes(TARGET.rssBytes)}`, mark(Number.isFinite(rssB) ? Math.max(rssB, rssC) <= TARGET.rssBytes : null)),
    row('uncompressed: C reports / docker inspect', `${C[0].report.image.size} / ${inspectSize}`),
    ''
  ].join('\n')
}

// The pull-request case: the large image with only its top layer changed, against a saved report of the old one.
const PR_OLD = 'image-size-gate/bench-pr:old'
const PR_NEW = 'image-size-gate/bench-pr:new'

// Two children of the large image that differ only in their one small top layer; offline, as every build here.
async function buildPullRequestImages() {
  const dir = mkdtempSync(path.join(tmp(), 'pr-'))
  writeFileSync(path.join(dir, 'Dockerfile'), `FROM ${LARGE}\nCOPY change.txt /change.txt\n`)
  for (const [tag, content] of [[PR_OLD, 'the base branch\n'], [PR_NEW, 'the pull request\n']]) {
    writeFileSync(path.join(dir, 'change.txt'), content)
    await must('docker', ['buildx', 'build', '--network', 'none', '--load', '-t', tag, dir])
  }
}

// The layer index a main-branch run of the old image leaves behind, as the size-history branch would hold it.
async function primedIndex() {
  const dir = path.join(tmp(), 'bench-pr-index')
  rmSync(dir, { recursive: true, force: true })
  const r = await run(NODE, [CLI, '--image', PR_OLD, '--quiet', '--json', '--layer-cache', dir])
  if (r.code <= 1 && existsSync(dir)) return dir
  throw new BenchError(`the CLI wrote no layer index for ${PR_OLD} (exit ${r.code}): ${r.stderr.split('\n').pop() || 'no message'}`)
}

// A fresh copy of the primed index for each P, so every round finds the base layer and not the new top layer.
async function indexCopy(primed, round) {
  const dir = path.join(tmp(), `bench-pr-index-${round}`)
  rmSync(dir, { recursive: true, force: true })
  await must('cp', ['-r', primed, dir])
  return dir
}

// A (docker save), B (no compressed sizes, no index) and P (compressed sizes, the old image's index) of the new image, in turn each round.
async function pullRequestCase(rounds, hasTime) {
  console.error(`bench: building ${PR_OLD} and ${PR_NEW} (${LARGE} plus one changed top layer)`)
  await buildPullRequestImages()
  const primed = await primedIndex()
  await dockerSave(PR_NEW)
  console.error(`bench: ${PR_NEW}: A (docker save) vs B (CLI --no-compressed) vs P (CLI --layer-cache), ${rounds} rounds`)
  const [A, B, P] = [[], [], []]
  for (let i = 0; i < rounds; i++) {
    const index = await indexCopy(primed, i)
    A.push(await dockerSave(PR_NEW))
    B.push(await cli(PR_NEW, false, hasTime))
    P.push(await cli(PR_NEW, true, hasTime, ['--layer-cache', index]))
  }
  const layers = P[0].report.image.layers
  const indexed = layers.filter((layer) => layer.analysisFrom !== undefined)
  const indexedBytes = indexed.reduce((sum, layer) => sum + layer.size, 0)
  const entryBytes = readdirSync(primed).reduce((sum, name) => sum + statSync(path.join(primed, name)).size, 0)
  const ratioP = P.map((x, i) => x.seconds / A[i])
  const row = (what, value) => `| ${what} | ${value} |`
  return [
    `## The pull-request case: ${LARGE} with only its top layer changed`,
    '',
    `${PR_NEW} and ${PR_OLD} are \`FROM ${LARGE}\` plus one \`COPY\` of a small file that differs. A main-branch run of ${PR_OLD}`,
    `left its layer analyses in a layer index (\`--layer-cache\`, the size-history branch's \`layer-index/\` in the action); P analyses`,
    `${PR_NEW} with compressed sizes and a fresh copy of that index each round, so the base layer comes from the index (hashed and its`,
    'headers walked, never parsed or deflated) and the new top layer is analysed. A main build after an earlier one does the same,',
    'and also adds the new top layer to the index, which P includes.',
    '',
    '| | |',
    '| --- | --- |',
    row('layers / whose analysis P took from the index', `${layers.length} / ${indexed.length} (${fmtBytes(indexedBytes)})`),
    row('the index entries a run of the old image wrote', fmtBytes(entryBytes)),
    row('A docker save', sec(A)),
    row('B CLI, uncompressed, no index', sec(B.map((x) => x.seconds))),
    row('P CLI, with compressed, the old image\'s index', sec(P.map((x) => x.seconds))),
    row('B/A', ratio(B.map((x, i) => x.seconds / A[i]))),
    row('P/A', ratio(ratioP)),
    row('peak RSS of P', fmtBytes(median(P.map((x) => x.rssBytes)))),
    row(`P/A ≤ ${TARGET.pullRequest}`, mark(median(ratioP) <= TARGET.pullRequest)),
    ''
  ].join('\n')
}

// One engine mode's section: every image measured on that engine.
async function benchEngine(mode, rounds, only) {
  const started = Date.now()
  await useEngine(mode)
  const hasTime = await preflight()
  const m = await machine()
  const heading = `## ${mode ?? 'the engine'}: Docker ${m.docker}, ${m.store} image store, commit ${m.commit}`
  if (only === 'pull-request') return `${heading}\n\n${await pullRequestCase(rounds, hasTime)}`
  if (only === 'many-files') {
    const sections = []
    for (const spec of MANY_IMAGES) sections.push(await manyFilesCase(rounds, hasTime, spec))
    return `${heading}\n\n${sections.join('\n')}`
  }
  const results = []
  for (const image of [LARGE, SMALL]) results.push(await measure(image, rounds, hasTime))
  const many = []
  for (const spec of MANY_IMAGES) many.push(await manyFilesCase(rounds, hasTime, spec))
  const pullRequest = await pullRequestCase(rounds, hasTime)
  const mixed = m.bundle !== bundleHash()
  if (mixed) console.error('bench: warning: dist/cli/index.js changed during the run; the numbers mix two builds')
  return `${render(mode, m, rounds, results, (Date.now() - started) / 60000, mixed)}\n${many.join('\n')}\n${pullRequest}`
}

// --attribution-only: just B0 against B on both images, printed; docs/benchmarks.md is left alone.
async function attributionOnly(modes, rounds) {
  for (const mode of modes) {
    await useEngine(mode)
    const hasTime = await preflight()
    for (const image of [LARGE, SMALL]) {
      const r = await attributionCost(image, rounds, hasTime)
      console.log(`${mode ?? 'engine'} ${image}: B0 ${sec(r.B0)}, B/B0 ${ratio(r.attribution)} (${r.goBinaries} Go binaries attributed)`)
    }
  }
}

async function main() {
  const argv = process.argv.slice(2)
  const rounds = parseRounds(argv)
  if (argv.includes('--attribution-only')) return attributionOnly(parseEngines(argv), rounds)
  const only = parseOnly(argv)
  const sections = []
  for (const mode of parseEngines(argv)) {
    // One engine mode failing must not throw away the sections already measured on the others.
    const section = await benchEngine(mode, rounds, only).catch((e) => {
      if (!(e instanceof BenchError)) throw e
      console.error(`bench: ${mode ?? 'the engine'}: ${e.message}`)
      process.exitCode = 1
      return `## ${mode ?? 'the engine the environment points at'}\n\nNot measured: ${e.message}\n`
    })
    sections.push(section)
  }
  const doc = ['# Benchmarks', '', ...sections].join('\n')
  if (only) return console.log(doc)
  mkdirSync(path.dirname(OUT), { recursive: true })
  writeFileSync(OUT, doc)
  console.log(doc)
}

// Ctrl-C must not leave an extracted image (hundreds of MB) in the temp dir.
process.on('SIGINT', () => {
  cleanup()
  process.exit(130)
})
main()
  .catch((e) => {
    console.error(`bench: ${e instanceof BenchError ? e.message : `unexpected failure: ${e?.message ?? e}`}`)
    process.exitCode = 1
  })
  .finally(cleanup)
