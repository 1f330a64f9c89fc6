import { describe, expect, it } from '@jest/globals'
import { quietReason } from '../../../src/report/comment-threshold.js'
import { parseLimit } from '../../../src/size.js'
import { imageReport } from '../../support/report-set.js'

const threshold = (text: string) => parseLimit(text, 'comment-threshold', 'a change')
/** An image of 10 MB that changed by `delta` bytes. */
const moved = (delta: number) => imageReport({ title: 'api', size: 10_000_000 + delta, base: 10_000_000 })

describe('comment-threshold', () => {
  it('is quiet when every image moved less than a size, and not when one reached it', () => {
    expect(quietReason([moved(99_999), moved(-50_000)], threshold('100kB'))).toBe(
      'each of the 2 images changed by less than the comment-threshold of 100 kB'
    )
    expect(quietReason([moved(99_999), moved(-100_000)], threshold('100kB'))).toBeUndefined()
  })

  it('is quiet below a percentage and not at it', () => {
    expect(quietReason([moved(99_999)], threshold('1%'))).toBe('the image changed by less than the comment-threshold of 1%')
    expect(quietReason([moved(100_000)], threshold('1%'))).toBeUndefined()
  })

  it('never quiets an image without a baseline, nor a run without a threshold', () => {
    expect(quietReason([{ ...moved(0), baseline: null, delta: null }], threshold('1%'))).toBeUndefined()
    expect(quietReason([moved(0)], undefined)).toBeUndefined()
  })
})
