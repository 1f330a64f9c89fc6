import { describe, expect, it } from '@jest/globals'
import { setTimeout as sleep } from 'node:timers/promises'
import { Deadline } from '../../src/deadline.js'

describe('Deadline', () => {
  it('gives each wait what is left of the step, never less than nothing', async () => {
    const deadline = Deadline.in(80)
    expect(deadline.ms).toBe(80)
    expect(deadline.left()).toBeLessThanOrEqual(80)
    expect(deadline.expired).toBe(false)
    await sleep(120)
    expect(deadline.left()).toBe(0)
    expect(deadline.expired).toBe(true)
  })

  it('aborts its signal when it passes', async () => {
    const deadline = Deadline.in(30)
    expect(deadline.signal.aborted).toBe(false)
    await sleep(80)
    expect(deadline.signal.aborted).toBe(true)
  })

  it('treats a negative allowance as already spent', () => {
    expect(Deadline.in(-5).expired).toBe(true)
    expect(Deadline.in(-5).ms).toBe(0)
  })
})
