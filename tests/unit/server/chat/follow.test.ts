import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ServerEvent } from '#shared/protocol'
import { createMemoryBus } from '#server/utils/bus/memory'
import { ChatService } from '#server/utils/chat/chat-service'
import { Hub } from '#server/utils/chat/hub'
import { DEFAULT_LIMITS } from '#server/utils/chat/limits'
import { ScaleOutFanOut } from '#server/utils/fan-out/scale-out'
import { handleFrame } from '#server/utils/socket/frame-handler'
import { createSqliteStorage } from '#server/utils/storage/sqlite'
import type { ChatStorage } from '#server/utils/storage/types'
import { flushed, localChat, recordingConnection } from '../support/chat'

const alice = { id: 'a', name: 'alice', username: 'alice' }
const bob = { id: 'b', name: 'bob', username: 'bob' }

/** Everything `user` is told about in `room`, by type. */
const about = (events: ServerEvent[], type: ServerEvent['type'], userId: string) =>
  events.filter(event => event.type === type && (
    (event.type === 'system' && event.user.id === userId)
    || (event.type === 'typing' && event.user.id === userId)
    || (event.type === 'presence' && event.users.some(entry => entry.user.id === userId))
  ))

describe('following a room', () => {
  let storage: ChatStorage
  let chat: ChatService

  beforeEach(async () => {
    storage = createSqliteStorage(':memory:')
    chat = localChat(storage, { ...DEFAULT_LIMITS, maxRoomsPerConnection: 2 })
    await chat.ensureDefaultRoom()
  })
  afterEach(() => storage.close())

  it('delivers the room\'s messages and their changes, but no presence, typing or join lines, and is absent from presence', async () => {
    const present = recordingConnection('p', alice)
    const follower = recordingConnection('f', bob)
    for (const peer of [present, follower]) chat.connect(peer.connection)
    await chat.join(present.connection, 'general')
    await handleFrame(chat, follower.connection, JSON.stringify({ type: 'join', room: 'general', follow: true }))
    await handleFrame(chat, present.connection, JSON.stringify({ type: 'typing', room: 'general' }))
    const { message } = await chat.postMessage(alice, 'general', 'hello', 'c1')
    await chat.changeMessage(alice, { type: 'edit', room: 'general', id: message.id, text: 'hello!' })
    await handleFrame(chat, follower.connection, JSON.stringify({ type: 'typing', room: 'general' }))
    await flushed()

    expect(follower.events().map(event => event.type)).toEqual(['joined', 'chat', 'update', 'error'])
    expect(follower.events().at(-1)).toMatchObject({ type: 'error', code: 'not_joined' })
    expect(chat.presence.snapshot('general')).toEqual([{ user: alice, state: 'online' }])
    for (const type of ['system', 'presence', 'typing'] as const) expect(about(present.events(), type, bob.id)).toEqual([])
  })

  it('becomes present on a join without follow, and steps back on one with it, announcing each once', async () => {
    const present = recordingConnection('p', alice)
    const tab = recordingConnection('t', bob)
    for (const peer of [present, tab]) chat.connect(peer.connection)
    await chat.join(present.connection, 'general')
    await chat.join(tab.connection, 'general', undefined, true)
    await chat.join(tab.connection, 'general')
    await flushed()
    const snapshots = () => tab.events().filter(event => event.type === 'presence' && event.snapshot)
    expect(snapshots()).toEqual([
      { type: 'presence', room: 'general', snapshot: true, users: [{ user: alice, state: 'online' }, { user: bob, state: 'online' }] },
    ])
    expect(about(present.events(), 'system', bob.id)).toMatchObject([{ kind: 'join' }])
    expect(about(present.events(), 'presence', bob.id)).toMatchObject([{ users: [{ user: bob, state: 'online' }] }])

    await chat.join(tab.connection, 'general', undefined, true)
    await flushed()
    expect(about(present.events(), 'system', bob.id)).toMatchObject([{ kind: 'join' }, { kind: 'leave' }])
    expect(about(present.events(), 'presence', bob.id).at(-1)).toMatchObject({ users: [{ user: bob, state: 'offline' }] })
    expect(chat.presence.snapshot('general')).toEqual([{ user: alice, state: 'online' }])
    // Stepping back sent no second snapshot; leaving or closing a followed room announces nothing.
    expect(snapshots()).toHaveLength(1)
    chat.disconnect(tab.connection)
    await flushed()
    expect(about(present.events(), 'system', bob.id)).toHaveLength(2)
  })

  it('counts followed rooms toward the rooms a connection may be in', async () => {
    await chat.createRoom('plans', alice)
    await chat.createRoom('later', alice)
    const peer = recordingConnection('p', alice, { ...DEFAULT_LIMITS, maxRoomsPerConnection: 2 })
    chat.connect(peer.connection)
    await chat.join(peer.connection, 'general', undefined, true)
    await chat.join(peer.connection, 'plans', undefined, true)
    await handleFrame(chat, peer.connection, JSON.stringify({ type: 'join', room: 'later', follow: true }))
    await handleFrame(chat, peer.connection, JSON.stringify({ type: 'join', room: 'plans' }))
    await flushed()
    expect(peer.events().filter(event => event.type === 'error')).toMatchObject([{ code: 'too_many_rooms', ref: 'later' }])
    expect(peer.events().filter(event => event.type === 'joined').map(event => event.type === 'joined' && event.room)).toEqual(['general', 'plans', 'plans'])
  })
})

describe('following a room, with several instances', () => {
  it('leaves a follower out of presence on every instance', async () => {
    const storage = createSqliteStorage(':memory:')
    const bus = createMemoryBus()
    const instances = [0, 1].map(() => {
      const hub = new Hub()
      return new ChatService(storage, DEFAULT_LIMITS, new ScaleOutFanOut(hub, bus, storage, DEFAULT_LIMITS))
    })
    const [first, second] = instances as [ChatService, ChatService]
    await first.ensureDefaultRoom()
    const present = recordingConnection('p', alice)
    const follower = recordingConnection('f', bob)
    first.connect(present.connection)
    second.connect(follower.connection)
    await first.join(present.connection, 'general')
    await second.join(follower.connection, 'general', undefined, true)
    await first.postMessage(alice, 'general', 'across', 'x1')
    await flushed()
    for (const chat of instances) expect(chat.presence.snapshot('general')).toEqual([{ user: alice, state: 'online' }])
    expect(follower.events().map(event => event.type)).toEqual(['joined', 'chat'])
    expect(about(present.events(), 'presence', bob.id)).toEqual([])
    expect(about(present.events(), 'system', bob.id)).toEqual([])

    await second.join(follower.connection, 'general')
    await flushed()
    expect(first.presence.snapshot('general')).toEqual([{ user: alice, state: 'online' }, { user: bob, state: 'online' }])
    for (const chat of instances) chat.hub.closeAll(1001, 'done')
    await storage.close()
  })
})
