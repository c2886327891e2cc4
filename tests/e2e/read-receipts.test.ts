import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer } from '../support/server'
import type { RunningServer } from '../support/server'
import { ChatClient, register, signIn, uniqueName } from './support/client'
import { closeSocketsAfterEach } from './support/open-sockets'
import { expectRefusal } from './support/rest'

closeSocketsAfterEach()

/**
 * Read receipts: in a direct message or a private room of at most NUXT_LIMITS_READ_RECEIPTS_MAX_MEMBERS (3 here)
 * members, each member hears where the others have read to; a user who stops sharing is heard by nobody and hears
 * nobody; public and larger rooms never send them, and a non-member learns nothing.
 */
describe('read receipts', () => {
  let server: RunningServer

  beforeAll(async () => {
    server = await startServer({ NUXT_LIMITS_READ_RECEIPTS_MAX_MEMBERS: '3' })
    await register(server.url, uniqueName('owner'))
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
  })

  const request = (method: string, path: string, cookie: string, body?: unknown) => fetch(`${server.url}${path}`, {
    method,
    headers: { origin: server.url, cookie, ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const call = async (method: string, path: string, cookie: string, body?: unknown) => {
    const response = await request(method, path, cookie, body)
    expect(response.status).toBe(method === 'POST' ? 201 : 200)
    return response.json()
  }
  const say = async (cookie: string, room: string) =>
    (await call('POST', `/api/rooms/${room}/messages`, cookie, { text: 'hello', clientId: uniqueName('say') })).seq as number
  const read = (cookie: string, room: string, seq: number) => call('PUT', `/api/rooms/${room}/read`, cookie, { seq })

  it('arrive live in a direct message, are listed, and stop when the reader turns sharing off', async () => {
    const alice = await signIn(server.url, uniqueName('alice'))
    const bob = await signIn(server.url, uniqueName('bob'))
    const dm = (await call('POST', '/api/dms', alice.cookie, { username: bob.user.username })).room.name as string
    const aliceTab = await ChatClient.connect(server.url, alice.cookie)
    const first = await say(alice.cookie, dm)

    await read(bob.cookie, dm, first)
    expect(await aliceTab.nextOfType('receipt')).toEqual({ type: 'receipt', room: dm, userId: bob.user.id, seq: first })
    expect(await call('GET', `/api/rooms/${dm}/receipts`, alice.cookie)).toEqual({ receipts: [{ userId: bob.user.id, seq: first }] })

    expect(await call('PUT', '/api/account/read-receipts', bob.cookie, { share: false })).toEqual({ share: false })
    expect(await call('GET', '/api/account/read-receipts', bob.cookie)).toEqual({ share: false })
    const second = await say(alice.cookie, dm)
    await read(bob.cookie, dm, second)
    // Alice's own read reaches her own tabs as `read`; by then Bob's read, made earlier, was announced or not.
    await read(alice.cookie, dm, second)
    await aliceTab.nextOfType('read', event => event.room === dm && event.seq === second)
    expect(aliceTab.log.filter(event => event.type === 'receipt')).toHaveLength(1)
    expect(await call('GET', `/api/rooms/${dm}/receipts`, alice.cookie)).toEqual({ receipts: [] })
    // And Bob, not sharing, sees nobody's.
    expect(await call('GET', `/api/rooms/${dm}/receipts`, bob.cookie)).toEqual({ receipts: [] })

    await call('PUT', '/api/account/read-receipts', bob.cookie, { share: true })
    expect(await call('GET', `/api/rooms/${dm}/receipts`, bob.cookie)).toEqual({ receipts: [{ userId: alice.user.id, seq: second }] })
  })

  it('are never sent in a public room or a private room over the limit, and a non-member learns nothing', async () => {
    const alice = await signIn(server.url, uniqueName('alice'))
    const others = await Promise.all([1, 2, 3].map(() => signIn(server.url, uniqueName('member'))))
    const mallory = await signIn(server.url, uniqueName('mallory'))
    const big = (await call('POST', '/api/rooms', alice.cookie, { name: uniqueName('big'), private: true, members: others.map(other => other.user.username) })).room.name as string
    const open = (await call('POST', '/api/rooms', alice.cookie, { name: uniqueName('open') })).room.name as string
    const aliceTab = await ChatClient.connect(server.url, alice.cookie)

    for (const room of [big, open]) {
      const seq = await say(alice.cookie, room)
      await read(others[0]!.cookie, room, seq)
      await read(alice.cookie, room, seq)
      await aliceTab.nextOfType('read', event => event.room === room && event.seq === seq)
      expect(await call('GET', `/api/rooms/${room}/receipts`, alice.cookie)).toEqual({ receipts: [] })
    }
    expect(aliceTab.log.some(event => event.type === 'receipt')).toBe(false)

    await expectRefusal(request('GET', `/api/rooms/${big}/receipts`, mallory.cookie), 404, 'unknown_room')
    await expectRefusal(request('PUT', '/api/account/read-receipts', mallory.cookie, { share: 'no' }), 400, 'invalid_event')
    expect((await request('GET', '/api/account/read-receipts', '')).status).toBe(401)
  })
})
