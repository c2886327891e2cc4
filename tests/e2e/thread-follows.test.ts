import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FollowedThreads, ThreadsEverywhere } from '#shared/protocol'
import { startServer } from '../support/server'
import type { RunningServer } from '../support/server'
import { ChatClient, signIn, uniqueName } from './support/client'
import { closeSocketsAfterEach } from './support/open-sockets'
import { jsonCaller } from './support/rest'

closeSocketsAfterEach()

type SignedIn = Awaited<ReturnType<typeof signIn>>

/**
 * Thread follows and read places between real clients: who follows a thread (its root's author, a replier, the
 * mentioned, nobody else), its unread replies over REST, a read place moved over the socket and REST and heard by
 * every tab of the user, and refusals (a reply or another room's message as the root, a private room's outsider).
 */
describe('thread follows and read places', () => {
  let server: RunningServer

  beforeAll(async () => {
    server = await startServer()
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
  })

  const call = jsonCaller(() => server.url)
  const post = async (cookie: string, room: string, text: string, extra: Record<string, unknown> = {}) =>
    (await call('POST', `/api/rooms/${room}/messages`, cookie, { text, clientId: uniqueName('say'), ...extra })).body as { id: string, seq: number }
  const newRoom = async (cookie: string, prefix: string, isPrivate = false) =>
    (await call('POST', '/api/rooms', cookie, { name: uniqueName(prefix), ...(isPrivate && { private: true }) })).body.room.name as string
  const unreadOf = async (user: SignedIn, room: string) => {
    const { status, body } = await call('GET', `/api/rooms/${room}/threads`, user.cookie)
    expect(status).toBe(200)
    return Object.fromEntries((body as FollowedThreads).threads.map(thread => [thread.rootId, thread.unread.map(reply => reply.id)]))
  }
  /** Posts a thread reply and waits for its root's new summary, which comes once the followers are stored. */
  const replyAndWait = async (watcher: ChatClient, user: SignedIn, room: string, rootId: string, text: string) => {
    const reply = await post(user.cookie, room, text, { threadId: rootId })
    await watcher.nextOfType('update', event => event.message.id === rootId && watcher.log.some(heard => heard.type === 'chat' && heard.id === reply.id))
    return reply
  }

  it('keeps who follows a thread and what they have not read, and tells every tab of a reader', async () => {
    const alice = await signIn(server.url, uniqueName('starter'))
    const bob = await signIn(server.url, uniqueName('replier'))
    const carol = await signIn(server.url, uniqueName('named'))
    const dave = await signIn(server.url, uniqueName('bystander'))
    const room = await newRoom(alice.cookie, 'follows')
    const root = await post(alice.cookie, room, 'who reviews #42?')
    const tab = await ChatClient.connect(server.url, alice.cookie)
    await tab.join(room)
    const otherTab = await ChatClient.connect(server.url, alice.cookie)

    const first = await replyAndWait(tab, bob, room, root.id, 'I will')
    const mention = await replyAndWait(tab, bob, room, root.id, `@${carol.user.username} can you check the tests?`)
    expect(await unreadOf(alice, room)).toEqual({ [root.id]: [first.id, mention.id] })
    expect(await unreadOf(bob, room)).toEqual({ [root.id]: [] })
    expect(await unreadOf(carol, room)).toEqual({ [root.id]: [mention.id] })
    expect(await unreadOf(dave, room)).toEqual({})

    // Read over the socket: both of alice's tabs hear it, and the count is gone for her only.
    tab.send({ type: 'thread-read', room, rootId: root.id, seq: first.seq })
    for (const socket of [tab, otherTab]) {
      expect(await socket.nextOfType('thread-read')).toEqual({ type: 'thread-read', room, rootId: root.id, seq: first.seq })
    }
    expect(await unreadOf(alice, room)).toEqual({ [root.id]: [mention.id] })
    // Over REST, never backwards, never past the room's last seq.
    const back = await call('PUT', `/api/rooms/${room}/messages/${root.id}/thread-read`, alice.cookie, { seq: 1 })
    expect(back.body).toEqual({ room, rootId: root.id, seq: first.seq })
    const ahead = await call('PUT', `/api/rooms/${room}/messages/${root.id}/thread-read`, alice.cookie, { seq: 1_000_000 })
    expect(ahead.body).toEqual({ room, rootId: root.id, seq: mention.seq })
    expect(await unreadOf(alice, room)).toEqual({ [root.id]: [] })
    expect(await unreadOf(carol, room)).toEqual({ [root.id]: [mention.id] })
  })

  it('refuses a read place under a reply or another room\'s message, and shows a private room\'s outsider nothing', async () => {
    const owner = await signIn(server.url, uniqueName('owner'))
    const outsider = await signIn(server.url, uniqueName('outsider'))
    const hidden = await newRoom(owner.cookie, 'hidden', true)
    const open = await newRoom(owner.cookie, 'open')
    const root = await post(owner.cookie, hidden, 'private plans')
    const reply = await post(owner.cookie, hidden, 'secret reply', { threadId: root.id })
    const elsewhere = await post(owner.cookie, open, 'public root')

    const socket = await ChatClient.connect(server.url, owner.cookie)
    for (const rootId of [reply.id, elsewhere.id]) {
      socket.send({ type: 'thread-read', room: hidden, rootId, seq: reply.seq })
      expect(await socket.nextOfType('error')).toMatchObject({ code: 'not_found' })
      const refused = await call('PUT', `/api/rooms/${hidden}/messages/${rootId}/thread-read`, owner.cookie, { seq: reply.seq })
      expect(refused.status).toBe(404)
    }
    const bad = await call('PUT', `/api/rooms/${hidden}/messages/${root.id}/thread-read`, owner.cookie, { seq: -1 })
    expect(bad.status).toBe(400)
    // A read place is a state change: another site cannot move it (CSRF).
    const crossSite = await fetch(`${server.url}/api/rooms/${hidden}/messages/${root.id}/thread-read`, {
      method: 'PUT', headers: { 'origin': 'https://evil.example', 'cookie': owner.cookie, 'content-type': 'application/json' }, body: JSON.stringify({ seq: reply.seq }),
    })
    expect(crossSite.status).toBe(403)

    const listed = await call('GET', `/api/rooms/${hidden}/threads`, outsider.cookie)
    expect(listed.status).toBe(404)
    const marked = await call('PUT', `/api/rooms/${hidden}/messages/${root.id}/thread-read`, outsider.cookie, { seq: reply.seq })
    expect(marked.status).toBe(404)
    expect(JSON.stringify([listed.body, marked.body])).not.toMatch(/private plans|secret reply/)
    const outsiderSocket = await ChatClient.connect(server.url, outsider.cookie)
    outsiderSocket.send({ type: 'thread-read', room: hidden, rootId: root.id, seq: reply.seq })
    expect(await outsiderSocket.nextOfType('error')).toMatchObject({ code: 'unknown_room' })
    expect(outsiderSocket.log.some(event => event.type === 'thread-read')).toBe(false)
  })

  it('lists the threads a user follows in every room they may read, and forgets a room they were removed from', async () => {
    const owner = await signIn(server.url, uniqueName('owner'))
    const member = await signIn(server.url, uniqueName('member'))
    const hidden = await newRoom(owner.cookie, 'inner', true)
    expect((await call('POST', `/api/rooms/${hidden}/members`, owner.cookie, { username: member.user.username })).status).toBe(200)
    const open = await newRoom(owner.cookie, 'lobby')
    const watcher = await ChatClient.connect(server.url, owner.cookie)
    await watcher.join(hidden)
    await watcher.join(open)
    const secret = await post(owner.cookie, hidden, 'the private roadmap')
    await replyAndWait(watcher, member, hidden, secret.id, 'my notes')
    const answer = await replyAndWait(watcher, owner, hidden, secret.id, 'thanks')
    const lobby = await post(owner.cookie, open, 'friday lunch?')
    await replyAndWait(watcher, member, open, lobby.id, 'yes')
    const listed = async (user: SignedIn) => {
      const { status, body } = await call('GET', '/api/threads', user.cookie)
      expect(status).toBe(200)
      return body as ThreadsEverywhere
    }

    // New replies first: the private thread has one for the member, the lobby's none.
    const before = await listed(member)
    expect(before.threads.map(thread => [thread.root.room, thread.root.text, thread.unread.map(reply => reply.id)])).toEqual([
      [hidden, 'the private roadmap', [answer.id]], [open, 'friday lunch?', []],
    ])
    expect(before.threads[0]!.root.thread).toMatchObject({ count: 2 })

    const removed = await fetch(`${server.url}/api/rooms/${hidden}/members/${member.user.id}`, { method: 'DELETE', headers: { origin: server.url, cookie: owner.cookie } })
    expect(removed.status).toBe(204)
    const after = await listed(member)
    expect(after.threads.map(thread => thread.root.id)).toEqual([lobby.id])
    expect(JSON.stringify(after)).not.toMatch(/private roadmap|my notes|thanks/)
    expect((await call('GET', '/api/threads', '')).status).toBe(401)
  })
})
