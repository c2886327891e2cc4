import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer } from '../support/server'
import type { RunningServer } from '../support/server'
import { ChatClient, register, signIn, uniqueName } from './support/client'
import { closeSocketsAfterEach } from './support/open-sockets'

closeSocketsAfterEach()

/**
 * What one client may make and hold (issue 13, class 4): rooms per user per hour and per address, rooms in all,
 * new direct conversations per hour, reactions per user and per message, sockets per client address. Each cap
 * is set low on a server of its own; every other suite runs with the creation rate and the address cap lifted.
 */
async function post(baseURL: string, path: string, cookie: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${baseURL}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseURL, cookie, ...headers },
    body: JSON.stringify(body),
  })
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() }
}

const newRoom = (baseURL: string, cookie: string, extra: Record<string, unknown> = {}) =>
  post(baseURL, '/api/rooms', cookie, { name: uniqueName('cap'), ...extra })

describe('caps from one address, counted from the socket\'s own address', () => {
  let server: RunningServer
  let owner: { cookie: string }

  beforeAll(async () => {
    server = await startServer({ NUXT_LIMITS_ROOMS_PER_HOUR: '2', NUXT_LIMITS_MAX_CONNECTIONS_PER_ADDRESS: '3' })
    // The first account of a fresh server is its owner.
    owner = await register(server.url, uniqueName('owner'))
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
  })

  it('limits rooms per user per hour and per address (four times a user\'s), and answers 429 with when to retry', async () => {
    const creators = await Promise.all(['ann', 'ben', 'cat', 'dan'].map(async name => (await signIn(server.url, uniqueName(name))).cookie))
    const [ann, ben, cat, dan] = creators as [string, string, string, string]
    expect((await newRoom(server.url, ann)).status).toBe(201)
    expect((await newRoom(server.url, ann)).status).toBe(201)
    const third = await newRoom(server.url, ann)
    expect(third.status).toBe(429)
    expect(third.body.data).toMatchObject({ code: 'rate_limited', retryAfter: expect.any(Number) })
    expect(Number(third.retryAfter)).toBeGreaterThan(60)
    // The address has had 3 of its 8: two more users fill it, the next is refused though it has a room left.
    for (const cookie of [ben, ben, cat, cat, dan]) expect((await newRoom(server.url, cookie)).status).toBe(201)
    const fromAddress = await newRoom(server.url, dan)
    expect(fromAddress.status).toBe(429)
    expect(fromAddress.body.data.code).toBe('rate_limited')
    // The workspace's owner sets it up: not capped.
    for (let index = 0; index < 3; index++) expect((await newRoom(server.url, owner.cookie)).status).toBe(201)
  })

  it('refuses a socket past the per-address cap with 429, and lets one in again once one closes', async () => {
    const users = await Promise.all(['s1', 's2', 's3', 's4'].map(name => signIn(server.url, uniqueName(name))))
    const open = await Promise.all(users.slice(0, 3).map(user => ChatClient.connect(server.url, user.cookie)))
    await expect(ChatClient.connect(server.url, users[3]!.cookie)).rejects.toThrow('upgrade refused: 429')
    open[0]!.close()
    await expect.poll(async () => {
      try {
        await ChatClient.connect(server.url, users[3]!.cookie)
        return true
      }
      catch {
        return false
      }
    }, { timeout: 5000 }).toBe(true)
    expect(server.output()).toContain('NUXT_LIMITS_MAX_CONNECTIONS_PER_ADDRESS')
  })
})

describe('caps per user, behind a proxy that names the client', () => {
  let server: RunningServer

  beforeAll(async () => {
    server = await startServer({
      NUXT_TRUST_PROXY: 'true',
      NUXT_LIMITS_MAX_ROOMS_PER_USER: '2',
      NUXT_LIMITS_DIRECT_MESSAGES_PER_HOUR: '2',
      NUXT_LIMITS_MAX_REACTIONS_PER_USER_PER_MESSAGE: '2',
      NUXT_LIMITS_MAX_EMOJI_PER_MESSAGE: '3',
      NUXT_LIMITS_MAX_CONNECTIONS_PER_ADDRESS: '2',
    })
    await register(server.url, uniqueName('owner'))
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
  })

  it('caps the public and private rooms one user has created in all (403 room_limit); direct messages are apart', async () => {
    const { cookie } = await signIn(server.url, uniqueName('maker'))
    const friend = await signIn(server.url, uniqueName('friend'))
    expect((await newRoom(server.url, cookie)).status).toBe(201)
    expect((await newRoom(server.url, cookie, { private: true, members: [friend.user.username] })).status).toBe(201)
    const third = await newRoom(server.url, cookie)
    expect(third.status).toBe(403)
    expect(third.body.data.code).toBe('room_limit')
    expect((await post(server.url, '/api/dms', cookie, { username: friend.user.username })).status).toBe(201)
  })

  it('limits new direct conversations per hour; opening one that exists is free', async () => {
    const { cookie } = await signIn(server.url, uniqueName('talker'))
    const others = await Promise.all(['p', 'q', 'r'].map(name => signIn(server.url, uniqueName(name))))
    const open = (index: number) => post(server.url, '/api/dms', cookie, { username: others[index]!.user.username })
    expect((await open(0)).status).toBe(201)
    expect((await open(1)).status).toBe(201)
    const third = await open(2)
    expect(third.status).toBe(429)
    expect(third.body.data.code).toBe('rate_limited')
    expect((await open(0)).status).toBe(200)
  })

  it('caps reactions per user and different emoji per message over REST and the socket alike', async () => {
    const author = await signIn(server.url, uniqueName('author'))
    const fan = await signIn(server.url, uniqueName('fan'))
    const { body: { room } } = await newRoom(server.url, author.cookie)
    const sent = await post(server.url, `/api/rooms/${room.name}/messages`, author.cookie, { text: 'react', clientId: 'react-1' })
    const id = sent.body.id as string
    const react = (cookie: string, emoji: string) => post(server.url, `/api/rooms/${room.name}/messages/${id}/reactions`, cookie, { emoji })
    expect((await react(author.cookie, '👍')).status).toBe(200)
    expect((await react(author.cookie, '🎉')).status).toBe(200)
    const ownThird = await react(author.cookie, '🚀')
    expect(ownThird.status).toBe(409)
    expect(ownThird.body.data.code).toBe('reaction_limit')
    // Over the socket: a third emoji on the message is fine, a fourth is refused, joining one that is there is not.
    const socket = await ChatClient.connect(server.url, fan.cookie)
    await socket.join(room.name)
    socket.send({ type: 'react', room: room.name, id, emoji: '🚀' })
    await socket.nextOfType('update', event => event.message.reactions?.length === 3)
    socket.send({ type: 'react', room: room.name, id, emoji: '🔥' })
    expect(await socket.nextOfType('error')).toMatchObject({ code: 'reaction_limit' })
    socket.send({ type: 'react', room: room.name, id, emoji: '👍' })
    const joined = await socket.nextOfType('update', event => event.message.reactions?.[0]?.userIds.length === 2)
    expect(joined.message.reactions?.map(reaction => reaction.emoji)).toEqual(['👍', '🎉', '🚀'])
  })

  it('draws reactions and edits on the user\'s chat rate, as messages', async () => {
    const { cookie } = await signIn(server.url, uniqueName('toggler'))
    const { body: { room } } = await newRoom(server.url, cookie)
    const sent = await post(server.url, `/api/rooms/${room.name}/messages`, cookie, { text: 'toggle me', clientId: 'toggle-1' })
    const path = `/api/rooms/${room.name}/messages/${sent.body.id}/reactions`
    const answers = await Promise.all(Array.from({ length: 30 }, () => post(server.url, path, cookie, { emoji: '👍' })))
    const statuses = answers.map(answer => answer.status)
    // A burst of 20 (one went to the message), and perhaps a few refilled at 5 a second meanwhile.
    expect(statuses.filter(status => status === 200).length).toBeLessThanOrEqual(23)
    expect(answers.find(answer => answer.status === 429)?.body.data.code).toBe('rate_limited')
  })

  it('counts sockets per forwarded client address when the proxy is trusted', async () => {
    const users = await Promise.all(['x1', 'x2', 'x3'].map(name => signIn(server.url, uniqueName(name))))
    const from = (address: string) => ({ 'x-forwarded-for': address })
    await ChatClient.connect(server.url, users[0]!.cookie, from('203.0.113.7'))
    await ChatClient.connect(server.url, users[1]!.cookie, from('203.0.113.7'))
    await expect(ChatClient.connect(server.url, users[2]!.cookie, from('203.0.113.7'))).rejects.toThrow('upgrade refused: 429')
    await ChatClient.connect(server.url, users[2]!.cookie, from('198.51.100.4'))
  })
})
