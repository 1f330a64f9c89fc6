import { describe, expect, it } from '@jest/globals'
import { byAge, oldestOf, planDuplicates, type StickyComment } from '../../../src/github/sticky-comment.js'

const comment = (id: number, createdAt: string, body = `text ${id}`): StickyComment => ({
  id,
  body,
  url: `https://github.com/o/r/pull/1#issuecomment-${id}`,
  createdAt
})

const T1 = '2024-05-01T12:00:00Z'
const T2 = '2024-05-01T12:00:01Z'

describe('planDuplicates', () => {
  it('keeps our comment alone when it is the only one', () => {
    const ours = comment(5, T1, 'ours')
    expect(planDuplicates([ours], ours, 'ours')).toEqual({ keep: ours, rewrite: false, remove: [] })
  })

  it('keeps ours and deletes a racing run’s newer comment', () => {
    const ours = comment(5, T1, 'ours')
    const theirs = comment(6, T2, 'theirs')
    expect(planDuplicates([theirs, ours], ours, 'ours')).toEqual({ keep: ours, rewrite: false, remove: [theirs] })
  })

  it('keeps an older comment, gives it our text, and deletes ours', () => {
    const older = comment(5, T1, 'theirs')
    const ours = comment(6, T2, 'ours')
    expect(planDuplicates([older, ours], ours, 'ours')).toEqual({ keep: older, rewrite: true, remove: [ours] })
  })

  it('does not rewrite an older comment that already has our text', () => {
    const older = comment(5, T1, 'same')
    const ours = comment(6, T2, 'same')
    expect(planDuplicates([older, ours], ours, 'same')).toEqual({ keep: older, rewrite: false, remove: [ours] })
  })

  it('does not overwrite the kept comment when it is ours, even if a newer run changed it since', () => {
    const ours = comment(5, T1, 'a later run wrote this')
    expect(planDuplicates([ours], ours, 'ours').rewrite).toBe(false)
  })

  it('counts ours when the listing missed it, so our text survives in the older comment', () => {
    const older = comment(5, T1, 'theirs')
    const ours = comment(6, T2, 'ours')
    expect(planDuplicates([older], ours, 'ours')).toEqual({ keep: older, rewrite: true, remove: [ours] })
  })

  it('breaks a tie in created_at by id', () => {
    const a = comment(7, T1)
    const b = comment(9, T1)
    const ours = comment(8, T1)
    expect(planDuplicates([b, ours, a], ours, 'x')).toEqual({ keep: a, rewrite: true, remove: [ours, b] })
  })
})

describe('byAge and oldestOf', () => {
  it('orders by created_at before id', () => {
    const later = comment(1, T2)
    const earlier = comment(2, T1)
    expect([later, earlier].sort(byAge)).toEqual([earlier, later])
    expect(oldestOf([later, earlier])).toBe(earlier)
    expect(oldestOf([])).toBeUndefined()
  })
})
