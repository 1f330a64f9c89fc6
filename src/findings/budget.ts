import type { GrowthScope, SizeMetric } from '../size.js'

/** The max-size budget on one metric. */
export interface Budget {
  metric: SizeMetric
  limit: number
  actual: number
  passed: boolean
}

/** The growth budget against a baseline, on the same metric as the size budget. */
export interface Growth {
  metric: SizeMetric
  /** The limit as given: bytes, or a percentage of the baseline. */
  limit: number
  limitKind: 'bytes' | 'percent'
  /** Head minus base, in bytes. */
  actual: number
  /** actual as a percentage of the base, when the base is not empty. */
  percent: number | null
  /** The whole image, or only the layers its Dockerfile adds on top of the FROM image (growth-scope). */
  scope: GrowthScope
  passed: boolean
}
