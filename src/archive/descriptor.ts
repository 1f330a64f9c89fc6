/** An OCI content descriptor, as image indexes and manifests list them. */
export interface Descriptor {
  mediaType?: string
  digest: string
  size: number
  platform?: Platform
  annotations?: Record<string, string>
}

export interface Platform {
  os?: string
  architecture?: string
  variant?: string
}

/** `os/architecture[/variant]`, the form build-push-action's platform inputs use. */
export function platformName(platform: Platform | undefined): string {
  return [platform?.os || 'unknown', platform?.architecture || 'unknown', platform?.variant].filter(Boolean).join('/')
}

/** BuildKit's provenance/SBOM manifests sit in indexes beside images, marked by annotation or platform unknown/unknown. */
export function isAttestation(entry: Descriptor): boolean {
  return entry.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest' || entry.platform?.os === 'unknown'
}

/** How a layer blob is compressed, as its media type's suffix or its first bytes say. */
export type LayerCompression = 'gzip' | 'zstd' | 'none'

/** A layer's compression from its media type (`…tar+gzip`, `…tar+zstd`, `…tar`, Docker's `…tar.gzip`); undefined when unknown. */
export function compressionOf(mediaType: string | undefined): LayerCompression | undefined {
  if (!mediaType) return undefined
  if (/[+.]gzip$/.test(mediaType)) return 'gzip'
  if (/[+.]zstd$/.test(mediaType)) return 'zstd'
  return /\.tar$/.test(mediaType) ? 'none' : undefined
}

/** Platform names as containerd normalises them: arm64's v8 and amd64's v1 are the defaults, arm's is v7. */
export function normalPlatform(name: string): string {
  const [os = '', architecture = '', variant] = name.toLowerCase().split('/')
  const defaults: Record<string, string> = { arm64: 'v8', amd64: 'v1' }
  if (architecture === 'arm') return `${os}/arm/${variant ?? 'v7'}`
  return variant && defaults[architecture] !== variant ? `${os}/${architecture}/${variant}` : `${os}/${architecture}`
}
