import { describe, expect, inject, it } from 'vitest'
import { ChatClient, signIn, uniqueName } from './support/client'
import { closeSocketsAfterEach } from './support/open-sockets'
import { expectRefusal } from './support/rest'

closeSocketsAfterEach()

const baseURL = inject('baseURL')

const json = (cookie: string, body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(body) })

async function listedRooms(cookie: string): Promise<{ name: string, kind?: string, members?: { name: string }[] }[]> {
  return (await (await fetch(`${baseURL}/api/rooms`, { headers: { cookie } })).json()).rooms
}

describe('private rooms and direct messages', () => {
  it('show a non-member nothing: not the room, its history, its messages, its presence, typing or mentions', async () => {
    const alice = await signIn(baseURL, uniqueName('alice'))
    const bob = await signIn(baseURL, uniqueName('bob'))
    const eve = await signIn(baseURL, uniqueName('eve'))
    const eveSocket = await ChatClient.connect(baseURL, eve.cookie)
    await eveSocket.join('general')
    const bobSocket = await ChatClient.connect(baseURL, bob.cookie)
    const room = uniqueName('secret')

    const created = await fetch(`${baseURL}/api/rooms`, json(alice.cookie, { name: room, private: true, members: [bob.user.name] }))
    expect(created.status).toBe(201)
    expect((await created.json()).room).toMatchObject({ name: room, kind: 'private' })
    expect((await bobSocket.nextOfType('room', event => event.room.name === room)).room.members?.map(member => member.name).sort()).toEqual([alice.user.name, bob.user.name].sort())
    expect((await listedRooms(bob.cookie)).map(listed => listed.name)).toContain(room)
    expect((await listedRooms(eve.cookie)).map(listed => listed.name)).not.toContain(room)

    // Eve is refused everywhere.
    eveSocket.send({ type: 'join', room })
    expect(await eveSocket.nextOfType('error')).toMatchObject({ code: 'unknown_room', ref: room })
    await expectRefusal(fetch(`${baseURL}/api/rooms/${room}/messages`, { headers: { cookie: eve.cookie } }), 404, 'unknown_room')
    await expectRefusal(fetch(`${baseURL}/api/rooms/${room}/messages`, json(eve.cookie, { text: 'let me in', clientId: 'e1' })), 404, 'unknown_room')
    eveSocket.send({ type: 'read', room, seq: 0 })
    expect(await eveSocket.nextOfType('error')).toMatchObject({ code: 'unknown_room' })

    // The members talk, type and mention eve; she hears none of it.
    const aliceSocket = await ChatClient.connect(baseURL, alice.cookie)
    await aliceSocket.join(room)
    await bobSocket.join(room)
    aliceSocket.send({ type: 'typing', room })
    aliceSocket.send({ type: 'chat', room, text: `psst @${eve.user.name}`, clientId: 's1' })
    await bobSocket.nextOfType('chat', event => event.clientId === 's1')
    expect((await fetch(`${baseURL}/api/rooms/${room}/messages`, { headers: { cookie: bob.cookie } })).status).toBe(200)
    // A message of eve's own, acked, marks the point by which anything about the room would have reached her.
    eveSocket.send({ type: 'chat', room: 'general', text: 'still here', clientId: 'e2' })
    await eveSocket.nextOfType('ack')
    const leaked = eveSocket.log.filter(event => JSON.stringify(event).includes(room) && event.type !== 'error')
    expect(leaked).toEqual([])
    expect(eveSocket.log.some(event => event.type === 'notification')).toBe(false)
  })

  it('refuses a private room with a member nobody is signed in as', async () => {
    const alice = await signIn(baseURL, uniqueName('alice'))
    const created = fetch(`${baseURL}/api/rooms`, json(alice.cookie, { name: uniqueName('secret'), private: true, members: ['nobody-by-that-name'] }))
    await expectRefusal(created, 400, 'unknown_user')
  })

  it('open one direct conversation per pair, whoever starts it, visible to the two of them only', async () => {
    const alice = await signIn(baseURL, uniqueName('alice'))
    const bob = await signIn(baseURL, uniqueName('bob'))
    const eve = await signIn(baseURL, uniqueName('eve'))
    const first = await fetch(`${baseURL}/api/dms`, json(alice.cookie, { name: bob.user.name }))
    expect(first.status).toBe(201)
    const { room } = await first.json()
    expect(room).toMatchObject({ kind: 'dm' })
    const again = await (await fetch(`${baseURL}/api/dms`, json(bob.cookie, { name: alice.user.name.toUpperCase() }))).json()
    expect(again.room.name).toBe(room.name)
    const bobsView = (await listedRooms(bob.cookie)).find(listed => listed.name === room.name)
    expect(bobsView?.members?.map(member => member.name).sort()).toEqual([alice.user.name, bob.user.name].sort())
    expect((await listedRooms(eve.cookie)).some(listed => listed.name === room.name)).toBe(false)
    // A conversation's name follows from the two user ids: Eve's answer must not tell whether it exists.
    const answerTo = async (name: string) => {
      const answer = await fetch(`${baseURL}/api/rooms/${name}/messages`, { headers: { cookie: eve.cookie } })
      const { message, data } = await answer.json()
      return { status: answer.status, message, data }
    }
    const existing = await answerTo(room.name)
    expect(existing).toMatchObject({ status: 404, data: { code: 'unknown_room' } })
    expect(existing).toEqual(await answerTo(`dm-${'0'.repeat(room.name.length - 3)}`))
    await expectRefusal(fetch(`${baseURL}/api/dms`, json(alice.cookie, { name: 'nobody-by-that-name' })), 404, 'unknown_user')
    await expectRefusal(fetch(`${baseURL}/api/dms`, json(alice.cookie, { name: alice.user.name })), 400, 'invalid_event')
  })
})
