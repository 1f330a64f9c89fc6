import { describe, expect, it } from '@jest/globals'
import { seconds } from '../../src/duration.js'

describe('seconds', () => {
  it('shows whole and tenth seconds, never a negative wait', () => {
    expect(seconds(120_000)).toBe('120 s')
    expect(seconds(1500)).toBe('1.5 s')
    expect(seconds(-20)).toBe('0 s')
  })

  it('takes more decimals for timings', () => {
    expect(seconds(1234, 2)).toBe('1.23 s')
  })
})
