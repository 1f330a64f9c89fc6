/** The inputs made into each stage's options, once, before anything runs: no stage sees the inputs. */
import type { Inputs } from '../inputs.js'
import type { GatePlan } from './platforms.js'

export function gatePlan(inputs: Inputs): GatePlan {
  const { context, file, target, buildArgs, platform, builder, cacheFrom, cacheTo, secrets, network, image, measureCompressed } = inputs
  const { sizeMetric, maxSize, maxGrowth, maxWasted, failOnGoToolchain, failOnBrokenEntrypoint, warnSize, growthScope } = inputs
  return {
    platforms: inputs.platforms.length > 0 ? inputs.platforms : [platform],
    image: { context, file, target, buildArgs, platform, builder, cacheFrom, cacheTo, secrets, network, image, measureCompressed },
    baseline: { mode: inputs.baseline, image: inputs.baselineImage, report: inputs.baselineReport },
    judge: { sizeMetric, maxSize, maxGrowth, maxWasted, failOnGoToolchain, failOnBrokenEntrypoint, warnSize, growthScope }
  }
}
