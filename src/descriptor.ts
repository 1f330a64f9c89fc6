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
  return [platform?.os ?? 'unknown', platform?.architecture ?? 'unknown', platform?.variant].filter(Boolean).join('/')
}

/** BuildKit's provenance/SBOM manifests sit in indexes beside images, marked by annotation or platform unknown/unknown. */
export function isAttestation(entry: Descriptor): boolean {
  return entry.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest' || entry.platform?.os === 'unknown'
}
