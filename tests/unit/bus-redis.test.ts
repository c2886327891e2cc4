import { randomBytes } from 'node:crypto'
import { createConnection } from 'node:net'
import { expect, it } from 'vitest'
import { createRedisBus } from '../../server/utils/bus/redis'
import { describeBusContract } from './bus-contract'

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

const reachable = await new Promise<boolean>((resolve) => {
  const { hostname, port } = new URL(REDIS_URL)
  const socket = createConnection({ host: hostname, port: Number(port || 6379), timeout: 1000 })
  const settle = (open: boolean) => {
    socket.destroy()
    resolve(open)
  }
  socket.once('connect', () => settle(true))
  socket.once('error', () => settle(false))
  socket.once('timeout', () => settle(false))
})

if (reachable) {
  // Two buses on one fresh prefix stand for two server instances.
  describeBusContract('Redis', async () => {
    const prefix = `banter-unit-${randomBytes(4).toString('hex')}`
    const buses = [createRedisBus(REDIS_URL, prefix), createRedisBus(REDIS_URL, prefix)] as const
    // Subscribing is asynchronous: publish only once both listen.
    await Promise.all(buses.map(bus => bus.ready))
    return { buses: [buses[0], buses[1]], cleanup: async () => void (await Promise.all(buses.map(bus => bus.close()))) }
  })
}
else {
  // Not a skip: without Redis this says why nothing ran; in CI (CI set) it fails.
  it(`the Redis bus contract needs Redis at ${REDIS_URL}`, () => {
    console.warn(`[bus] Redis not reachable at ${REDIS_URL}: the Redis bus contract was not run`)
    expect(process.env.CI, 'CI must provide Redis').toBeUndefined()
  })
}
