import { describe, expect, inject, it } from 'vitest'
import { ChatClient, connectedUser, createRoom, signIn, uniqueName } from './support/client'
import { closeSocketsAfterEach } from './support/open-sockets'

closeSocketsAfterEach()

const baseURL = inject('baseURL')

/** A signed-in user whose socket follows `room` (for its unread count) without being present in it. */
async function follower(room: string) {
  const { cookie, user } = await signIn(baseURL, uniqueName('follower'))
  const client = await ChatClient.connect(baseURL, cookie)
  client.send({ type: 'join', room, follow: true })
  await client.nextOfType('joined', event => event.room === room)
  return { cookie, user, client }
}

describe('following a room (join {follow: true})', () => {
  it('brings the room\'s messages and updates, but no presence, typing or join lines, and lists the follower nowhere', async () => {
    const { cookie } = await signIn(baseURL, uniqueName('owner'))
    const room = await createRoom(baseURL, cookie)
    const watcher = await follower(room)
    const alice = await connectedUser(baseURL, 'alice', room)

    const snapshot = await alice.client.nextOfType('presence', event => event.snapshot)
    expect(snapshot.users.map(entry => entry.user.id)).toEqual([alice.user.id])

    alice.client.send({ type: 'typing', room })
    alice.client.send({ type: 'chat', room, text: 'hello followers', clientId: 'follow-1' })
    const ack = await alice.client.nextOfType('ack')
    const message = await watcher.client.nextOfType('chat', event => event.room === room)
    expect(message).toMatchObject({ text: 'hello followers', seq: ack.seq })
    alice.client.send({ type: 'react', room, id: ack.id, emoji: '👍' })
    expect(await watcher.client.nextOfType('update', event => event.message.id === ack.id)).toMatchObject({
      message: { reactions: [{ emoji: '👍', userIds: [alice.user.id] }] },
    })

    // Everything the follower heard of the room: joined, the message and its update; nothing about people.
    const aboutRoom = watcher.client.log.filter(event => 'room' in event && event.room === room)
    expect(aboutRoom.map(event => event.type)).toEqual(['joined', 'chat'])
    expect(watcher.client.log.some(event => event.type === 'presence' || event.type === 'typing' || event.type === 'system')).toBe(false)
    // A follower is not in the room's list, so it cannot show as typing there either.
    watcher.client.send({ type: 'typing', room })
    expect(await watcher.client.nextOfType('error')).toMatchObject({ code: 'not_joined', ref: room })
    // And the room never heard of the follower.
    expect(alice.client.log.some(event => (event.type === 'system' && event.user.id === watcher.user.id)
      || (event.type === 'presence' && event.users.some(entry => entry.user.id === watcher.user.id)))).toBe(false)
  })

  it('resumes a followed room after a seq like a present join', async () => {
    const { cookie } = await signIn(baseURL, uniqueName('owner'))
    const room = await createRoom(baseURL, cookie)
    const alice = await connectedUser(baseURL, 'alice', room)
    for (const text of ['one', 'two', 'three']) alice.client.send({ type: 'chat', room, text, clientId: `resume-${text}` })
    for (let index = 0; index < 3; index++) await alice.client.nextOfType('ack')

    const { cookie: followerCookie } = await signIn(baseURL, uniqueName('follower'))
    const client = await ChatClient.connect(baseURL, followerCookie)
    client.send({ type: 'join', room, after: 1, follow: true })
    expect(await client.nextOfType('joined', event => event.room === room)).toMatchObject({ lastSeq: 3, recovered: true })
    expect(client.log.filter(event => event.type === 'chat').map(event => event.type === 'chat' && event.text)).toEqual(['two', 'three'])
  })

  it('switches to present with a plain join (snapshot, announced) and back with follow (announced as a leave)', async () => {
    const { cookie } = await signIn(baseURL, uniqueName('owner'))
    const room = await createRoom(baseURL, cookie)
    const alice = await connectedUser(baseURL, 'alice', room)
    const bob = await follower(room)

    bob.client.send({ type: 'join', room })
    const snapshot = await bob.client.nextOfType('presence', event => event.snapshot)
    expect(snapshot.users.map(entry => entry.user.id).sort()).toEqual([alice.user.id, bob.user.id].sort())
    expect(await alice.client.nextOfType('system', event => event.user.id === bob.user.id)).toMatchObject({ kind: 'join' })
    expect(await alice.client.nextOfType('presence', event => event.users[0]?.user.id === bob.user.id)).toMatchObject({ users: [{ state: 'online' }] })

    bob.client.send({ type: 'join', room, follow: true })
    expect(await alice.client.nextOfType('system', event => event.user.id === bob.user.id)).toMatchObject({ kind: 'leave' })
    expect(await alice.client.nextOfType('presence', event => event.users[0]?.user.id === bob.user.id)).toMatchObject({ users: [{ state: 'offline' }] })

    // Still following: messages keep coming.
    alice.client.send({ type: 'chat', room, text: 'still there?', clientId: 'switch-1' })
    expect(await bob.client.nextOfType('chat', event => event.text === 'still there?')).toMatchObject({ room })
  })

  it('counts followed rooms toward the rooms a connection may be in', async () => {
    const { cookie } = await signIn(baseURL, uniqueName('owner'))
    const rooms = await Promise.all(Array.from({ length: 51 }, () => createRoom(baseURL, cookie, 'cap')))
    const client = await ChatClient.connect(baseURL, cookie)
    const welcome = client.log.find(event => event.type === 'welcome')
    const max = welcome?.type === 'welcome' ? welcome.limits.maxRoomsPerConnection : 0
    expect(max).toBe(50)
    for (const room of rooms.slice(0, max)) client.send({ type: 'join', room, follow: true })
    for (const room of rooms.slice(0, max)) await client.nextOfType('joined', event => event.room === room)
    client.send({ type: 'join', room: rooms[max], follow: true })
    expect(await client.nextOfType('error')).toMatchObject({ code: 'too_many_rooms', ref: rooms[max] })
  })
})
