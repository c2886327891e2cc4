import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer } from '../support/server'
import type { RunningServer } from '../support/server'
import { ChatClient, createRoom, signIn, uniqueName } from './support/client'
import { closeSocketsAfterEach } from './support/open-sockets'
import { DATABASE_URL, dropSchema, scaleOutServices } from './support/services'
import { expectRefusal } from './support/rest'

closeSocketsAfterEach()

const services = await scaleOutServices()

/**
 * Text the protocol does not allow is refused the same way on both storages, before it reaches either: on
 * PostgreSQL a NUL byte was a 500 with a stack trace per request. Reactions take only emoji.
 */
describe.each([
  ['SQLite', () => ({})],
  ['PostgreSQL', () => ({ NUXT_DATABASE_URL: DATABASE_URL, NUXT_DATABASE_SCHEMA: `banter_e2e_text_${randomBytes(4).toString('hex')}` })],
] as const)('hostile text on %s', (kind, environment) => {
  let server: RunningServer
  const env: Record<string, string> = environment()

  beforeAll(async () => {
    if (kind === 'PostgreSQL' && !services.available) return
    server = await startServer(env)
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
    if (env.NUXT_DATABASE_SCHEMA) await dropSchema(env.NUXT_DATABASE_SCHEMA)
  })

  const post = (cookie: string, path: string, body: unknown, method = 'POST') => fetch(`${server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify(body),
  })

  it('refuses NUL bytes and other control characters in text, client ids and ids, over REST and the socket, without a stack in the log', async () => {
    if (!server) return expect(process.env.CI, 'CI must have PostgreSQL').toBeUndefined()
    const { cookie } = await signIn(server.url, uniqueName('nul'))
    const room = await createRoom(server.url, cookie)
    await expectRefusal(post(cookie, `/api/rooms/${room}/messages`, { text: 'a\u0000b', clientId: 'c1' }), 400, 'invalid_text')
    await expectRefusal(post(cookie, `/api/rooms/${room}/messages`, { text: 'fine', clientId: 'c\u00002' }), 400, 'invalid_event')
    await expectRefusal(post(cookie, `/api/rooms/${room}/messages/x%00y`, { text: 'edit' }, 'PATCH'), 400, 'invalid_event')
    const client = await ChatClient.connect(server.url, cookie)
    await client.join(room)
    client.send({ type: 'chat', room, text: 'bell\u0007', clientId: 'c3' })
    expect(await client.nextOfType('error')).toMatchObject({ code: 'invalid_text', ref: 'c3' })
    client.send({ type: 'chat', room, text: 'fine', clientId: 'c\u00004' })
    expect(await client.nextOfType('error')).toMatchObject({ code: 'invalid_event' })
    // Tabs and newlines are text.
    client.send({ type: 'chat', room, text: 'a\tb\nc', clientId: 'c5' })
    expect(await client.nextOfType('ack', event => event.clientId === 'c5')).toMatchObject({ seq: 1 })
    expect(server.output()).not.toMatch(/\n\s+at .*\(/)
  })

  it('refuses a pile of combining marks that would draw over the other messages', async () => {
    if (!server) return expect(process.env.CI, 'CI must have PostgreSQL').toBeUndefined()
    const { cookie } = await signIn(server.url, uniqueName('zalgo'))
    const room = await createRoom(server.url, cookie)
    await expectRefusal(post(cookie, `/api/rooms/${room}/messages`, { text: `Z${'\u0301'.repeat(2000)}`, clientId: 'z1' }), 400, 'invalid_text')
    // A few marks on a letter are ordinary writing (Vietnamese, say).
    expect((await post(cookie, `/api/rooms/${room}/messages`, { text: 'Việt Nam e\u0301\u0302', clientId: 'z2' })).status).toBe(201)
  })

  it('takes only one emoji as a reaction', async () => {
    if (!server) return expect(process.env.CI, 'CI must have PostgreSQL').toBeUndefined()
    const { cookie } = await signIn(server.url, uniqueName('react'))
    const room = await createRoom(server.url, cookie)
    const sent = await (await post(cookie, `/api/rooms/${room}/messages`, { text: 'react to me', clientId: 'r1' })).json()
    for (const emoji of ['<script>', 'FREE-BTC.COM', '\u202Eevil', '👍👍', 'a']) {
      await expectRefusal(post(cookie, `/api/rooms/${room}/messages/${sent.id}/reactions`, { emoji }), 400, 'invalid_event')
    }
    for (const emoji of ['👍', '❤️', '👩‍💻', '👍🏽', '🇫🇷']) {
      expect((await post(cookie, `/api/rooms/${room}/messages/${sent.id}/reactions`, { emoji })).status, emoji).toBe(200)
    }
  })
})
