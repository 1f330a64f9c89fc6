import { describe, expect, it } from '@jest/globals'
import { Input, parseInputs } from '../../../src/inputs.js'
import { gatePlan } from '../../../src/run/plan.js'

const plan = (values: Partial<Record<Input, string>>) => gatePlan(parseInputs((name) => values[name] ?? ''))

describe('gatePlan', () => {
  it('carries the engine to the image request', () => {
    expect(plan({ [Input.Engine]: 'podman' }).image.engine).toBe('podman')
    expect(plan({}).image.engine).toBe('docker')
  })

  it('gives Podman one sentence for the buildx builder it does not have', () => {
    expect(() => plan({ [Input.Engine]: 'podman', [Input.Builder]: 'ci' })).toThrow(
      'builder: Podman has no buildx builders; leave builder empty with engine: podman'
    )
  })

  it.each([
    [Input.Image, "image: 'oci-archive:' names no file; use oci-archive:PATH or oci-archive:PATH:REF"],
    [Input.BaselineImage, "baseline-image: 'oci-archive:' names no file; use oci-archive:PATH or oci-archive:PATH:REF"]
  ])('checks %s before anything runs', (input, message) => {
    expect(() => plan({ [input]: 'oci-archive:' })).toThrow(message)
  })
})
