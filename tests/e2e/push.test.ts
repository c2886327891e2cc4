import { randomBytes } from 'node:crypto'
import webPush from 'web-push'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startServer } from '../support/server'
import type { RunningServer } from '../support/server'
import { startFakePushService } from '../support/fake-push-service'
import type { FakePushService, FakeSubscription } from '../support/fake-push-service'
import { ChatClient, createRoom, register, signIn, uniqueName } from './support/client'
import { closeSocketsAfterEach } from './support/open-sockets'
import { expectRefusal } from './support/rest'
import { DATABASE_URL, dropSchema, REDIS_URL, scaleOutServices } from './support/services'

closeSocketsAfterEach()

const CHROME_ON_LINUX = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
const vapid = webPush.generateVAPIDKeys()
/** What every push-enabled server here runs with: a loopback push service is allowed, 3 devices a user. */
const PUSH_ENV = {
  NUXT_VAPID_PUBLIC_KEY: vapid.publicKey,
  NUXT_VAPID_PRIVATE_KEY: vapid.privateKey,
  NUXT_VAPID_SUBJECT: 'mailto:ops@banter.example.com',
  NUXT_PUSH_ALLOW_INSECURE_ENDPOINTS: 'true',
  NUXT_LIMITS_MAX_PUSH_SUBSCRIPTIONS_PER_USER: '3',
}

const request = (url: string, cookie: string, method: string, body?: unknown) => fetch(url, {
  method,
  headers: { 'content-type': 'application/json', cookie, 'user-agent': CHROME_ON_LINUX },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
})

const subscribe = (server: RunningServer, cookie: string, subscription: Pick<FakeSubscription, 'endpoint' | 'keys'>) =>
  request(`${server.url}/api/account/push-subscriptions`, cookie, 'POST', { endpoint: subscription.endpoint, keys: subscription.keys, expirationTime: null })

async function devicesOf(server: RunningServer, cookie: string): Promise<{ id: string, device: string }[]> {
  const response = await request(`${server.url}/api/account/push-subscriptions`, cookie, 'GET')
  expect(response.status).toBe(200)
  return (await response.json()).subscriptions
}

/** A guest with one subscribed device and no socket open. */
async function subscribedUser(server: RunningServer, push: FakePushService, prefix: string) {
  const { cookie, user } = await signIn(server.url, uniqueName(prefix))
  const device = push.subscribe()
  const response = await subscribe(server, cookie, device)
  expect(response.status).toBe(201)
  return { cookie, user, device, subscriptionId: (await response.json()).subscription.id as string }
}

async function post(server: RunningServer, cookie: string, room: string, text: string): Promise<{ seq: number }> {
  const response = await request(`${server.url}/api/rooms/${room}/messages`, cookie, 'POST', { text, clientId: uniqueName('c') })
  expect(response.status).toBe(201)
  return response.json()
}

describe('Web Push on one server', () => {
  let server: RunningServer
  let push: FakePushService
  beforeAll(async () => {
    push = await startFakePushService(vapid.publicKey)
    server = await startServer(PUSH_ENV)
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
    await push?.close()
  })

  it('pushes a user with no tab open exactly once for a mention and once for a direct message, signed, encrypted and opening the message', async () => {
    const alice = await register(server.url, uniqueName('alice'))
    const bob = await subscribedUser(server, push, 'bob')
    const room = await createRoom(server.url, alice.cookie)
    const mention = await post(server, alice.cookie, room, `**look** at this, @${bob.user.username}`)
    await push.untilPushes(bob.device, 1)
    expect(push.pushesTo(bob.device)[0]!.ttl).toBeGreaterThan(0)
    expect(push.payloadsTo(bob.device)[0]).toMatchObject({
      title: `${alice.user.name} (@${alice.user.username}) in #${room}`, body: `look at this, @${bob.user.username}`, url: `/rooms/${room}?at=${mention.seq}`,
    })

    const opened = await request(`${server.url}/api/dms`, alice.cookie, 'POST', { username: bob.user.username })
    expect(opened.status).toBe(201)
    const dm = (await opened.json()).room.name as string
    // A mention inside a direct message is the direct message: one push, not two.
    const direct = await post(server, alice.cookie, dm, `psst @${bob.user.username}`)
    await push.untilPushes(bob.device, 2)
    expect(push.payloadsTo(bob.device)[1]).toMatchObject({ title: `${alice.user.name} (@${alice.user.username}): direct message`, url: `/rooms/${dm}?at=${direct.seq}` })

    // A later push to someone else comes after: by then any second push to Bob would have come too.
    const carol = await subscribedUser(server, push, 'carol')
    await post(server, alice.cookie, room, `and @${carol.user.username}`)
    await push.untilPushes(carol.device, 1)
    expect(push.pushesTo(bob.device)).toHaveLength(2)
    expect(push.rejected).toEqual([])
    // The author is never pushed of their own message; the device shows when it was last used.
    expect((await devicesOf(server, bob.cookie))[0]).toMatchObject({ id: bob.subscriptionId, device: 'Chrome on Linux', lastUsedAt: expect.any(Number) })
  })

  it('pushes nobody with a tab open: they get the in-app notification instead', async () => {
    const alice = await register(server.url, uniqueName('alice'))
    const bob = await subscribedUser(server, push, 'bob')
    const carol = await subscribedUser(server, push, 'carol')
    const tab = await ChatClient.connect(server.url, bob.cookie)
    const room = await createRoom(server.url, alice.cookie)
    await post(server, alice.cookie, room, `@${bob.user.username} @${carol.user.username} lunch?`)
    expect(await tab.nextOfType('notification')).toMatchObject({ message: { room } })
    await push.untilPushes(carol.device, 1)
    expect(push.attempts.filter(id => id === bob.device.id)).toEqual([])
  })

  it('pushes nothing from a room the user muted or set to nothing, and still from their other rooms', async () => {
    const alice = await register(server.url, uniqueName('alice'))
    const bob = await subscribedUser(server, push, 'bob')
    const [muted, quiet, open] = [await createRoom(server.url, alice.cookie), await createRoom(server.url, alice.cookie), await createRoom(server.url, alice.cookie)]
    const choose = async (room: string, choice: { level: string | null, mutedUntil: number | null }) =>
      expect((await request(`${server.url}/api/rooms/${room}/notifications`, bob.cookie, 'PUT', choice)).status).toBe(200)
    await choose(muted, { level: null, mutedUntil: Date.now() + 3_600_000 })
    await choose(quiet, { level: 'nothing', mutedUntil: null })
    await post(server, alice.cookie, muted, `@${bob.user.username} in the muted room`)
    await post(server, alice.cookie, quiet, `@${bob.user.username} in the quiet room`)
    const heard = await post(server, alice.cookie, open, `@${bob.user.username} in the open room`)
    // Pushes go out in the order the messages were stored: by the open room's, the others' would have come.
    await push.untilPushes(bob.device, 1)
    expect(push.payloadsTo(bob.device)).toEqual([expect.objectContaining({ url: `/rooms/${open}?at=${heard.seq}` })])
  })

  it('pushes the starter of a thread once for a reply in it, and not the replier', async () => {
    const alice = await register(server.url, uniqueName('alice'))
    const bob = await subscribedUser(server, push, 'bob')
    const room = await createRoom(server.url, alice.cookie)
    const root = await post(server, bob.cookie, room, 'who takes the release?') as { seq: number, id: string }
    const replied = await request(`${server.url}/api/rooms/${room}/messages`, alice.cookie, 'POST', { text: 'I will', clientId: uniqueName('c'), threadId: root.id })
    expect(replied.status).toBe(201)
    await push.untilPushes(bob.device, 1)
    // It opens the thread: a reply sent to its thread only is not in the room's timeline.
    expect(push.payloadsTo(bob.device)[0]).toMatchObject({ title: `${alice.user.name} (@${alice.user.username}) in #${room}`, body: 'I will', url: `/rooms/${room}?thread=${root.id}` })
    // Bob answers in his thread: Alice has no device, and Bob is never pushed of his own reply.
    await request(`${server.url}/api/rooms/${room}/messages`, bob.cookie, 'POST', { text: 'thanks', clientId: uniqueName('c'), threadId: root.id })
    const carol = await subscribedUser(server, push, 'carol')
    await post(server, alice.cookie, room, `@${carol.user.username} for the record`)
    await push.untilPushes(carol.device, 1)
    expect(push.pushesTo(bob.device)).toHaveLength(1)
  })

  it('drops a subscription the push service answers 410 or 404 for, and keeps pushing the others', async () => {
    const alice = await register(server.url, uniqueName('alice'))
    const bob = await subscribedUser(server, push, 'bob')
    const gone = push.subscribe()
    const missing = push.subscribe()
    expect((await subscribe(server, bob.cookie, gone)).status).toBe(201)
    expect((await subscribe(server, bob.cookie, missing)).status).toBe(201)
    push.answer(gone, 410)
    push.answer(missing, 404)
    const room = await createRoom(server.url, alice.cookie)
    await post(server, alice.cookie, room, `@${bob.user.username}`)
    await Promise.all([push.untilAttempts(gone, 1), push.untilAttempts(missing, 1), push.untilPushes(bob.device, 1)])
    await vi.waitFor(async () => expect((await devicesOf(server, bob.cookie)).map(device => device.id)).toEqual([bob.subscriptionId]))
  })

  it('lets only the owner list and remove their subscriptions', async () => {
    const bob = await subscribedUser(server, push, 'bob')
    const mallory = await signIn(server.url, uniqueName('mallory'))
    expect(await devicesOf(server, mallory.cookie)).toEqual([])
    await expectRefusal(request(`${server.url}/api/account/push-subscriptions/${bob.subscriptionId}`, mallory.cookie, 'DELETE'), 404, 'not_found')
    await expectRefusal(request(`${server.url}/api/account/push-subscriptions`, '', 'GET'), 401, 'unauthorized')
    await expectRefusal(request(`${server.url}/api/account/push-subscriptions/${bob.subscriptionId}`, '', 'DELETE'), 401, 'unauthorized')
    await expectRefusal(subscribe(server, '', push.subscribe()), 401, 'unauthorized')
    expect((await devicesOf(server, bob.cookie)).map(device => device.id)).toEqual([bob.subscriptionId])
    expect((await request(`${server.url}/api/account/push-subscriptions/${bob.subscriptionId}`, bob.cookie, 'DELETE')).status).toBe(204)
    expect(await devicesOf(server, bob.cookie)).toEqual([])
  })

  it('refuses endpoints on internal hosts, keys that are not a browser\'s, bad bodies and devices past the limit', async () => {
    const { cookie } = await signIn(server.url, uniqueName('eve'))
    const keys = push.subscribe().keys
    for (const endpoint of ['http://10.0.0.1/push/x', 'https://169.254.169.254/latest', 'https://localhost/push', 'http://redis:6379/', 'ftp://push.example.com/x']) {
      await expectRefusal(subscribe(server, cookie, { endpoint, keys }), 400, 'invalid_push_subscription')
    }
    await expectRefusal(subscribe(server, cookie, { endpoint: push.subscribe().endpoint, keys: { p256dh: 'short', auth: keys.auth } }), 400, 'invalid_push_subscription')
    await expectRefusal(request(`${server.url}/api/account/push-subscriptions`, cookie, 'POST', { endpoint: 42 }), 400, 'invalid_event')
    await expectRefusal(request(`${server.url}/api/account/push-subscriptions/${'x'.repeat(200)}`, cookie, 'DELETE'), 400, 'invalid_event')
    const devices = [push.subscribe(), push.subscribe(), push.subscribe()]
    for (const device of devices) expect((await subscribe(server, cookie, device)).status).toBe(201)
    await expectRefusal(subscribe(server, cookie, push.subscribe()), 409, 'push_subscription_limit')
    // The same browser subscribing again renews its row: not a new device.
    const again = await subscribe(server, cookie, devices[0]!)
    expect(again.status).toBe(201)
    expect(await devicesOf(server, cookie)).toHaveLength(3)
    expect(server.output()).not.toContain('Web Push is off')
  })
})

describe('the fake push service', () => {
  it('refuses a push signed with another key, or for another origin, so the checks above can fail', async () => {
    const push = await startFakePushService(vapid.publicKey)
    try {
      const device = push.subscribe()
      const send = async (keys: { publicKey: string, privateKey: string }, audienceOf = device.endpoint) => {
        const details = webPush.generateRequestDetails({ endpoint: device.endpoint, keys: device.keys }, 'hello', {
          vapidDetails: { subject: 'mailto:ops@banter.example.com', ...keys }, contentEncoding: 'aes128gcm', TTL: 60,
        })
        const header = webPush.getVapidHeaders(new URL(audienceOf).origin, 'mailto:ops@banter.example.com', keys.publicKey, keys.privateKey, 'aes128gcm')
        return fetch(details.endpoint, { method: 'POST', headers: { ...details.headers as Record<string, string>, Authorization: header.Authorization }, body: new Uint8Array(details.body) })
      }
      expect((await send(webPush.generateVAPIDKeys())).status).toBe(400)
      expect((await send(vapid, 'https://elsewhere.example.com/push')).status).toBe(400)
      expect(push.rejected).toEqual([expect.stringContaining('VAPID public key'), expect.stringContaining('aud')])
      expect((await send(vapid)).status).toBe(201)
      expect(push.pushesTo(device)).toEqual([{ subscriptionId: device.id, text: 'hello', ttl: 60 }])
    }
    finally {
      await push.close()
    }
  })
})

describe('Web Push without VAPID keys', () => {
  it('is off: the server starts, says so once, and refuses subscriptions', async () => {
    const server = await startServer()
    try {
      const { cookie } = await signIn(server.url, uniqueName('dora'))
      const listed = await request(`${server.url}/api/account/push-subscriptions`, cookie, 'GET')
      expect(await listed.json()).toEqual({ publicKey: null, subscriptions: [] })
      const push = await startFakePushService(vapid.publicKey)
      await expectRefusal(subscribe(server, cookie, push.subscribe()), 503, 'push_off')
      await push.close()
      expect(server.output().match(/Web Push is off/g)).toHaveLength(1)
    }
    finally {
      await server.stop()
    }
  }, 60_000)

  it('refuses to start with keys that are not a pair', async () => {
    const other = webPush.generateVAPIDKeys()
    await expect(startServer({ ...PUSH_ENV, NUXT_VAPID_PRIVATE_KEY: other.privateKey })).rejects.toThrow(/not a P-256 key pair/)
  }, 60_000)
})

const services = await scaleOutServices()

if (services.available) {
  describe('Web Push with two instances on Redis and PostgreSQL', () => {
    const run = randomBytes(4).toString('hex')
    const schema = `banter_e2e_push_${run}`
    const env = { ...PUSH_ENV, NUXT_REDIS_URL: REDIS_URL, NUXT_REDIS_PREFIX: `banter-test-${run}`, NUXT_DATABASE_URL: DATABASE_URL, NUXT_DATABASE_SCHEMA: schema }
    let a: RunningServer
    let b: RunningServer
    let push: FakePushService
    beforeAll(async () => {
      push = await startFakePushService(vapid.publicKey)
      a = await startServer(env)
      b = await startServer(env)
    }, 60_000)
    afterAll(async () => {
      await Promise.all([a?.stop(), b?.stop()])
      await push?.close()
      await dropSchema(schema)
    })

    it('does not push a user whose tab is open on the other instance', async () => {
      const alice = await register(a.url, uniqueName('alice'))
      const bob = await subscribedUser(a, push, 'bob')
      const carol = await subscribedUser(a, push, 'carol')
      const tab = await ChatClient.connect(b.url, bob.cookie)
      const room = await createRoom(a.url, alice.cookie)
      // A round trip on B after the upgrade: its count is on its way to Redis.
      await tab.join(room)
      await post(a, alice.cookie, room, `@${bob.user.username} @${carol.user.username} standup`)
      expect(await tab.nextOfType('notification')).toMatchObject({ message: { room } })
      await push.untilPushes(carol.device, 1)
      expect(push.attempts.filter(id => id === bob.device.id)).toEqual([])
      expect(push.rejected).toEqual([])
    })
  })
}
else {
  it('Web Push across instances needs Redis and PostgreSQL', () => {
    console.warn(`Web Push across instances not run: ${services.reason}`)
    expect(process.env.CI, 'CI must run the scale-out push test').toBeFalsy()
  })
}
