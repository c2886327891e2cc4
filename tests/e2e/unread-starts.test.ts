import { describe, expect, inject, it } from 'vitest'
import type { RoomList } from '#shared/protocol'
import { createRoom, signIn, uniqueName } from './support/client'
import { jsonCaller } from './support/rest'

const baseURL = inject('baseURL')
const call = jsonCaller(() => baseURL)

type Person = Awaited<ReturnType<typeof signIn>>
const roomsOf = async (person: Person) => {
  const answer = await call('GET', '/api/rooms', person.cookie)
  expect(answer.status).toBe(200)
  return answer.body as RoomList
}
const say = async (person: Person, room: string, text = 'hello') => {
  const answer = await call('POST', `/api/rooms/${room}/messages`, person.cookie, { text, clientId: uniqueName('c') })
  expect(answer.status).toBe(201)
  return answer.body as { id: string, seq: number }
}
const read = async (person: Person, room: string, seq: number) =>
  expect((await call('PUT', `/api/rooms/${room}/read`, person.cookie, { seq })).status).toBe(200)

/**
 * Where unread starts in a room never read (first sights): kept on the server, so what came while the reader was
 * away, and what comes after they first saw a room, is still unread after a reload and on another device.
 */
describe('unread in rooms never read', () => {
  it('counts a direct message sent while its reader was away, and its @mention, through reloads, until it is read', async () => {
    const alice = await signIn(baseURL, uniqueName('alice'))
    const bob = await signIn(baseURL, uniqueName('bob'))
    const dm = (await call('POST', '/api/dms', alice.cookie, { username: bob.user.username })).body.room.name as string
    await say(alice, dm, 'are you there?')
    const mention = await say(alice, dm, `@${bob.user.username} the numbers`)

    for (const reload of [1, 2]) {
      const list = await roomsOf(bob)
      expect({ reload, from: list.unreadFrom?.[dm], last: list.lastSeq[dm], read: list.read[dm] }).toEqual({ reload, from: 0, last: mention.seq, read: undefined })
      expect(list.mentions?.[dm]).toEqual([{ id: mention.id, seq: mention.seq }])
    }
    // The first real read takes the first sight's place.
    await read(bob, dm, mention.seq)
    const after = await roomsOf(bob)
    expect({ from: after.unreadFrom?.[dm], read: after.read[dm], mentions: after.mentions?.[dm] }).toEqual({ from: undefined, read: mention.seq, mentions: undefined })
  })

  it('counts a room that was there before the account from its first sight, and a newer one from its start', async () => {
    const alice = await signIn(baseURL, uniqueName('alice'))
    const older = await createRoom(baseURL, alice.cookie, 'older')
    for (const text of ['one', 'two', 'three']) await say(alice, older, text)
    const bob = await signIn(baseURL, uniqueName('bob'))
    expect((await roomsOf(bob)).unreadFrom?.[older]).toBe(3)

    // Bob is away (no tab open): the two that come now are his unread ones after a reload.
    await say(alice, older, 'four')
    await say(alice, older, 'five')
    const newer = await createRoom(baseURL, alice.cookie, 'newer')
    await say(alice, newer, 'first of the new room')
    const list = await roomsOf(bob)
    expect({ older: [list.unreadFrom?.[older], list.lastSeq[older]], newer: [list.unreadFrom?.[newer], list.lastSeq[newer]] })
      .toEqual({ older: [3, 5], newer: [0, 1] })
  })

  it('counts a newcomer to a private room from when they were added, says nobody "Seen" for it, and stops with the membership', async () => {
    const alice = await signIn(baseURL, uniqueName('alice'))
    const bob = await signIn(baseURL, uniqueName('bob'))
    const crew = (await call('POST', '/api/rooms', alice.cookie, { name: uniqueName('crew'), private: true, members: [] })).body.room.name as string
    for (const text of ['before', 'bob', 'came']) await say(alice, crew, text)
    expect((await call('POST', `/api/rooms/${crew}/members`, alice.cookie, { username: bob.user.username })).status).toBe(200)
    await say(alice, crew, 'welcome bob')

    const list = await roomsOf(bob)
    expect({ from: list.unreadFrom?.[crew], last: list.lastSeq[crew] }).toEqual({ from: 3, last: 4 })
    expect((await call('GET', `/api/rooms/${crew}/receipts`, alice.cookie)).body).toEqual({ receipts: [] })

    const removed = await fetch(`${baseURL}/api/rooms/${crew}/members/${bob.user.id}`, { method: 'DELETE', headers: { origin: baseURL, cookie: alice.cookie } })
    expect(removed.status).toBe(204)
    expect(Object.keys((await roomsOf(bob)).unreadFrom ?? {})).not.toContain(crew)
  })
})
