/** docker buildx: the build's command line, where its results land, and what a failed build's output means. */

/** The builder that will run the build, as `docker buildx inspect` describes it. */
export interface BuilderInfo {
  name: string
  driver: string
}

/** Where the build leaves its results. */
export interface BuildPaths {
  dockerfile: string
  iidFile: string
  /** Where drivers that cannot load into the engine write an OCI archive. */
  ociArchive: string
  /** A file per secret, written beforehand with the secret's value. */
  secretFiles: { id: string; path: string }[]
}

/** How the built image reaches the analysis. */
export type ImageDelivery = 'load' | 'oci-archive'

/**
 * The classic docker driver loads straight into the engine's store; every other driver
 * (docker-container, kubernetes, remote, cloud) exports an OCI archive whose blobs are
 * already gzip-compressed, so their compressed sizes are exact.
 */
export function deliveryFor(builder: BuilderInfo): ImageDelivery {
  return builder.driver === 'docker' ? 'load' : 'oci-archive'
}

/**
 * What a build is asked for, keyed by the action's input names as build-push-action's inputs are, so
 * the parsed inputs serve as they are; secrets arrive as files, in BuildPaths.
 */
export interface BuildRequest {
  context: string
  target: string
  /** One platform, or '' for the builder's own. */
  platform: string
  builder: string
  network: string
  buildArgs: readonly string[]
  cacheFrom: readonly string[]
  cacheTo: readonly string[]
}

/** The flags buildx and `podman build` spell alike: the Dockerfile, its stage, platform, network, arguments, caches and secrets. */
export function dockerfileFlags(request: BuildRequest, paths: BuildPaths): string[] {
  const args = ['--file', paths.dockerfile]
  if (request.target) args.push('--target', request.target)
  if (request.platform) args.push('--platform', request.platform)
  if (request.network) args.push('--network', request.network)
  for (const arg of request.buildArgs) args.push('--build-arg', arg)
  for (const source of request.cacheFrom) args.push('--cache-from', source)
  for (const destination of request.cacheTo) args.push('--cache-to', destination)
  for (const secret of paths.secretFiles) args.push('--secret', `id=${secret.id},src=${secret.path}`)
  return args
}

/** The `docker buildx build` argv for this request and this delivery. Pure, for table tests. */
export function getBuildArgs(request: BuildRequest, delivery: ImageDelivery, paths: BuildPaths): string[] {
  const args = ['buildx', 'build', '--progress', 'plain']
  if (request.builder) args.push('--builder', request.builder)
  args.push(...dockerfileFlags(request, paths), '--iidfile', paths.iidFile)
  if (delivery === 'load') args.push('--load')
  else args.push('--output', `type=oci,dest=${paths.ociArchive}`)
  args.push(request.context)
  return args
}

/** Wrapping BuildKit puts around the reason; users only need the reason. */
const NOISE = [/rpc error: code = \w+ desc = /g, /failed to solve with frontend dockerfile\.v0: /g, /failed to create LLB definition: /g]

/**
 * The lines of buildx's plain progress output that explain a failed build of `dockerfile`:
 * the reason (its final `ERROR:` line), the failing step, the Dockerfile line where buildx
 * names one, and the step's last output.
 */
export function explainBuildFailure(output: string, dockerfile: string): string {
  const lines = output.split('\n').map((line) => line.replace(/\r$/, ''))
  const errors = lines.filter((line) => /^ERROR:? /.test(line)).map((line) => line.replace(/^ERROR:? /, ''))
  const raw = errors[errors.length - 1] ?? lastMeaningfulLine(lines) ?? 'buildx exited with an error'
  const reason = NOISE.reduce((text, pattern) => text.replace(pattern, ''), raw)
  const stepIndex = lines.findIndex((line) => /^ > .*:$/.test(line))
  const step = stepIndex === -1 ? undefined : (lines[stepIndex] ?? '').replace(/^ > /, '').replace(/:$/, '')
  const stepOutput = stepIndex === -1 ? [] : takeUntil(lines.slice(stepIndex + 1), '------').filter((line) => line.trim())
  const location = lines.find((line) => /^[^\s:]*Dockerfile[^\s:]*:\d+$/.test(line))
  const where = [location, step ? `\`${step}\`` : undefined].filter(Boolean).join(' ')
  const detail = stepOutput.slice(-5).map((line) => line.trim())
  return [`docker buildx build of ${dockerfile} failed${where ? ` at ${where}` : ''}: ${reason}`, ...detail].join('\n')
}

function takeUntil(lines: string[], marker: string): string[] {
  const end = lines.indexOf(marker)
  return end === -1 ? lines : lines.slice(0, end)
}

function lastMeaningfulLine(lines: string[]): string | undefined {
  return [...lines].reverse().find((line) => line.trim() !== '')
}
