import { describe, expect, inject, it } from 'vitest'
import { ChatClient, createRoom, signIn, uniqueName } from './support/client'
import { closeSocketsAfterEach } from './support/open-sockets'
import { expectRefusal } from './support/rest'

closeSocketsAfterEach()

const baseURL = inject('baseURL')

async function roomList(cookie: string) {
  return (await fetch(`${baseURL}/api/rooms`, { headers: { cookie } })).json() as Promise<{ lastSeq: Record<string, number>, read: Record<string, number> }>
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
})
