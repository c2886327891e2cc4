import { describe, expect, it } from 'vitest'
import { TokenBucket } from '#server/utils/chat/token-bucket'

describe('TokenBucket', () => {
  it('allows a burst, then one event per refill interval, and says how long to wait', () => {
    const bucket = new TokenBucket(3, 5, 0)
    expect([bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([0, 0, 0])
    expect(bucket.take(0)).toBe(200)
    expect(bucket.take(100)).toBe(100)
    expect(bucket.take(200)).toBe(0)
    expect(bucket.take(200)).toBe(200)
  })

  it('refills up to the burst and no further', () => {
    const bucket = new TokenBucket(2, 1, 0)
    bucket.take(0)
    bucket.take(0)
    expect(bucket.take(60_000)).toBe(0)
    expect(bucket.take(60_000)).toBe(0)
    expect(bucket.take(60_000)).toBeGreaterThan(0)
  })

  it('never limits at a rate of 0', () => {
    const bucket = new TokenBucket(1, 0, 0)
    for (let index = 0; index < 1000; index++) expect(bucket.take(0)).toBe(0)
  })
})
