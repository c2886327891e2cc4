import { describe, expect, it } from 'vitest'
import { timeOrderedId } from '#shared/time-ordered-id'

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('timeOrderedId', () => {
  it('is a version 7 UUID whose first 48 bits are the time', () => {
    const id = timeOrderedId(Date.UTC(2030, 0, 1))
    expect(id).toMatch(UUID_V7)
    expect(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(Date.UTC(2030, 0, 1))
  })

  it('sorts in the order the ids were made, within one ms and past 4,096 in it', () => {
    const now = Date.UTC(2031, 0, 1)
    const ids = Array.from({ length: 10_000 }, (_, i) => timeOrderedId(now + Math.floor(i / 5000)))
    expect(ids.every(id => UUID_V7.test(id))).toBe(true)
    expect([...ids].sort()).toEqual(ids)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('keeps the order when the clock goes back', () => {
    const first = timeOrderedId(Date.UTC(2032, 0, 1))
    const second = timeOrderedId(Date.UTC(2032, 0, 1) - 60_000)
    expect(second > first).toBe(true)
  })
})
