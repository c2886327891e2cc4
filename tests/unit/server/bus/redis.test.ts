import { randomBytes } from 'node:crypto'
import { expect, it, vi } from 'vitest'
import Redis from 'ioredis'
import { createRedisBus } from '#server/utils/bus/redis'
import { busSigner } from '#server/utils/bus/bus-signature'
import type { BusMessage } from '#server/utils/bus/types'
import { startTcpProxy } from '../../../support/tcp-proxy'
import { describeBusContract } from './bus-contract'
import { log } from '#server/utils/log/logger'
import { timedCheck } from '#server/utils/boot/health-checks'
import { portOpen } from '../../../support/port-open'

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
const reachable = await portOpen(REDIS_URL, 6379)

if (reachable) {
  // Two buses on one fresh prefix stand for two server instances.
  describeBusContract('Redis', async () => {
    const prefix = `banter-unit-${randomBytes(4).toString('hex')}`
    const buses = [createRedisBus(REDIS_URL, prefix, 'test-secret'), createRedisBus(REDIS_URL, prefix, 'test-secret')] as const
    // Subscribing is asynchronous: publish only once both listen.
    await Promise.all(buses.map(bus => bus.ready))
    return { buses: [buses[0], buses[1]], cleanup: async () => void (await Promise.all(buses.map(bus => bus.close()))) }
  })

  it('drops a correctly signed message that is not a bus message, and delivers the next good one', async () => {
    const prefix = `banter-unit-${randomBytes(4).toString('hex')}`
    const bus = createRedisBus(REDIS_URL, prefix, 'test-secret')
    const raw = new Redis(REDIS_URL)
    const warn = vi.spyOn(log, 'warn').mockImplementation(() => {})
    try {
      await bus.ready
      const received: BusMessage[] = []
      const good: BusMessage = { kind: 'presence-sync', instance: 'i-1' }
      const arrived = new Promise<void>(resolve => bus.onMessage((message) => {
        received.push(message)
        if (message.kind === 'presence-sync') resolve()
      }))
      const signer = busSigner('test-secret')
      await raw.publish(`${prefix}:events`, signer.sign(JSON.stringify({ kind: 'event', room: 'general', event: { type: 'chat', seq: 'one' } })))
      await raw.publish(`${prefix}:events`, signer.sign(JSON.stringify({ kind: 'no-such-kind' })))
      // Through Redis, after the bad ones: a bus hands its own publish to its handlers at once, before they arrive.
      await raw.publish(`${prefix}:events`, signer.sign(JSON.stringify(good)))
      await arrived
      expect(received).toEqual([good])
      expect(warn.mock.calls.filter(call => String(call[1]).includes('malformed bus message'))).toHaveLength(1)
    }
    finally {
      warn.mockRestore()
      raw.disconnect()
      await bus.close()
    }
  })

  it('sends the messages of one turn as one signed publish, in order, and still takes a single message from an older instance', async () => {
    const prefix = `banter-unit-${randomBytes(4).toString('hex')}`
    const bus = createRedisBus(REDIS_URL, prefix, 'test-secret')
    const raw = new Redis(REDIS_URL)
    const signer = busSigner('test-secret')
    try {
      await bus.ready
      const payloads: string[] = []
      await raw.subscribe(`${prefix}:events`)
      raw.on('message', (_channel: string, payload: string) => payloads.push(payload))
      const received: BusMessage[] = []
      const turn: BusMessage[] = [1, 2, 3].map(index => ({ kind: 'close-user', userId: `u${index}`, code: 1008, reason: 'r' }))
      const arrived = new Promise<void>(resolve => bus.onMessage((message) => {
        received.push(message)
        if (received.length === 4) resolve()
      }))
      for (const message of turn) bus.publish(message)
      const single: BusMessage = { kind: 'presence-sync', instance: 'old-instance' }
      const publisher = new Redis(REDIS_URL)
      await vi.waitFor(() => expect(payloads).toHaveLength(1))
      await publisher.publish(`${prefix}:events`, signer.sign(JSON.stringify(single)))
      publisher.disconnect()
      await arrived
      expect(received).toEqual([...turn, single])
      expect(JSON.parse(signer.open(payloads[0]!)!)).toEqual({ kind: 'batch', from: expect.any(String), messages: turn })
    }
    finally {
      raw.disconnect()
      await bus.close()
    }
  })

  it('drops a whole batch that is unsigned or holds one malformed message, and delivers the next good one', async () => {
    const prefix = `banter-unit-${randomBytes(4).toString('hex')}`
    const bus = createRedisBus(REDIS_URL, prefix, 'test-secret')
    const raw = new Redis(REDIS_URL)
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      await bus.ready
      const received: BusMessage[] = []
      const good: BusMessage = { kind: 'presence-sync', instance: 'i-1' }
      const arrived = new Promise<void>(resolve => bus.onMessage((message) => {
        received.push(message)
        if (message.kind === 'presence-sync') resolve()
      }))
      const signer = busSigner('test-secret')
      const fine: BusMessage = { kind: 'close-user', userId: 'u', code: 1008, reason: 'r' }
      await raw.publish(`${prefix}:events`, signer.sign(JSON.stringify({ kind: 'batch', messages: [fine, { kind: 'event', room: 'general', event: { type: 'chat', seq: 'one' } }] })))
      await raw.publish(`${prefix}:events`, signer.sign(JSON.stringify({ kind: 'batch', messages: 'not a list' })))
      await raw.publish(`${prefix}:events`, JSON.stringify({ kind: 'batch', messages: [fine] }))
      await raw.publish(`${prefix}:events`, busSigner('another-secret').sign(JSON.stringify({ kind: 'batch', messages: [fine] })))
      bus.publish(good)
      await arrived
      // Nothing of the bad batches arrived, not even their good message (the log is throttled per minute across this file).
      expect(received).toEqual([good])
    }
    finally {
      warn.mockRestore()
      raw.disconnect()
      await bus.close()
    }
  })

  it('calls every reconnect handler once it is subscribed again after losing Redis, and delivers again', async () => {
    const { hostname, port } = new URL(REDIS_URL)
    const proxy = await startTcpProxy(hostname, Number(port || 6379))
    const prefix = `banter-unit-${randomBytes(4).toString('hex')}`
    const bus = createRedisBus(`redis://127.0.0.1:${proxy.port}`, prefix, 'test-secret')
    const warn = vi.spyOn(log, 'warn').mockImplementation(() => {})
    try {
      await bus.ready
      const reconnects = [0, 0]
      const reconnected = Promise.all(reconnects.map((_, index) => new Promise<void>(resolve => bus.onReconnect(() => {
        reconnects[index]!++
        resolve()
      }))))
      await proxy.cut()
      await proxy.restore()
      await reconnected
      expect(reconnects).toEqual([1, 1])
      const received = new Promise<BusMessage>(resolve => bus.onMessage(resolve))
      const message: BusMessage = { kind: 'close-user', userId: 'u', code: 1008, reason: 'back' }
      bus.publish(message)
      expect(await received).toEqual(message)
    }
    finally {
      warn.mockRestore()
      await bus.close()
      await proxy.cut()
    }
  })

  it('hands what it publishes to its own handlers at once while Redis is away, and answers ping with false', async () => {
    const { hostname, port } = new URL(REDIS_URL)
    const proxy = await startTcpProxy(hostname, Number(port || 6379))
    const bus = createRedisBus(`redis://127.0.0.1:${proxy.port}`, `banter-unit-${randomBytes(4).toString('hex')}`, 'test-secret')
    const warn = vi.spyOn(log, 'warn').mockImplementation(() => {})
    try {
      await bus.ready
      await proxy.cut()
      // A ping in flight when the connection drops waits for the reconnect: health gives each check a deadline.
      await vi.waitFor(async () => expect((await timedCheck(() => bus.ping(), 200)).reachable).toBe(false), { timeout: 5000 })
      const received = new Promise<BusMessage>(resolve => bus.onMessage(resolve))
      const message: BusMessage = { kind: 'close-user', userId: 'u', code: 1008, reason: 'while away' }
      bus.publish(message)
      expect(await received).toEqual(message)
    }
    finally {
      warn.mockRestore()
      await bus.close()
    }
  })
}
else {
  // Not a skip: without Redis this says why nothing ran; in CI (CI set) it fails.
  it(`the Redis bus contract needs Redis at ${REDIS_URL}`, () => {
    console.warn(`[bus] Redis not reachable at ${REDIS_URL}: the Redis bus contract was not run`)
    expect(process.env.CI, 'CI must provide Redis').toBeUndefined()
  })
}
