import { randomBytes } from 'node:crypto'
import { afterEach, expect, it } from 'vitest'
import { createRedisRates } from '#server/utils/rates/redis-rates'
import { localRates } from '#server/utils/rates/shared-rates'
import { portOpen } from '../../../support/port-open'

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
const reachable = await portOpen(REDIS_URL, 6379)

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map(close => close()))
})

/** Two instances of one deployment: their own Redis connections, one prefix. */
function twoInstances(url = REDIS_URL) {
  const prefix = `banter-unit-${randomBytes(4).toString('hex')}`
  const instances = [createRedisRates(url, prefix), createRedisRates(url, prefix)] as const
  closers.push(...instances.map(instance => instance.close))
  return { ready: Promise.all(instances.map(instance => instance.ready)), rates: instances.map(instance => instance.rates) }
}

it('local rates give a burst, then a wait until the next token', async () => {
  const rates = localRates('uploads', 2, 1)
  expect([await rates.take('ada'), await rates.take('ada')]).toEqual([0, 0])
  const wait = await rates.take('ada')
  expect(wait).toBeGreaterThan(0)
  expect(wait).toBeLessThanOrEqual(1000)
  expect(await rates.take('bob')).toBe(0)
})

if (reachable) {
  it('counts one key over every instance: the burst is the deployment\'s, not each instance\'s', async () => {
    const { ready, rates: [first, second] } = twoInstances()
    await ready
    const a = first!('uploads', 2, 2 / 60)
    const b = second!('uploads', 2, 2 / 60)
    expect([await a.take('ada'), await b.take('ada')]).toEqual([0, 0])
    const wait = await b.take('ada')
    expect(wait).toBeGreaterThan(0)
    expect(wait).toBeLessThanOrEqual(60_000)
    expect(await a.take('ada')).toBeGreaterThan(0)
    // Other keys and other limits keep their own counts.
    expect(await a.take('bob')).toBe(0)
    expect(await first!('sign-ins', 1, 1 / 60).take('ada')).toBe(0)
  })

  it('lifts a limit whose rate is 0', async () => {
    const { ready, rates: [first] } = twoInstances()
    await ready
    const lifted = first!('uploads', 0, 0)
    for (let index = 0; index < 5; index++) expect(await lifted.take('ada')).toBe(0)
  })
}
else {
  // Not a skip: without Redis this says why nothing ran; in CI (CI set) it fails.
  it(`shared rates need Redis at ${REDIS_URL}`, () => {
    console.warn(`[rates] Redis not reachable at ${REDIS_URL}: the shared rates were not tested`)
    expect(process.env.CI, 'CI must provide Redis').toBeUndefined()
  })
}

it('counts on each instance alone while Redis is unreachable, still refusing past the burst', async () => {
  // Nothing listens on port 1: every Redis call fails at once.
  const { rates: [alone] } = twoInstances('redis://127.0.0.1:1')
  const rates = alone!('uploads', 1, 1 / 60)
  expect(await rates.take('ada')).toBe(0)
  expect(await rates.take('ada')).toBeGreaterThan(0)
})
