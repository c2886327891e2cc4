import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChatMessage, ThreadPage } from '#shared/protocol'
import { startServer } from '../support/server'
import type { RunningServer } from '../support/server'
import { ChatClient, signIn, uniqueName } from './support/client'
import { closeSocketsAfterEach } from './support/open-sockets'
import { jsonCaller } from './support/rest'

closeSocketsAfterEach()

/**
 * Replies and threads between real clients: a quote of the original, thread replies heard live with the root's
 * new summary, a thread's pages over REST, resume replaying a missed reply once, and refusals (another room's
 * message, a private room's thread for a non-member, the message rate).
 */
describe('replies and threads', () => {
  let server: RunningServer

  beforeAll(async () => {
    server = await startServer({ NUXT_LIMITS_MESSAGE_BURST: '20', NUXT_LIMITS_MESSAGES_PER_SECOND: '1' })
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
  })

  const call = jsonCaller(() => server.url)
  const post = async (cookie: string, room: string, text: string, extra: Record<string, unknown> = {}) =>
    (await call('POST', `/api/rooms/${room}/messages`, cookie, { text, clientId: uniqueName('say'), ...extra })).body as { id: string, seq: number }
  const newRoom = async (cookie: string, prefix: string, isPrivate = false) =>
    (await call('POST', '/api/rooms', cookie, { name: uniqueName(prefix), ...(isPrivate && { private: true }) })).body.room.name as string

  it('carries a quote of the original, and shows it deleted once the original is deleted', async () => {
    const alice = await signIn(server.url, uniqueName('alice'))
    const bob = await signIn(server.url, uniqueName('bob'))
    const room = await newRoom(alice.cookie, 'quotes')
    const original = await post(alice.cookie, room, 'lunch at <b>noon</b>?')
    const watcher = await ChatClient.connect(server.url, alice.cookie)
    await watcher.join(room)
    const replier = await ChatClient.connect(server.url, bob.cookie)
    await replier.join(room)

    replier.send({ type: 'chat', room, text: 'yes', clientId: 'reply-1', replyTo: original.id })
    const reply = await watcher.nextOfType('chat', event => event.clientId === 'reply-1')
    expect(reply.replyTo).toStrictEqual({ id: original.id, seq: original.seq, user: alice.user, text: 'lunch at <b>noon</b>?' })
    expect(reply.threadId).toBeUndefined()

    expect((await call('DELETE', `/api/rooms/${room}/messages/${original.id}`, alice.cookie)).status).toBe(200)
    const history = (await call('GET', `/api/rooms/${room}/messages`, bob.cookie)).body.messages as ChatMessage[]
    expect(history.find(message => message.id === reply.id)!.replyTo).toStrictEqual({ id: original.id, seq: original.seq, user: alice.user, text: '', deleted: true })
    // A deleted message is not quoted anew.
    replier.send({ type: 'chat', room, text: 'late', clientId: 'reply-2', replyTo: original.id })
    expect(await replier.nextOfType('error', event => event.ref === 'reply-2')).toMatchObject({ code: 'message_deleted' })
  })

  it('delivers thread replies to both clients live with room seqs, updates the root\'s summary, and pages the thread', async () => {
    const alice = await signIn(server.url, uniqueName('starter'))
    const bob = await signIn(server.url, uniqueName('helper'))
    const room = await newRoom(alice.cookie, 'threads')
    const root = await post(alice.cookie, room, 'who reviews #42?')
    const aliceSocket = await ChatClient.connect(server.url, alice.cookie)
    await aliceSocket.join(room)
    const bobSocket = await ChatClient.connect(server.url, bob.cookie)
    await bobSocket.join(room)

    bobSocket.send({ type: 'chat', room, text: 'I will', clientId: 'thread-1', threadId: root.id })
    const ack = await bobSocket.nextOfType('ack', event => event.clientId === 'thread-1')
    const heard = await aliceSocket.nextOfType('chat', event => event.clientId === 'thread-1')
    expect(heard).toMatchObject({ seq: root.seq + 1, threadId: root.id, text: 'I will' })
    expect(heard.alsoToRoom).toBeUndefined()
    expect(ack.seq).toBe(heard.seq)
    const summary = await aliceSocket.nextOfType('update', event => event.message.id === root.id)
    expect(summary.message.thread).toStrictEqual({ count: 1, lastReplyAt: heard.ts, repliers: [bob.user] })

    // Over REST too, and "also to the room"; a reply to a thread reply lands in its root's thread.
    const second = await post(alice.cookie, room, 'thanks', { threadId: heard.id, alsoToRoom: true })
    const alsoHeard = await bobSocket.nextOfType('chat', event => event.id === second.id)
    expect(alsoHeard).toMatchObject({ threadId: root.id, alsoToRoom: true })
    expect((await bobSocket.nextOfType('update', event => event.message.id === root.id && event.message.thread?.count === 2)).message.thread!.repliers)
      .toStrictEqual([alice.user, bob.user])

    for (let index = 0; index < 3; index++) await post(bob.cookie, room, `more ${index}`, { threadId: root.id })
    const newest = (await call('GET', `/api/rooms/${room}/messages/${root.id}/thread?limit=3`, alice.cookie)).body as ThreadPage
    expect(newest.root).toMatchObject({ id: root.id, thread: { count: 5 } })
    expect(newest.messages.map(message => message.text)).toStrictEqual(['more 0', 'more 1', 'more 2'])
    const older = (await call('GET', `/api/rooms/${room}/messages/${root.id}/thread?before=${newest.messages[0]!.seq}`, alice.cookie)).body as ThreadPage
    expect(older.messages.map(message => message.text)).toStrictEqual(['I will', 'thanks'])
    // A thread reply is not a thread of its own.
    expect((await call('GET', `/api/rooms/${room}/messages/${heard.id}/thread`, alice.cookie)).body.data.code).toBe('not_found')
  })

  it('replays a thread reply missed while away exactly once on resume', async () => {
    const alice = await signIn(server.url, uniqueName('away'))
    const bob = await signIn(server.url, uniqueName('present'))
    const room = await newRoom(alice.cookie, 'resume')
    const root = await post(alice.cookie, room, 'root')
    const first = await ChatClient.connect(server.url, alice.cookie)
    const seenSeq = await first.join(room)
    first.close()
    await first.closed
    const missed = await post(bob.cookie, room, 'while you were away', { threadId: root.id })

    const again = await ChatClient.connect(server.url, alice.cookie)
    again.send({ type: 'join', room, after: seenSeq })
    expect(await again.nextOfType('joined', event => event.room === room)).toMatchObject({ recovered: true })
    // A reply sent after the resume arrives live; the missed one came in the replay, and only there.
    await post(bob.cookie, room, 'now', { threadId: root.id })
    await again.nextOfType('chat', event => event.text === 'now')
    const replayed = again.log.filter(event => event.type === 'chat' && event.id === missed.id)
    expect(replayed).toHaveLength(1)
    expect(replayed[0]).toMatchObject({ threadId: root.id, seq: missed.seq })
  })

  it('refuses a reply to another room\'s message with reply_not_found, over the socket and REST', async () => {
    const alice = await signIn(server.url, uniqueName('crosser'))
    const here = await newRoom(alice.cookie, 'here')
    const there = await newRoom(alice.cookie, 'there')
    const elsewhere = await post(alice.cookie, there, 'from the other room')
    for (const field of ['replyTo', 'threadId']) {
      const refused = await call('POST', `/api/rooms/${here}/messages`, alice.cookie, { text: 'hi', clientId: uniqueName('x'), [field]: elsewhere.id })
      expect(refused.status, field).toBe(404)
      expect(refused.body.data.code).toBe('reply_not_found')
    }
    const socket = await ChatClient.connect(server.url, alice.cookie)
    await socket.join(here)
    socket.send({ type: 'chat', room: here, text: 'hi', clientId: 'cross-1', threadId: elsewhere.id })
    expect(await socket.nextOfType('error', event => event.ref === 'cross-1')).toMatchObject({ code: 'reply_not_found' })
    // Nothing was stored: the room is still empty.
    expect((await call('GET', `/api/rooms/${here}/messages`, alice.cookie)).body.messages).toStrictEqual([])
  })

  it('shows a non-member nothing of a private room\'s thread and takes no reply into it', async () => {
    const owner = await signIn(server.url, uniqueName('owner'))
    const outsider = await signIn(server.url, uniqueName('outsider'))
    const room = await newRoom(owner.cookie, 'hidden', true)
    const root = await post(owner.cookie, room, 'private plans')
    await post(owner.cookie, room, 'secret reply', { threadId: root.id })

    const read = await call('GET', `/api/rooms/${room}/messages/${root.id}/thread`, outsider.cookie)
    expect(read.status).toBe(404)
    expect(JSON.stringify(read.body)).not.toMatch(/private plans|secret reply/)
    const posted = await call('POST', `/api/rooms/${room}/messages`, outsider.cookie, { text: 'let me in', clientId: uniqueName('in'), threadId: root.id })
    expect(posted.status).toBe(404)
    const socket = await ChatClient.connect(server.url, outsider.cookie)
    socket.send({ type: 'chat', room, text: 'let me in', clientId: 'intruder', threadId: root.id })
    expect(await socket.nextOfType('error', event => event.ref === 'intruder')).toMatchObject({ code: 'unknown_room' })
    socket.send({ type: 'join', room })
    expect(await socket.nextOfType('error', event => event.ref === room)).toMatchObject({ code: 'unknown_room' })
    const thread = (await call('GET', `/api/rooms/${room}/messages/${root.id}/thread`, owner.cookie)).body as ThreadPage
    expect(thread.messages.map(message => message.text)).toStrictEqual(['secret reply'])
  })

  it('holds thread replies to the message rate, over REST and the socket', async () => {
    const alice = await signIn(server.url, uniqueName('flooder'))
    const room = await newRoom(alice.cookie, 'flood')
    const root = await post(alice.cookie, room, 'root')
    const socket = await ChatClient.connect(server.url, alice.cookie)
    await socket.join(room)
    const statuses: number[] = []
    for (let index = 0; index < 30; index++) {
      statuses.push((await call('POST', `/api/rooms/${room}/messages`, alice.cookie, { text: `r${index}`, clientId: uniqueName('f'), threadId: root.id })).status)
    }
    expect(statuses).toContain(429)
    // The user's rate is one, whichever way the replies come.
    socket.send({ type: 'chat', room, text: 'one more', clientId: 'flood-socket', threadId: root.id })
    expect(await socket.nextOfType('error', event => event.ref === 'flood-socket')).toMatchObject({ code: 'rate_limited' })
  })
})
