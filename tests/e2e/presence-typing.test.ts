import { describe, expect, inject, it } from 'vitest'
import { ChatClient, connectedUser, createRoom, signIn, uniqueName } from './support/client'
import { closeSocketsAfterEach } from './support/open-sockets'

closeSocketsAfterEach()

const baseURL = inject('baseURL')

const member = (prefix: string, room: string) => connectedUser(baseURL, prefix, room)

describe('presence', () => {
  it('sends a snapshot after joined, then deltas; several tabs count once; away when every tab is hidden', async () => {
    const { cookie } = await signIn(baseURL, uniqueName('owner'))
    const room = await createRoom(baseURL, cookie)
    const alice = await member('alice', room)
    expect(await alice.client.nextOfType('presence', event => event.snapshot)).toEqual({
      type: 'presence', room, snapshot: true, users: [{ user: alice.user, state: 'online' }],
    })

    const bob = await member('bob', room)
    const snapshot = await bob.client.nextOfType('presence', event => event.snapshot)
    expect(snapshot.users.map(entry => entry.user.name).sort()).toEqual([alice.user.name, bob.user.name].sort())
    expect(await alice.client.nextOfType('presence', event => event.users[0]?.user.id === bob.user.id)).toMatchObject({ snapshot: false, users: [{ state: 'online' }] })

    // Bob's second tab changes nothing for alice; hiding one tab neither; hiding both makes him away.
    const bobTab2 = await ChatClient.connect(baseURL, bob.cookie)
    await bobTab2.join(room)
    bob.client.send({ type: 'visibility', visible: false })
    bobTab2.send({ type: 'visibility', visible: false })
    expect(await alice.client.nextOfType('presence', event => event.users[0]?.user.id === bob.user.id)).toMatchObject({ users: [{ state: 'away' }] })
    bobTab2.send({ type: 'visibility', visible: true })
    expect(await alice.client.nextOfType('presence', event => event.users[0]?.user.id === bob.user.id)).toMatchObject({ users: [{ state: 'online' }] })

    bob.client.close()
    bobTab2.close()
    expect(await alice.client.nextOfType('presence', event => event.users[0]?.user.id === bob.user.id && event.users[0]?.state === 'offline')).toBeTruthy()
    // Bob came online twice for alice (arriving, and back from away): his second tab was not an arrival.
    const bobOnline = alice.client.log.filter(event => event.type === 'presence' && !event.snapshot && event.users[0]?.user.id === bob.user.id && event.users[0]?.state === 'online')
    expect(bobOnline).toHaveLength(2)
  })

  it('tells nothing about a room to someone not in it', async () => {
    const { cookie } = await signIn(baseURL, uniqueName('owner'))
    const room = await createRoom(baseURL, cookie)
    const other = await createRoom(baseURL, cookie)
    const outsider = await member('outsider', other)
    const alice = await member('alice', room)
    alice.client.send({ type: 'typing', room })
    alice.client.send({ type: 'chat', room, text: 'marker', clientId: 'marker' })
    await alice.client.nextOfType('ack')
    outsider.client.send({ type: 'chat', room: other, text: 'marker', clientId: 'own-marker' })
    await outsider.client.nextOfType('ack')
    expect(outsider.client.log.filter(event => 'room' in event && event.room === room)).toEqual([])
  })
})

describe('typing', () => {
  it('announces typing to the room, and its stop when the message arrives', async () => {
    const { cookie } = await signIn(baseURL, uniqueName('owner'))
    const room = await createRoom(baseURL, cookie)
    const alice = await member('alice', room)
    const bob = await member('bob', room)
    alice.client.send({ type: 'typing', room })
    expect(await bob.client.nextOfType('typing')).toEqual({ type: 'typing', room, user: alice.user, active: true })
    alice.client.send({ type: 'typing', room })
    alice.client.send({ type: 'chat', room, text: 'done typing', clientId: 't1' })
    expect(await bob.client.nextOfType('typing')).toEqual({ type: 'typing', room, user: alice.user, active: false })
    // One start for two typing events: the second only pushed the expiry back.
    expect(bob.client.log.filter(event => event.type === 'typing' && event.active)).toHaveLength(1)
  })

  it('stops by itself 5 s after the last typing event', async () => {
    const { cookie } = await signIn(baseURL, uniqueName('owner'))
    const room = await createRoom(baseURL, cookie)
    const alice = await member('alice', room)
    const bob = await member('bob', room)
    alice.client.send({ type: 'typing', room })
    await bob.client.nextOfType('typing', event => event.active)
    const started = Date.now()
    await bob.client.nextOfType('typing', event => !event.active, 8000)
    expect(Date.now() - started).toBeGreaterThanOrEqual(4500)
  }, 12_000)

  it('refuses typing in a room not joined', async () => {
    const { cookie } = await signIn(baseURL, uniqueName('owner'))
    const room = await createRoom(baseURL, cookie)
    const client = await ChatClient.connect(baseURL, cookie)
    client.send({ type: 'typing', room })
    expect(await client.nextOfType('error')).toMatchObject({ code: 'not_joined', ref: room })
  })
})
