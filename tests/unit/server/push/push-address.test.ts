import type { LookupAddress } from 'node:dns'
import type { LookupFunction } from 'node:net'
import webPush from 'web-push'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolvesToPrivateAddress } from '#server/utils/push/endpoint-address'
import { createPushAgents } from '#server/utils/push/push-agents'
import type { PushPayload } from '#server/utils/push/push-payload'
import { sendPush } from '#server/utils/push/push-sender'
import type { PushSubscriptionRecord } from '#server/utils/storage/push-subscription-types'
import { startFakePushService } from '../../../support/fake-push-service'
import type { FakePushService, FakeSubscription } from '../../../support/fake-push-service'

const vapid = { ...webPush.generateVAPIDKeys(), subject: 'mailto:ops@banter.example.com' }
const payload: PushPayload = { title: 'Alice in #general', body: 'hi', url: '/rooms/general?at=1', tag: 'message-1' }

/** DNS as a test wants it: every name answers these addresses, in turn on each call (the last one stays). */
function answering(...answers: string[][]): LookupFunction & { calls: string[] } {
  const calls: string[] = []
  const lookup = ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    calls.push(hostname)
    const addresses: LookupAddress[] = answers[Math.min(calls.length, answers.length) - 1]!
      .map(address => ({ address, family: address.includes(':') ? 6 : 4 }))
    if (options.all) callback(null, addresses)
    else callback(null, addresses[0]!.address, addresses[0]!.family)
  }) as unknown as LookupFunction & { calls: string[] }
  lookup.calls = calls
  return lookup
}

/** Records what sendPush asks of storage: the subject here is the agents, DNS and HTTP, all real. */
function recordingStorage() {
  const removed: string[] = []
  const used: string[] = []
  return {
    removed,
    used,
    removePushEndpoint: async (endpoint: string) => void removed.push(endpoint),
    markPushSubscriptionUsed: async (id: string) => void used.push(id),
  }
}

const recordOf = (device: FakeSubscription, endpoint = device.endpoint): PushSubscriptionRecord => ({
  id: device.id, userId: 'u1', endpoint, p256dh: device.keys.p256dh, auth: device.keys.auth, device: 'Chrome on Linux', createdAt: 0, lastUsedAt: null,
})

describe('pushes check the address actually dialled', () => {
  let push: FakePushService
  beforeAll(async () => {
    push = await startFakePushService(vapid.publicKey)
  })
  afterAll(() => push?.close())

  it('reaches the loopback push service of tests and development when the setting allows it', async () => {
    const device = push.subscribe()
    const storage = recordingStorage()
    expect(await sendPush(storage, vapid, createPushAgents({ allowLoopbackHttp: true }), recordOf(device), payload)).toBe('sent')
    expect(push.payloadsTo(device)).toEqual([payload])
    expect(storage.used).toEqual([device.id])
    expect(storage.removed).toEqual([])
  })

  it('refuses loopback without the setting, by IP literal and by the real resolution of localhost, and drops the subscription', async () => {
    const agents = createPushAgents({ allowLoopbackHttp: false })
    const attemptsBefore = push.attempts.length
    for (const endpoint of [push.subscribe().endpoint, push.subscribe().endpoint.replace('127.0.0.1', 'localhost')]) {
      const device = push.subscribe()
      const storage = recordingStorage()
      expect(await sendPush(storage, vapid, agents, recordOf(device, endpoint), payload), endpoint).toBe('refused')
      expect(storage.removed).toEqual([endpoint])
    }
    expect(push.attempts).toHaveLength(attemptsBefore)
  })

  it('refuses a public-looking https name whose DNS answers a private address, even with the loopback setting on', async () => {
    const device = push.subscribe()
    for (const address of ['127.0.0.1', '10.0.0.5', '172.16.3.4', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fd12:3456::1', 'fe80::1', '::ffff:127.0.0.1', '224.0.0.1']) {
      const lookup = answering([address])
      const storage = recordingStorage()
      const endpoint = 'https://push.example.com/push/abc'
      expect(await sendPush(storage, vapid, createPushAgents({ allowLoopbackHttp: true, lookup }), recordOf(device, endpoint), payload), address).toBe('refused')
      expect(lookup.calls, address).toEqual(['push.example.com'])
      expect(storage.removed, address).toEqual([endpoint])
    }
  })

  it('dials a name by what DNS answers: loopback over http with the setting is reached, another private range is not', async () => {
    const device = push.subscribe()
    const endpoint = device.endpoint.replace('127.0.0.1', 'push.example.test')
    const storage = recordingStorage()
    const reached = await sendPush(storage, vapid, createPushAgents({ allowLoopbackHttp: true, lookup: answering(['127.0.0.1']) }), recordOf(device, endpoint), payload)
    // Reached: the fake service answers 400 only because the VAPID audience names push.example.test, not 127.0.0.1.
    expect(reached).toBe('failed')
    expect(push.attempts.filter(id => id === device.id)).toHaveLength(1)
    expect(await sendPush(storage, vapid, createPushAgents({ allowLoopbackHttp: true, lookup: answering(['10.0.0.5']) }), recordOf(device, endpoint), payload)).toBe('refused')
    expect(push.attempts.filter(id => id === device.id)).toHaveLength(1)
    expect(storage.removed).toEqual([endpoint])
  })

  it('catches DNS rebinding: public at subscribe time, private when dialled', async () => {
    const lookup = answering(['93.184.215.14'], ['10.0.0.7'])
    const endpoint = 'https://rebind.example.com/push/abc'
    expect(await resolvesToPrivateAddress(endpoint, lookup)).toBe(false)
    const storage = recordingStorage()
    expect(await sendPush(storage, vapid, createPushAgents({ allowLoopbackHttp: false, lookup }), recordOf(push.subscribe(), endpoint), payload)).toBe('refused')
    expect(lookup.calls).toEqual(['rebind.example.com', 'rebind.example.com'])
    expect(storage.removed).toEqual([endpoint])
  })

  it('keeps a subscription whose allowed push service is only unreachable: that is a failure, not a refusal', async () => {
    const closed = await startFakePushService(vapid.publicKey)
    const device = closed.subscribe()
    await closed.close()
    const storage = recordingStorage()
    expect(await sendPush(storage, vapid, createPushAgents({ allowLoopbackHttp: true }), recordOf(device), payload)).toBe('failed')
    expect(storage.removed).toEqual([])
  })
})

describe('the subscribe-time look-up', () => {
  it('tells a name resolving to a private address, by real resolution (localhost) and by a DNS stand-in', async () => {
    expect(await resolvesToPrivateAddress('https://localhost/push')).toBe(true)
    expect(await resolvesToPrivateAddress('https://push.example.com/x', answering(['169.254.169.254']))).toBe(true)
    expect(await resolvesToPrivateAddress('https://push.example.com/x', answering(['93.184.215.14', 'fd00::5']))).toBe(true)
    expect(await resolvesToPrivateAddress('https://push.example.com/x', answering(['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c']))).toBe(false)
  })

  it('does not refuse a name that does not resolve: the send-time check decides then', async () => {
    const failing = ((_hostname: string, _options: unknown, callback: (error: Error) => void) => callback(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }))) as unknown as LookupFunction
    expect(await resolvesToPrivateAddress('https://push.example.com/x', failing)).toBe(false)
  })
})
