import { describe, expect, inject, it } from 'vitest'
import { ChatClient, connectedUser, createRoom, signIn, uniqueName } from './support/client'
import { closeSocketsAfterEach } from './support/open-sockets'
import { expectRefusal } from './support/rest'

closeSocketsAfterEach()

const baseURL = inject('baseURL')

const member = (prefix: string, room: string) => connectedUser(baseURL, prefix, room)

async function history(cookie: string, room: string) {
  return (await (await fetch(`${baseURL}/api/rooms/${room}/messages`, { headers: { cookie } })).json()).messages
}

describe('editing, deleting and reacting', () => {
  it('lets the author edit and delete, shows everyone the result live and in history, and refuses others', async () => {
    const { cookie } = await signIn(baseURL, uniqueName('owner'))
    const room = await createRoom(baseURL, cookie)
    const alice = await member('alice', room)
    const bob = await member('bob', room)
    alice.client.send({ type: 'chat', room, text: 'tpyo', clientId: 'c1' })
    const { id, seq } = await alice.client.nextOfType('ack')

    bob.client.send({ type: 'edit', room, id, text: 'hijacked' })
    expect(await bob.client.nextOfType('error')).toMatchObject({ code: 'not_owner', ref: id })
    bob.client.send({ type: 'delete', room, id })
    expect(await bob.client.nextOfType('error')).toMatchObject({ code: 'not_owner', ref: id })

    alice.client.send({ type: 'edit', room, id, text: 'typo' })
    const edited = await bob.client.nextOfType('update')
    expect(edited.message).toMatchObject({ id, seq, text: 'typo', user: alice.user })
    expect(edited.message.editedAt).toBeGreaterThan(0)
    expect((await history(bob.cookie, room))[0]).toMatchObject({ id, text: 'typo', editedAt: edited.message.editedAt })

    bob.client.send({ type: 'react', room, id, emoji: '👍' })
    alice.client.send({ type: 'react', room, id, emoji: '👍' })
    alice.client.send({ type: 'react', room, id, emoji: '🎉' })
    await bob.client.nextOfType('update', event => event.message.reactions?.length === 2)
    expect((await history(bob.cookie, room))[0].reactions).toEqual([
      { emoji: '👍', userIds: [bob.user.id, alice.user.id] },
      { emoji: '🎉', userIds: [alice.user.id] },
    ])
    bob.client.send({ type: 'react', room, id, emoji: '👍' })
    // Bob's toggle removed his 👍 and left alice's.
    const untoggled = await bob.client.nextOfType('update', event => event.message.reactions?.[0]?.userIds.join() === alice.user.id)
    expect(untoggled.message.reactions).toEqual([{ emoji: '👍', userIds: [alice.user.id] }, { emoji: '🎉', userIds: [alice.user.id] }])

    alice.client.send({ type: 'delete', room, id })
    const tombstone = await bob.client.nextOfType('update', event => event.message.deletedAt !== undefined)
    expect(tombstone.message).toMatchObject({ id, seq, text: '' })
    expect(tombstone.message.reactions).toBeUndefined()
    bob.client.send({ type: 'react', room, id, emoji: '👍' })
    expect(await bob.client.nextOfType('error')).toMatchObject({ code: 'message_deleted' })
    expect((await history(bob.cookie, room))[0]).toMatchObject({ id, text: '', deletedAt: tombstone.message.deletedAt })
  })

  it('refuses unknown messages, messages of another room and rooms not joined', async () => {
    const { cookie } = await signIn(baseURL, uniqueName('owner'))
    const room = await createRoom(baseURL, cookie)
    const other = await createRoom(baseURL, cookie)
    const alice = await member('alice', room)
    await alice.client.join(other)
    alice.client.send({ type: 'chat', room, text: 'here', clientId: 'c1' })
    const { id } = await alice.client.nextOfType('ack')
    alice.client.send({ type: 'edit', room: other, id, text: 'elsewhere' })
    expect(await alice.client.nextOfType('error')).toMatchObject({ code: 'not_found' })
    alice.client.send({ type: 'edit', room, id: 'no-such-id', text: 'x' })
    expect(await alice.client.nextOfType('error')).toMatchObject({ code: 'not_found' })
    alice.client.send({ type: 'react', room, id, emoji: 'two words' })
    expect(await alice.client.nextOfType('error')).toMatchObject({ code: 'invalid_event' })
    const outsider = await ChatClient.connect(baseURL, cookie)
    outsider.send({ type: 'react', room, id, emoji: '👍' })
    expect(await outsider.nextOfType('error')).toMatchObject({ code: 'not_joined' })
  })

  it('works over REST with the same rules', async () => {
    const alice = await signIn(baseURL, uniqueName('alice'))
    const bob = await signIn(baseURL, uniqueName('bob'))
    const room = await createRoom(baseURL, alice.cookie)
    const posted = await (await fetch(`${baseURL}/api/rooms/${room}/messages`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: alice.cookie }, body: JSON.stringify({ text: 'hello', clientId: 'r1' }) })).json()
    const url = `${baseURL}/api/rooms/${room}/messages/${posted.id}`
    const json = (cookie: string, body: unknown) => ({ headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(body) })
    await expectRefusal(fetch(url, { method: 'PATCH', ...json(bob.cookie, { text: 'no' }) }), 403, 'not_owner')
    const edited = await fetch(url, { method: 'PATCH', ...json(alice.cookie, { text: 'hello there' }) })
    expect((await edited.json()).message).toMatchObject({ text: 'hello there' })
    const reacted = await fetch(`${url}/reactions`, { method: 'POST', ...json(bob.cookie, { emoji: '❤️' }) })
    expect((await reacted.json()).message.reactions).toEqual([{ emoji: '❤️', userIds: [bob.user.id] }])
    expect((await fetch(url, { method: 'DELETE', headers: { cookie: alice.cookie } })).status).toBe(200)
    await expectRefusal(fetch(url, { method: 'DELETE', headers: { cookie: alice.cookie } }), 409, 'message_deleted')
    await expectRefusal(fetch(`${baseURL}/api/rooms/${room}/messages/nope`, { method: 'DELETE', headers: { cookie: alice.cookie } }), 404, 'not_found')
  })
})
