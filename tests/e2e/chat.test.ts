import { describe, expect, inject, it } from 'vitest'
import { connectedUser, createRoom } from './support/client'
import { closeSocketsAfterEach } from './support/open-sockets'

closeSocketsAfterEach()

const baseURL = inject('baseURL')

const signedInClient = (prefix: string) => connectedUser(baseURL, prefix)

function postMessage(cookie: string, room: string, text: string, clientId: string) {
  return fetch(`${baseURL}/api/rooms/${room}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ text, clientId }),
  })
}

describe('chatting over the socket', () => {
  it('acks the sender and broadcasts to every member, the sender included, with the session user as author', async () => {
    const alice = await signedInClient('alice')
    const bob = await signedInClient('bob')
    const room = await createRoom(baseURL, alice.cookie)
    await alice.client.join(room)
    await bob.client.join(room)

    alice.client.send({ type: 'chat', room, text: 'hello bob', clientId: 'm1', user: { id: 'forged', name: 'mallory' } })
    const ack = await alice.client.nextOfType('ack', event => event.clientId === 'm1')
    const atBob = await bob.client.nextOfType('chat', event => event.clientId === 'm1')
    const atAlice = await alice.client.nextOfType('chat', event => event.clientId === 'm1')

    expect(atBob).toEqual(atAlice)
    expect(atBob).toMatchObject({ room, text: 'hello bob', user: alice.user, seq: 1, id: ack.id, ts: ack.ts })
    expect(ack).toMatchObject({ seq: 1 })
  })

  it('gives a room strictly increasing seqs with no gaps, in the same order for every member', async () => {
    const alice = await signedInClient('alice')
    const bob = await signedInClient('bob')
    const room = await createRoom(baseURL, alice.cookie)
    await alice.client.join(room)
    await bob.client.join(room)

    const count = 30
    for (let index = 0; index < count; index++) {
      const sender = index % 2 === 0 ? alice.client : bob.client
      sender.send({ type: 'chat', room, text: `message ${index}`, clientId: `order-${index}` })
    }
    for (const client of [alice.client, bob.client]) {
      await client.nextOfType('chat', event => event.seq === count)
      const seqs = client.log.filter(event => event.type === 'chat').map(event => event.type === 'chat' && event.seq)
      expect(seqs).toEqual(Array.from({ length: count }, (_, index) => index + 1))
    }
    // Each connection's messages keep the order they were sent in.
    const aliceTexts = alice.client.log.flatMap(event => event.type === 'chat' && event.user.id === alice.user.id ? [event.text] : [])
    expect(aliceTexts).toEqual(Array.from({ length: count / 2 }, (_, index) => `message ${index * 2}`))
  })

  it('keeps ids unique across rooms while each room counts its own seq', async () => {
    const { cookie, client } = await signedInClient('frank')
    const first = await createRoom(baseURL, cookie)
    const second = await createRoom(baseURL, cookie)
    await client.join(first)
    await client.join(second)
    client.send({ type: 'chat', room: first, text: 'one', clientId: 'x1' })
    client.send({ type: 'chat', room: second, text: 'two', clientId: 'x2' })
    const a = await client.nextOfType('ack', event => event.clientId === 'x1')
    const b = await client.nextOfType('ack', event => event.clientId === 'x2')
    expect(a.seq).toBe(1)
    expect(b.seq).toBe(1)
    expect(a.id).not.toBe(b.id)
  })

  it('does not deliver a room\'s messages to a socket that has not joined it', async () => {
    const alice = await signedInClient('alice')
    const bob = await signedInClient('bob')
    const room = await createRoom(baseURL, alice.cookie)
    const other = await createRoom(baseURL, alice.cookie)
    await alice.client.join(room)
    await bob.client.join(other)
    alice.client.send({ type: 'chat', room, text: 'private-ish', clientId: 'p1' })
    await alice.client.nextOfType('ack')
    // Bob's next event proves the server has handled everything before it on his socket.
    bob.client.send({ type: 'chat', room: other, text: 'marker', clientId: 'p2' })
    await bob.client.nextOfType('ack', event => event.clientId === 'p2')
    expect(bob.client.log.some(event => event.type === 'chat' && event.clientId === 'p1')).toBe(false)
  })

  it('announces a user\'s join and leave to the room', async () => {
    const alice = await signedInClient('alice')
    const bob = await signedInClient('bob')
    const room = await createRoom(baseURL, alice.cookie)
    await alice.client.join(room)
    await bob.client.join(room)
    expect(await alice.client.nextOfType('system', event => event.kind === 'join' && event.user.id === bob.user.id)).toMatchObject({ room })
    bob.client.send({ type: 'leave', room })
    await bob.client.nextOfType('left', event => event.room === room)
    expect(await alice.client.nextOfType('system', event => event.kind === 'leave')).toMatchObject({ room, user: bob.user })
  })
})

describe('REST and WebSocket side by side', () => {
  it('delivers a message posted over REST to the room\'s socket members', async () => {
    const alice = await signedInClient('alice')
    const bob = await signedInClient('bob')
    const room = await createRoom(baseURL, alice.cookie)
    await bob.client.join(room)
    const response = await postMessage(alice.cookie, room, 'via rest', 'r1')
    expect(response.status).toBe(201)
    const ack = await response.json()
    expect(ack).toMatchObject({ type: 'ack', clientId: 'r1', seq: 1 })
    expect(await bob.client.nextOfType('chat', event => event.clientId === 'r1')).toMatchObject({ id: ack.id, text: 'via rest', user: alice.user })
  })

  it('stores a repeated (user, clientId) once and acks it again with the same id and seq, over socket or REST', async () => {
    const alice = await signedInClient('alice')
    const bob = await signedInClient('bob')
    const room = await createRoom(baseURL, alice.cookie)
    await alice.client.join(room)
    await bob.client.join(room)

    alice.client.send({ type: 'chat', room, text: 'once', clientId: 'dup' })
    const first = await alice.client.nextOfType('ack', event => event.clientId === 'dup')
    alice.client.send({ type: 'chat', room, text: 'once', clientId: 'dup' })
    const second = await alice.client.nextOfType('ack', event => event.clientId === 'dup')
    const viaRest = await (await postMessage(alice.cookie, room, 'once', 'dup')).json()
    expect(second).toEqual(first)
    expect(viaRest).toEqual(first)

    // The same clientId from another user is a different message.
    bob.client.send({ type: 'chat', room, text: 'mine', clientId: 'dup' })
    expect((await bob.client.nextOfType('ack', event => event.clientId === 'dup')).seq).toBe(2)

    const history = await (await fetch(`${baseURL}/api/rooms/${room}/messages`, { headers: { cookie: alice.cookie } })).json()
    expect(history.messages.map((message: { clientId: string, seq: number }) => message.seq)).toEqual([1, 2])
    // Bob heard the first message once.
    expect(bob.client.log.filter(event => event.type === 'chat' && event.clientId === 'dup' && event.seq === 1)).toHaveLength(1)
  })
})
