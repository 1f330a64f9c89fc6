/** The inputs made into each stage's options, once, before anything runs: no stage sees the inputs. */
import { parseImageLocation } from '../archive/image-location.js'
import { UserError } from '../errors.js'
import { Input, type Inputs } from '../inputs.js'
import type { GatePlan } from './platforms.js'

export function gatePlan(inputs: Inputs): GatePlan {
  const { context, file, target, buildArgs, platform, builder, cacheFrom, cacheTo, secrets, network, image, measureCompressed, engine } =
    inputs
  // Checked here so that a misspelt location fails before anything is built.
  parseImageLocation(image, Input.Image)
  parseImageLocation(inputs.baselineImage, Input.BaselineImage)
  if (engine === 'podman' && builder)
    throw new UserError(`${Input.Builder}: Podman has no buildx builders; leave builder empty with engine: podman`)
  const { sizeMetric, maxSize, maxGrowth, maxWasted, failOnGoToolchain, failOnBrokenEntrypoint, warnSize, growthScope } = inputs
  return {
    platforms: inputs.platforms.length > 0 ? inputs.platforms : [platform],
    image: { context, file, target, buildArgs, platform, builder, cacheFrom, cacheTo, secrets, network, image, measureCompressed, engine },
    baseline: { mode: inputs.baseline, image: inputs.baselineImage, report: inputs.baselineReport },
    judge: { sizeMetric, maxSize, maxGrowth, maxWasted, failOnGoToolchain, failOnBrokenEntrypoint, warnSize, growthScope }
  }
}
