import { pathToFileURL } from 'node:url'
import webPush from 'web-push'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer } from '../support/server'
import type { RunningServer } from '../support/server'
import { startFakePushService } from '../support/fake-push-service'
import type { FakePushService } from '../support/fake-push-service'
import { createRoom, register, signIn, uniqueName } from './support/client'
import { expectRefusal } from './support/rest'

const vapid = webPush.generateVAPIDKeys()
const VAPID_ENV = {
  NUXT_VAPID_PUBLIC_KEY: vapid.publicKey,
  NUXT_VAPID_PRIVATE_KEY: vapid.privateKey,
  NUXT_VAPID_SUBJECT: 'mailto:ops@banter.example.com',
}
/** The server's dns.lookup answers 10.0.0.9 for *.resolves-private.test (support/private-dns.mjs). */
const PRIVATE_DNS = { NODE_OPTIONS: `--import=${pathToFileURL('tests/e2e/support/private-dns.mjs').href}` }

const request = (url: string, cookie: string, method: string, body?: unknown) => fetch(url, {
  method,
  headers: { 'content-type': 'application/json', cookie },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
})
const subscribe = (server: RunningServer, cookie: string, endpoint: string, keys: { p256dh: string, auth: string }) =>
  request(`${server.url}/api/account/push-subscriptions`, cookie, 'POST', { endpoint, keys, expirationTime: null })
const devicesOf = async (server: RunningServer, cookie: string): Promise<unknown[]> =>
  (await (await request(`${server.url}/api/account/push-subscriptions`, cookie, 'GET')).json()).subscriptions

/** Resolves once the server has printed a line matching `pattern`; rejects after `timeoutMs`. */
function untilOutput(server: RunningServer, pattern: RegExp, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!pattern.test(server.output())) return
      clearTimeout(timer)
      server.process.stdout?.off('data', check)
      server.process.stderr?.off('data', check)
      resolve()
    }
    const timer = setTimeout(() => reject(new Error(`no server line matched ${pattern}:\n${server.output()}`)), timeoutMs)
    server.process.stdout?.on('data', check)
    server.process.stderr?.on('data', check)
    setImmediate(check)
  })
}

describe('Web Push endpoints whose names lead to private addresses', () => {
  let push: FakePushService
  beforeAll(async () => {
    push = await startFakePushService(vapid.publicKey)
  })
  afterAll(() => push?.close())

  it('refuses at subscribe time a public-looking name that resolves to a private address, and keeps the loopback push service of tests', async () => {
    const server = await startServer({ ...VAPID_ENV, ...PRIVATE_DNS, NUXT_PUSH_ALLOW_INSECURE_ENDPOINTS: 'true' })
    try {
      const { cookie } = await signIn(server.url, uniqueName('eve'))
      const device = push.subscribe()
      await expectRefusal(subscribe(server, cookie, 'https://push.resolves-private.test/wpush/abc', device.keys), 400, 'push_endpoint_private')
      expect(await devicesOf(server, cookie)).toEqual([])
      expect((await subscribe(server, cookie, device.endpoint, device.keys)).status).toBe(201)
    }
    finally {
      await server.stop()
    }
  }, 60_000)

  it('drops at send time, by real resolution, subscriptions whose names lead to loopback once the test setting is off, and keeps serving', async () => {
    const allowing = await startServer({ ...VAPID_ENV, NUXT_PUSH_ALLOW_INSECURE_ENDPOINTS: 'true' })
    const alice = await register(allowing.url, uniqueName('alice'))
    const bob = await signIn(allowing.url, uniqueName('bob'))
    const carol = await signIn(allowing.url, uniqueName('carol'))
    // localhost: a real name, really resolved (to 127.0.0.1) when the push is dialled.
    const bobDevice = push.subscribe()
    expect((await subscribe(allowing, bob.cookie, bobDevice.endpoint.replace('127.0.0.1', 'localhost'), bobDevice.keys)).status).toBe(201)
    const carolDevice = push.subscribe()
    expect((await subscribe(allowing, carol.cookie, carolDevice.endpoint, carolDevice.keys)).status).toBe(201)
    const room = await createRoom(allowing.url, alice.cookie)
    await allowing.terminate()

    // The same data, as production runs it: loopback is off.
    const production = await startServer(VAPID_ENV, { databasePath: allowing.databasePath })
    try {
      const sent = await request(`${production.url}/api/rooms/${room}/messages`, alice.cookie, 'POST', { text: `@${bob.user.username} @${carol.user.username} hi`, clientId: uniqueName('c') })
      expect(sent.status).toBe(201)
      await untilOutput(production, /"event":"push-private-address".*host:localhost/)
      expect(push.attempts.filter(id => id === bobDevice.id || id === carolDevice.id)).toEqual([])
      expect(await devicesOf(production, bob.cookie)).toEqual([])
      // Carol's loopback endpoint is refused too (the IP literal), and dropped: nothing reaches the fake service.
      await untilOutput(production, /"event":"push-private-address".*127\.0\.0\.1\(family:undefined/)
      expect(await devicesOf(production, carol.cookie)).toEqual([])
      expect(production.output().match(/"event":"push-private-address"/g)).toHaveLength(2)
      // Only the server started with the test setting says it is on, once.
      expect(allowing.output().match(/"event":"push-insecure-endpoints"/g)).toHaveLength(1)
      expect(production.output()).not.toContain('push-insecure-endpoints')
      expect((await fetch(`${production.url}/api/health`)).status).toBe(200)
    }
    finally {
      await production.stop()
      await allowing.stop()
    }
  }, 60_000)
})
