import { describe, expect, inject, it } from 'vitest'
import { ChatClient, createRoom, signIn, uniqueName } from './support/client'
import { closeSocketsAfterEach } from './support/open-sockets'
import { jsonCaller } from './support/rest'

closeSocketsAfterEach()

const baseURL = inject('baseURL')

describe('@mentions', () => {
  it('notify the mentioned user in every tab, whichever room they are in, once, and never the author', async () => {
    const alice = await signIn(baseURL, uniqueName('alice'))
    const bobName = `Bob ${uniqueName('x')}`
    const bob = await signIn(baseURL, bobName)
    const room = await createRoom(baseURL, alice.cookie)
    const writer = await ChatClient.connect(baseURL, alice.cookie)
    await writer.join(room)
    // Bob is not in the room at all: a mention reaches him anyway, in both tabs.
    const tab1 = await ChatClient.connect(baseURL, bob.cookie)
    const tab2 = await ChatClient.connect(baseURL, bob.cookie)

    // Mentions resolve by username, whatever the case (Bob's display name has a space; his username has a hyphen).
    expect(bob.user.username).toBe(bobName.toLowerCase().replace(' ', '-'))
    writer.send({ type: 'chat', room, text: `hi @${bob.user.username.toUpperCase()}, and @${alice.user.username} too`, clientId: 'm1' })
    for (const tab of [tab1, tab2]) {
      expect(await tab.nextOfType('notification')).toMatchObject({ message: { room, clientId: 'm1', user: alice.user } })
    }
    // A retry of the same message does not notify again; the author is never notified.
    writer.send({ type: 'chat', room, text: `hi @${bob.user.username}`, clientId: 'm1' })
    await writer.nextOfType('ack', event => event.clientId === 'm1')
    writer.send({ type: 'chat', room, text: `again @${bob.user.username}`, clientId: 'm2' })
    await tab1.nextOfType('notification', event => event.message.clientId === 'm2')
    expect(tab1.log.filter(event => event.type === 'notification')).toHaveLength(2)
    expect(writer.log.some(event => event.type === 'notification')).toBe(false)
  })

  it('are listed with the rooms while unread, so "@N" survives a reload; never from a room the user was taken out of', async () => {
    const call = jsonCaller(() => baseURL)
    const alice = await signIn(baseURL, uniqueName('alice'))
    const bob = await signIn(baseURL, uniqueName('bob'))
    const open = await createRoom(baseURL, bob.cookie)
    const hidden = (await call('POST', '/api/rooms', bob.cookie, { name: uniqueName('inner'), private: true, members: [alice.user.username] })).body.room.name as string
    const say = async (room: string, text: string) =>
      (await call('POST', `/api/rooms/${room}/messages`, bob.cookie, { text, clientId: uniqueName('c') })).body as { id: string, seq: number }
    // Alice has read both rooms once (a marker), then is away.
    for (const room of [open, hidden]) {
      const first = await say(room, 'welcome')
      expect((await call('PUT', `/api/rooms/${room}/read`, alice.cookie, { seq: first.seq })).status).toBe(200)
    }
    const mention = await say(open, `@${alice.user.username} can you review?`)
    await say(open, `@${alice.user.username}x is not her`)
    const secret = await say(hidden, `@${alice.user.username} the private plan`)
    const mentionsOf = async () => ((await call('GET', '/api/rooms', alice.cookie)).body as { mentions: Record<string, unknown> }).mentions
    expect(await mentionsOf()).toMatchObject({ [open]: [{ id: mention.id, seq: mention.seq }], [hidden]: [{ id: secret.id }] })

    expect((await call('PUT', `/api/rooms/${open}/read`, alice.cookie, { seq: mention.seq + 1 })).status).toBe(200)
    const removed = await fetch(`${baseURL}/api/rooms/${hidden}/members/${alice.user.id}`, { method: 'DELETE', headers: { origin: baseURL, cookie: bob.cookie } })
    expect(removed.status).toBe(204)
    expect(await mentionsOf()).toEqual({})
  })

  it('in a reply sent only to its thread stay listed after the room is read, until the thread is read', async () => {
    const call = jsonCaller(() => baseURL)
    const alice = await signIn(baseURL, uniqueName('alice'))
    const bob = await signIn(baseURL, uniqueName('bob'))
    const room = await createRoom(baseURL, bob.cookie)
    const say = async (text: string, extra: Record<string, unknown> = {}) =>
      (await call('POST', `/api/rooms/${room}/messages`, bob.cookie, { text, clientId: uniqueName('c'), ...extra })).body as { id: string, seq: number }
    const mentionsOf = async () => ((await call('GET', '/api/rooms', alice.cookie)).body as { mentions: Record<string, unknown> }).mentions
    const watcher = await ChatClient.connect(baseURL, bob.cookie)
    await watcher.join(room)
    const root = await say('who reviews #42?')
    const reply = await say(`@${alice.user.username} can you check the tests?`, { threadId: root.id })
    // The root's new summary comes once the thread's followers (Alice, named in it) are stored.
    await watcher.nextOfType('update', event => event.message.id === root.id && watcher.log.some(heard => heard.type === 'chat' && heard.id === reply.id))
    const later = await say('meanwhile in the room')
    expect((await call('PUT', `/api/rooms/${room}/read`, alice.cookie, { seq: later.seq })).status).toBe(200)
    expect(await mentionsOf()).toMatchObject({ [room]: [{ id: reply.id, seq: reply.seq, threadId: root.id }] })

    expect((await call('PUT', `/api/rooms/${room}/messages/${root.id}/thread-read`, alice.cookie, { seq: reply.seq })).status).toBe(200)
    expect(await mentionsOf()).toEqual({})
  })
})
