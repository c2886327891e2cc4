import { describe, expect, inject, it } from 'vitest'
import { ChatClient, createRoom, signIn, uniqueName } from './support/client'
import { closeSocketsAfterEach } from './support/open-sockets'
import { expectRefusal } from './support/rest'

closeSocketsAfterEach()

const baseURL = inject('baseURL')

async function roomList(cookie: string) {
  return (await fetch(`${baseURL}/api/rooms`, { headers: { cookie } })).json() as Promise<{ lastSeq: Record<string, number>, read: Record<string, number>, threadOnly: Record<string, number[]> }>
}

async function post(cookie: string, room: string, body: Record<string, unknown>) {
  const response = await fetch(`${baseURL}/api/rooms/${room}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ clientId: uniqueName('c'), ...body }),
  })
  return (await response.json()) as { id: string, seq: number }
}

describe('read markers', () => {
  it('are stored per user and room, never move back, follow the user to every tab, and feed the room list', async () => {
    const alice = await signIn(baseURL, uniqueName('alice'))
    const bob = await signIn(baseURL, uniqueName('bob'))
    const room = await createRoom(baseURL, alice.cookie)
    for (let index = 1; index <= 3; index++) {
      await fetch(`${baseURL}/api/rooms/${room}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: alice.cookie },
        body: JSON.stringify({ text: `m${index}`, clientId: `m${index}` }),
      })
    }
    const before = await roomList(bob.cookie)
    expect(before.lastSeq[room]).toBe(3)
    expect(before.read[room]).toBeUndefined()

    const tab1 = await ChatClient.connect(baseURL, bob.cookie)
    const tab2 = await ChatClient.connect(baseURL, bob.cookie)
    const aliceSocket = await ChatClient.connect(baseURL, alice.cookie)
    tab1.send({ type: 'read', room, seq: 2 })
    expect(await tab2.nextOfType('read')).toEqual({ type: 'read', room, seq: 2 })
    expect(await tab1.nextOfType('read')).toEqual({ type: 'read', room, seq: 2 })
    tab1.send({ type: 'read', room, seq: 1 })
    expect(await tab1.nextOfType('read')).toEqual({ type: 'read', room, seq: 2 })
    tab1.send({ type: 'read', room, seq: 99 })
    expect(await tab1.nextOfType('read')).toEqual({ type: 'read', room, seq: 3 })
    expect((await roomList(bob.cookie)).read[room]).toBe(3)
    // Nobody else hears of bob's reading.
    aliceSocket.send({ type: 'read', room, seq: 1 })
    await aliceSocket.nextOfType('read')
    expect(aliceSocket.log.filter(event => event.type === 'read')).toEqual([{ type: 'read', room, seq: 1 }])

    tab1.send({ type: 'read', room: 'no-such-room', seq: 1 })
    expect(await tab1.nextOfType('error')).toMatchObject({ code: 'unknown_room' })
  })

  it('can be moved over REST too', async () => {
    const { cookie } = await signIn(baseURL, uniqueName('carol'))
    const room = await createRoom(baseURL, cookie)
    await fetch(`${baseURL}/api/rooms/${room}/messages`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ text: 'x', clientId: 'x' }) })
    const response = await fetch(`${baseURL}/api/rooms/${room}/read`, { method: 'PUT', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ seq: 1 }) })
    expect(await response.json()).toEqual({ room, seq: 1 })
    expect((await roomList(cookie)).read[room]).toBe(1)
    const bad = fetch(`${baseURL}/api/rooms/${room}/read`, { method: 'PUT', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ seq: -1 }) })
    await expectRefusal(bad, 400, 'invalid_event')
  })

  it('feed the room list with the thread-only replies since, and only of rooms the reader still sees', async () => {
    const alice = await signIn(baseURL, uniqueName('alice'))
    const bob = await signIn(baseURL, uniqueName('bob'))
    const room = uniqueName('secret')
    const created = await fetch(`${baseURL}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: alice.cookie }, body: JSON.stringify({ name: room, private: true, members: [bob.user.name] }) })
    expect(created.status).toBe(201)
    const root = await post(alice.cookie, room, { text: 'plan?' })
    await fetch(`${baseURL}/api/rooms/${room}/read`, { method: 'PUT', headers: { 'content-type': 'application/json', cookie: bob.cookie }, body: JSON.stringify({ seq: root.seq }) })
    const hidden = await post(alice.cookie, room, { text: 'in the thread only', threadId: root.id })
    await post(alice.cookie, room, { text: 'and the room', threadId: root.id, alsoToRoom: true })
    const listed = await roomList(bob.cookie)
    expect(listed.lastSeq[room]).toBe(3)
    expect(listed.threadOnly[room]).toEqual([hidden.seq])
    // Taken out of the room, bob learns nothing more of it, his old marker notwithstanding.
    const removed = await fetch(`${baseURL}/api/rooms/${room}/members/${bob.user.id}`, { method: 'DELETE', headers: { cookie: alice.cookie } })
    expect(removed.status).toBe(204)
    await post(alice.cookie, room, { text: 'after bob left', threadId: root.id })
    const after = await roomList(bob.cookie)
    expect(after.lastSeq[room]).toBeUndefined()
    expect(after.threadOnly[room]).toBeUndefined()
  })
})
