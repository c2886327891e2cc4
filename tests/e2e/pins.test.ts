import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer } from '../support/server'
import type { RunningServer } from '../support/server'
import { ChatClient, register, signIn, uniqueName } from './support/client'
import { closeSocketsAfterEach } from './support/open-sockets'
import { jsonCaller } from './support/rest'

closeSocketsAfterEach()

/**
 * Pinned messages: anyone in a room pins, the room hears it as an `update`, `GET …/pins` lists them; only the
 * pinner or a moderator unpins, a room holds a few at most, and nobody outside a private room sees or touches them.
 */
describe('pinned messages', () => {
  let server: RunningServer

  beforeAll(async () => {
    server = await startServer({ NUXT_LIMITS_MAX_PINS_PER_ROOM: '2' })
    await register(server.url, uniqueName('owner'))
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
  })

  const call = jsonCaller(() => server.url)
  const say = async (cookie: string, room: string, text: string) =>
    (await call('POST', `/api/rooms/${room}/messages`, cookie, { text, clientId: uniqueName('say') })).body.id as string

  it('shows a pin to the whole room live, lists it, and lets only the pinner or a moderator take it back', async () => {
    const creator = await signIn(server.url, uniqueName('creator'))
    const pinner = await signIn(server.url, uniqueName('pinner'))
    const other = await signIn(server.url, uniqueName('other'))
    const room = (await call('POST', '/api/rooms', creator.cookie, { name: uniqueName('pins') })).body.room.name as string
    const id = await say(other.cookie, room, 'remember this')
    const watcher = await ChatClient.connect(server.url, other.cookie)
    await watcher.join(room)
    const socket = await ChatClient.connect(server.url, pinner.cookie)
    await socket.join(room)

    socket.send({ type: 'pin', room, id })
    const pinned = await watcher.nextOfType('update', event => event.message.id === id && event.message.pinnedAt !== undefined)
    expect(pinned.message).toMatchObject({ text: 'remember this', pinnedBy: pinner.user.id })
    expect((await call('GET', `/api/rooms/${room}/pins`, other.cookie)).body.messages.map((message: { id: string }) => message.id)).toEqual([id])
    // History carries the pin too.
    expect((await call('GET', `/api/rooms/${room}/messages`, other.cookie)).body.messages[0]).toMatchObject({ pinnedBy: pinner.user.id })

    const refused = await call('DELETE', `/api/rooms/${room}/messages/${id}/pin`, other.cookie)
    expect(refused.status).toBe(403)
    expect(refused.body.data.code).toBe('not_owner')
    // The room's owner moderates it.
    expect((await call('DELETE', `/api/rooms/${room}/messages/${id}/pin`, creator.cookie)).status).toBe(200)
    const unpinned = await watcher.nextOfType('update', event => event.message.id === id && event.message.pinnedAt === undefined)
    expect(unpinned.message.pinnedBy).toBeUndefined()
    expect((await call('GET', `/api/rooms/${room}/pins`, other.cookie)).body.messages).toEqual([])
  })

  it('holds at most the room\'s cap of pins, over the socket and REST alike', async () => {
    const { cookie } = await signIn(server.url, uniqueName('collector'))
    const room = (await call('POST', '/api/rooms', cookie, { name: uniqueName('capped') })).body.room.name as string
    const ids = [await say(cookie, room, 'a'), await say(cookie, room, 'b'), await say(cookie, room, 'c')]
    expect((await call('PUT', `/api/rooms/${room}/messages/${ids[0]}/pin`, cookie)).status).toBe(200)
    expect((await call('PUT', `/api/rooms/${room}/messages/${ids[1]}/pin`, cookie)).status).toBe(200)
    const third = await call('PUT', `/api/rooms/${room}/messages/${ids[2]}/pin`, cookie)
    expect(third.status).toBe(409)
    expect(third.body.data.code).toBe('pin_limit')
    const socket = await ChatClient.connect(server.url, cookie)
    await socket.join(room)
    socket.send({ type: 'pin', room, id: ids[2] })
    expect(await socket.nextOfType('error', event => event.ref === ids[2])).toMatchObject({ code: 'pin_limit' })
  })

  it('shows a non-member nothing of a private room\'s pins and lets them pin nothing there', async () => {
    const owner = await signIn(server.url, uniqueName('keeper'))
    const outsider = await signIn(server.url, uniqueName('outsider'))
    const room = (await call('POST', '/api/rooms', owner.cookie, { name: uniqueName('secret'), private: true })).body.room.name as string
    const id = await say(owner.cookie, room, 'private plans')
    expect((await call('PUT', `/api/rooms/${room}/messages/${id}/pin`, owner.cookie)).status).toBe(200)
    for (const [method, path] of [['GET', `/api/rooms/${room}/pins`], ['PUT', `/api/rooms/${room}/messages/${id}/pin`], ['DELETE', `/api/rooms/${room}/messages/${id}/pin`]] as const) {
      const answer = await call(method, path, outsider.cookie)
      expect(answer.status, `${method} ${path}`).toBe(404)
      expect(JSON.stringify(answer.body)).not.toContain('private plans')
    }
    const socket = await ChatClient.connect(server.url, outsider.cookie)
    socket.send({ type: 'unpin', room, id })
    // Not in the room: refused before anything about the message is looked at.
    expect(await socket.nextOfType('error', event => event.ref === id)).toMatchObject({ code: 'not_joined' })
    expect((await call('GET', `/api/rooms/${room}/pins`, owner.cookie)).body.messages).toHaveLength(1)
  })

  it('refuses the pin routes without a session (401) and a pin from another site (403 cross_site)', async () => {
    const { cookie } = await signIn(server.url, uniqueName('guarded'))
    const room = (await call('POST', '/api/rooms', cookie, { name: uniqueName('guarded') })).body.room.name as string
    const id = await say(cookie, room, 'keep me unpinned')
    for (const [method, path] of [['GET', `/api/rooms/${room}/pins`], ['PUT', `/api/rooms/${room}/messages/${id}/pin`], ['DELETE', `/api/rooms/${room}/messages/${id}/pin`]] as const) {
      const anonymous = await call(method, path, '')
      expect(anonymous.status, `${method} ${path}`).toBe(401)
      expect(anonymous.body.data.code).toBe('unauthorized')
    }
    const crossSite = await fetch(`${server.url}/api/rooms/${room}/messages/${id}/pin`, { method: 'PUT', headers: { origin: 'https://evil.example', cookie } })
    expect(crossSite.status).toBe(403)
    expect((await crossSite.json()).data.code).toBe('cross_site')
    expect((await call('GET', `/api/rooms/${room}/pins`, cookie)).body.messages).toEqual([])
  })
})
