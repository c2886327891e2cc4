import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_ROOM } from '#shared/protocol'
import { startServer } from '../support/server'
import type { RunningServer } from '../support/server'
import { ChatClient, createRoom, signIn, uniqueName } from './support/client'
import { closeSocketsAfterEach } from './support/open-sockets'
import { expectRefusal } from './support/rest'
import { api, createPrivateRoom, roomTextsAfterRoundTrip } from './support/room-admin'

closeSocketsAfterEach()

/**
 * Topic, slow mode, members of private rooms and moderator deletes against the built server. This file starts
 * its own server so it can read the audit log from that server's database.
 */
describe('room moderation', () => {
  let server: RunningServer
  let url: string

  beforeAll(async () => {
    server = await startServer({ NUXT_LIMITS_MESSAGES_PER_SECOND: '0', NUXT_LIMITS_FRAMES_PER_SECOND: '0' })
    url = server.url
  }, 60_000)
  afterAll(() => server?.stop())

  /** The audit log's entries about one target, oldest first, read straight from the server's database. */
  function auditOf(targetId: string): { action: string, actor_id: string, details: string }[] {
    const db = new Database(server.databasePath, { readonly: true })
    try {
      return db.prepare('SELECT action, actor_id, details FROM audit_log WHERE target_id = ? ORDER BY id').all(targetId) as never
    }
    finally {
      db.close()
    }
  }

  const user = (prefix: string) => signIn(url, uniqueName(prefix))

  it('lets the owner set the topic, which everyone hears live, and refuses anyone else with 403', async () => {
    const owner = await user('owner')
    const other = await user('other')
    const room = await createRoom(url, owner.cookie)
    const watcher = await ChatClient.connect(url, other.cookie)
    const changed = await api(url, owner.cookie, 'PATCH', `/api/rooms/${room}`, { topic: 'Friday plans' })
    expect(changed.status).toBe(200)
    expect((await changed.json()).room).toMatchObject({ name: room, topic: 'Friday plans' })
    expect((await watcher.nextOfType('room', event => event.room.name === room)).room).toMatchObject({ topic: 'Friday plans' })
    await expectRefusal(api(url, other.cookie, 'PATCH', `/api/rooms/${room}`, { topic: 'mine now' }), 403, 'forbidden')
    await expectRefusal(api(url, other.cookie, 'PATCH', `/api/rooms/${room}`, { slowModeSeconds: 5 }), 403, 'forbidden')
    await expectRefusal(api(url, owner.cookie, 'PATCH', `/api/rooms/${room}`, { slowModeSeconds: -1 }), 400, 'invalid_event')
    expect((await (await api(url, other.cookie, 'GET', `/api/rooms/${room}`)).json()).permissions).toEqual({ standing: null, moderate: false, manageMembers: false })
    expect((await (await api(url, owner.cookie, 'GET', `/api/rooms/${room}`)).json()).permissions).toEqual({ standing: 'owner', moderate: true, manageMembers: false })
    expect(auditOf(room).map(entry => [entry.action, entry.actor_id])).toEqual([['room.updated', owner.user.id]])
  })

  it('refuses a member\'s second message within slow mode over REST and socket alike, but not the owner\'s', async () => {
    const owner = await user('owner')
    const member = await user('member')
    const room = await createRoom(url, owner.cookie)
    expect((await api(url, owner.cookie, 'PATCH', `/api/rooms/${room}`, { slowModeSeconds: 60 })).status).toBe(200)
    const post = (cookie: string, clientId: string) => api(url, cookie, 'POST', `/api/rooms/${room}/messages`, { text: clientId, clientId })
    expect((await post(member.cookie, 'm1')).status).toBe(201)
    const refused = await post(member.cookie, 'm2')
    expect(refused.status).toBe(429)
    const body = await refused.json()
    expect(body.data).toMatchObject({ code: 'slow_mode', retryAfter: expect.any(Number) })
    expect(body.data.message).toMatch(/wait \d+ s/)
    // A retry of the stored message is its duplicate, not a refusal.
    expect((await post(member.cookie, 'm1')).status).toBe(200)

    const socket = await ChatClient.connect(url, member.cookie)
    await socket.join(room)
    socket.send({ type: 'chat', room, text: 'from the socket', clientId: 'm3' })
    expect(await socket.nextOfType('error', event => event.ref === 'm3')).toMatchObject({ code: 'slow_mode', retryAfter: expect.any(Number) })
    expect((await post(owner.cookie, 'o1')).status).toBe(201)
    expect((await post(owner.cookie, 'o2')).status).toBe(201)
    const history = await (await api(url, member.cookie, 'GET', `/api/rooms/${room}/messages`)).json()
    expect(history.messages.map((message: { text: string }) => message.text)).toEqual(['m1', 'o1', 'o2'])
  })

  it('lets the owner delete anyone\'s message (removed by a moderator, audited) and refuses others with not_owner over REST and socket', async () => {
    const owner = await user('owner')
    const author = await user('author')
    const bystander = await user('bystander')
    const room = await createRoom(url, owner.cookie)
    const posted = async (clientId: string) => (await (await api(url, author.cookie, 'POST', `/api/rooms/${room}/messages`, { text: 'spam', clientId })).json()).id as string
    const first = await posted('s1')
    const second = await posted('s2')
    await expectRefusal(api(url, bystander.cookie, 'DELETE', `/api/rooms/${room}/messages/${first}`), 403, 'not_owner')
    const bystanderSocket = await ChatClient.connect(url, bystander.cookie)
    await bystanderSocket.join(room)
    bystanderSocket.send({ type: 'delete', room, id: first })
    expect(await bystanderSocket.nextOfType('error', event => event.ref === first)).toMatchObject({ code: 'not_owner' })

    const removed = await api(url, owner.cookie, 'DELETE', `/api/rooms/${room}/messages/${first}`)
    expect(removed.status).toBe(200)
    expect((await removed.json()).message).toMatchObject({ id: first, text: '', removedByModerator: true })
    expect((await bystanderSocket.nextOfType('update', event => event.message.id === first)).message).toMatchObject({ removedByModerator: true })

    const ownerSocket = await ChatClient.connect(url, owner.cookie)
    await ownerSocket.join(room)
    ownerSocket.send({ type: 'delete', room, id: second })
    expect((await ownerSocket.nextOfType('update', event => event.message.id === second)).message).toMatchObject({ removedByModerator: true })
    const history = await (await api(url, bystander.cookie, 'GET', `/api/rooms/${room}/messages`)).json()
    expect(history.messages.map((message: { removedByModerator?: true }) => message.removedByModerator)).toEqual([true, true])
    for (const id of [first, second]) {
      expect(auditOf(id).map(entry => [entry.action, entry.actor_id, JSON.parse(entry.details)])).toEqual([['message.removed', owner.user.id, { room, authorId: author.user.id }]])
    }
  })

  it('lets the owner add a member, who hears of the room and joins it; refuses a non-owner with 403', async () => {
    const owner = await user('owner')
    const bob = await user('bob')
    const carol = await user('carol')
    const room = await createPrivateRoom(url, owner.cookie, [bob.user.name])
    const carolSocket = await ChatClient.connect(url, carol.cookie)
    await expectRefusal(api(url, carol.cookie, 'GET', `/api/rooms/${room}/members`), 404, 'unknown_room')
    await expectRefusal(api(url, bob.cookie, 'POST', `/api/rooms/${room}/members`, { username: carol.user.name }), 403, 'forbidden')
    await expectRefusal(api(url, owner.cookie, 'POST', `/api/rooms/${room}/members`, { username: uniqueName('nobody') }), 400, 'unknown_user')

    const added = await api(url, owner.cookie, 'POST', `/api/rooms/${room}/members`, { username: carol.user.name })
    expect(added.status).toBe(200)
    expect((await added.json()).member).toMatchObject({ user: { id: carol.user.id }, role: 'member' })
    const announced = await carolSocket.nextOfType('room', event => event.room.name === room)
    expect(announced.room.members?.map(member => member.id).sort()).toEqual([owner.user.id, bob.user.id, carol.user.id].sort())
    await carolSocket.join(room)
    const members = await (await api(url, carol.cookie, 'GET', `/api/rooms/${room}/members`)).json()
    expect(members.members.map((member: { user: { id: string }, role: string }) => [member.user.id, member.role]).sort())
      .toEqual([[owner.user.id, 'owner'], [bob.user.id, 'member'], [carol.user.id, 'member']].sort())
    expect(auditOf(room).map(entry => [entry.action, entry.actor_id, JSON.parse(entry.details).userId])).toEqual([['room.member_added', owner.user.id, carol.user.id]])
  })

  it('stops a removed member hearing the room at once, tells all their tabs, and answers them 404 from then on, as to anyone outside', async () => {
    const owner = await user('owner')
    const bob = await user('bob')
    const room = await createPrivateRoom(url, owner.cookie, [bob.user.name])
    const inRoom = await ChatClient.connect(url, bob.cookie)
    const otherTab = await ChatClient.connect(url, bob.cookie)
    const ownerSocket = await ChatClient.connect(url, owner.cookie)
    await inRoom.join(room)
    await ownerSocket.join(room)
    await expectRefusal(api(url, bob.cookie, 'DELETE', `/api/rooms/${room}/members/${owner.user.id}`), 403, 'forbidden')
    const say = (text: string) => api(url, owner.cookie, 'POST', `/api/rooms/${room}/messages`, { text, clientId: text })
    await say('before')
    await inRoom.nextOfType('chat', event => event.text === 'before')

    expect((await api(url, owner.cookie, 'DELETE', `/api/rooms/${room}/members/${bob.user.id}`)).status).toBe(204)
    await Promise.all([inRoom, otherTab].map(tab => tab.nextOfType('room-removed', event => event.room === room)))
    expect((await ownerSocket.nextOfType('system', event => event.kind === 'leave' && event.user.id === bob.user.id)).room).toBe(room)
    await say('after')
    await ownerSocket.nextOfType('chat', event => event.text === 'after')
    expect(await roomTextsAfterRoundTrip(inRoom, room, DEFAULT_ROOM)).toEqual(['before'])

    await expectRefusal(api(url, bob.cookie, 'GET', `/api/rooms/${room}/messages`), 404, 'unknown_room')
    await expectRefusal(api(url, bob.cookie, 'POST', `/api/rooms/${room}/messages`, { text: 'let me in', clientId: 'b1' }), 404, 'unknown_room')
    inRoom.send({ type: 'join', room })
    expect(await inRoom.nextOfType('error', event => event.ref === room)).toMatchObject({ code: 'unknown_room' })
    const listed = await (await api(url, bob.cookie, 'GET', '/api/rooms')).json()
    expect(listed.rooms.map((known: { name: string }) => known.name)).not.toContain(room)
    expect(auditOf(room).map(entry => [entry.action, JSON.parse(entry.details).userId])).toEqual([['room.member_removed', bob.user.id]])
  })

  it('lets a member leave, but not the last owner while others remain', async () => {
    const owner = await user('owner')
    const bob = await user('bob')
    const room = await createPrivateRoom(url, owner.cookie, [bob.user.name])
    await expectRefusal(api(url, owner.cookie, 'DELETE', `/api/rooms/${room}/members/${owner.user.id}`), 409, 'last_owner')
    const bobSocket = await ChatClient.connect(url, bob.cookie)
    expect((await api(url, bob.cookie, 'DELETE', `/api/rooms/${room}/members/${bob.user.id}`)).status).toBe(204)
    await bobSocket.nextOfType('room-removed', event => event.room === room)
    expect((await api(url, owner.cookie, 'DELETE', `/api/rooms/${room}/members/${owner.user.id}`)).status).toBe(204)
    expect(auditOf(room).map(entry => [entry.action, entry.actor_id])).toEqual([['room.member_left', bob.user.id], ['room.member_left', owner.user.id]])
  })
})
