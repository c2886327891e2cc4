import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ServerEvent, User, WorkspaceRole } from '#shared/protocol'
import type { Actor } from '#server/utils/accounts/policy'
import { nameSkeleton } from '#server/utils/accounts/name-rules'
import { createMemoryBus } from '#server/utils/bus/memory'
import { ChatError } from '#server/utils/chat/chat-error'
import { ChatService } from '#server/utils/chat/chat-service'
import { Hub } from '#server/utils/chat/hub'
import { DEFAULT_LIMITS } from '#server/utils/chat/limits'
import { ScaleOutFanOut } from '#server/utils/fan-out/scale-out'
import { handleFrame } from '#server/utils/socket/frame-handler'
import { createSqliteStorage } from '#server/utils/storage/sqlite'
import type { ChatStorage } from '#server/utils/storage/types'
import { flushed, localChat, recordingConnection } from '../support/chat'

/** Accounts in storage (the rules read each actor's workspace role there), as the wire user and the policy actor. */
async function account(storage: ChatStorage, username: string, role: Exclude<WorkspaceRole, 'owner'> = 'member'): Promise<{ user: User, actor: Actor }> {
  const id = `id-${username}`
  await storage.createAccount({ id, username, usernameKey: nameSkeleton(username), displayName: username, role, passwordHash: null, now: Date.now(), ownerIfFirst: false })
  return { user: { id, name: username, username }, actor: { id, role } }
}

const refusal = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error instanceof ChatError ? error.code : error)
const chatTexts = (events: ServerEvent[]) => events.flatMap(event => event.type === 'chat' ? [event.text] : [])

describe('room moderation rules', () => {
  let storage: ChatStorage
  let chat: ChatService
  let owner: Awaited<ReturnType<typeof account>>
  let bob: Awaited<ReturnType<typeof account>>
  let carol: Awaited<ReturnType<typeof account>>
  let admin: Awaited<ReturnType<typeof account>>

  beforeEach(async () => {
    storage = createSqliteStorage(':memory:')
    chat = localChat(storage)
    await chat.ensureDefaultRoom()
    owner = await account(storage, 'olive')
    bob = await account(storage, 'bob')
    carol = await account(storage, 'carol')
    admin = await account(storage, 'ada', 'admin')
    await chat.createRoom('lobby', owner.user)
    await chat.createRoom('secret', owner.user, { kind: 'private', members: [bob.user] })
  })
  afterEach(() => storage.close())

  describe('slow mode', () => {
    beforeEach(async () => {
      await chat.rooms.update(owner.actor, 'lobby', { slowModeSeconds: 60 })
    })

    it('refuses a member\'s second message within the interval, saying how long to wait, over REST and socket alike', async () => {
      await chat.postMessage(bob.user, 'lobby', 'first', 'b1')
      const refused = await chat.postMessage(bob.user, 'lobby', 'second', 'b2').catch((error: ChatError) => error)
      expect(refused).toBeInstanceOf(ChatError)
      expect((refused as ChatError).code).toBe('slow_mode')
      expect((refused as ChatError).retryAfter).toBeGreaterThan(55_000)
      expect((refused as ChatError).message).toMatch(/wait (59|60) s/)

      const socket = recordingConnection('1', bob.user)
      chat.connect(socket.connection)
      await chat.join(socket.connection, 'lobby')
      await handleFrame(chat, socket.connection, JSON.stringify({ type: 'chat', room: 'lobby', text: 'third', clientId: 'b3' }))
      await flushed()
      expect(socket.events().find(event => event.type === 'error')).toMatchObject({ code: 'slow_mode', ref: 'b3', retryAfter: expect.any(Number) })
      expect((await storage.messagesAfter('lobby', 0, 10)).map(message => message.text)).toEqual(['first'])
      // Another member is not slowed by bob's message.
      await chat.postMessage(carol.user, 'lobby', 'carol here', 'c1')
    })

    it('answers a retry of the stored message (same clientId) as a duplicate, not a refusal', async () => {
      const first = await chat.postMessage(bob.user, 'lobby', 'first', 'b1')
      const retry = await chat.postMessage(bob.user, 'lobby', 'first', 'b1')
      expect(retry).toEqual({ message: first.message, duplicate: true })
    })

    it('refuses the second of two messages sent at once, before either is stored', async () => {
      const outcomes = await Promise.allSettled([
        chat.postMessage(bob.user, 'lobby', 'one', 'b1'),
        chat.postMessage(bob.user, 'lobby', 'two', 'b2'),
      ])
      expect(outcomes.map(outcome => outcome.status)).toEqual(['fulfilled', 'rejected'])
      expect(await storage.lastSeq('lobby')).toBe(1)
    })

    it('does not slow the room\'s owner or an admin', async () => {
      for (const { user } of [owner, admin]) {
        await chat.postMessage(user, 'lobby', 'one', `${user.id}-1`)
        await chat.postMessage(user, 'lobby', 'two', `${user.id}-2`)
      }
      expect(await storage.lastSeq('lobby')).toBe(4)
    })

    it('ends when set to 0, on this instance at once', async () => {
      await chat.postMessage(bob.user, 'lobby', 'one', 'b1')
      await chat.rooms.update(owner.actor, 'lobby', { slowModeSeconds: 0 })
      await chat.postMessage(bob.user, 'lobby', 'two', 'b2')
      expect(await storage.lastSeq('lobby')).toBe(2)
    })
  })

  describe('topic and slow mode changes', () => {
    it('lets the owner and an admin change them, refuses anyone else, tells everyone and audits', async () => {
      const watcher = recordingConnection('w', carol.user)
      chat.connect(watcher.connection)
      expect(await chat.rooms.update(owner.actor, 'lobby', { topic: 'Friday plans' })).toMatchObject({ topic: 'Friday plans' })
      expect(await chat.rooms.update(admin.actor, 'lobby', { slowModeSeconds: 10 })).toMatchObject({ topic: 'Friday plans', slowModeSeconds: 10 })
      expect(await refusal(chat.rooms.update(bob.actor, 'lobby', { topic: 'mine now' }))).toBe('forbidden')
      // A member of a private room is not its owner either.
      expect(await refusal(chat.rooms.update(bob.actor, 'secret', { topic: 'x' }))).toBe('forbidden')
      await flushed()
      expect(watcher.events().filter(event => event.type === 'room')).toEqual([
        { type: 'room', room: expect.objectContaining({ name: 'lobby', topic: 'Friday plans' }) },
        { type: 'room', room: expect.objectContaining({ name: 'lobby', topic: 'Friday plans', slowModeSeconds: 10 }) },
      ])
      expect((await storage.getRoom('lobby'))?.topic).toBe('Friday plans')
      const entries = await storage.listAudit(10)
      expect(entries.map(entry => [entry.action, entry.actorId, entry.targetId])).toEqual([
        ['room.updated', admin.user.id, 'lobby'],
        ['room.updated', owner.user.id, 'lobby'],
      ])
    })

    it('tells only the members of a private room about its new topic', async () => {
      const member = recordingConnection('m', bob.user)
      const outsider = recordingConnection('o', carol.user)
      chat.connect(member.connection)
      chat.connect(outsider.connection)
      await chat.rooms.update(owner.actor, 'secret', { topic: 'hush' })
      await flushed()
      expect(member.events()).toEqual([{ type: 'room', room: expect.objectContaining({ name: 'secret', topic: 'hush', members: expect.any(Array) }) }])
      expect(outsider.events()).toEqual([])
    })
  })

  describe('moderator delete', () => {
    it('lets the room\'s owner and an admin delete anyone\'s message, marked and audited; others get not_owner', async () => {
      const first = await chat.postMessage(bob.user, 'lobby', 'spam', 'b1')
      const second = await chat.postMessage(bob.user, 'lobby', 'more spam', 'b2')
      expect(await refusal(chat.changeMessage(carol.user, { type: 'delete', room: 'lobby', id: first.message.id }))).toBe('not_owner')
      const removed = await chat.changeMessage(owner.user, { type: 'delete', room: 'lobby', id: first.message.id })
      expect(removed).toMatchObject({ id: first.message.id, text: '', deletedAt: expect.any(Number), removedByModerator: true })

      const socket = recordingConnection('1', admin.user)
      chat.connect(socket.connection)
      await chat.join(socket.connection, 'lobby')
      await handleFrame(chat, socket.connection, JSON.stringify({ type: 'delete', room: 'lobby', id: second.message.id }))
      await flushed()
      expect(socket.events().find(event => event.type === 'update')).toMatchObject({ message: { id: second.message.id, removedByModerator: true } })
      // The author deleting their own message is no moderation.
      const own = await chat.postMessage(bob.user, 'lobby', 'oops', 'b3')
      expect(await chat.changeMessage(bob.user, { type: 'delete', room: 'lobby', id: own.message.id })).not.toHaveProperty('removedByModerator')
      expect((await storage.listAudit(10)).filter(entry => entry.action === 'message.removed').map(entry => [entry.actorId, entry.targetId, entry.details]))
        .toEqual([
          [admin.user.id, second.message.id, { room: 'lobby', authorId: bob.user.id }],
          [owner.user.id, first.message.id, { room: 'lobby', authorId: bob.user.id }],
        ])
    })

    it('refuses a member of a private room who does not own it', async () => {
      const posted = await chat.postMessage(owner.user, 'secret', 'mine', 'o1')
      const socket = recordingConnection('1', bob.user)
      chat.connect(socket.connection)
      await chat.join(socket.connection, 'secret')
      await handleFrame(chat, socket.connection, JSON.stringify({ type: 'delete', room: 'secret', id: posted.message.id }))
      await flushed()
      expect(socket.events().find(event => event.type === 'error')).toMatchObject({ code: 'not_owner' })
    })
  })

  describe('members of a private room', () => {
    it('lets the owner add someone, who hears of the room and may join it at once', async () => {
      const tab = recordingConnection('c', carol.user)
      chat.connect(tab.connection)
      expect(await refusal(chat.join(tab.connection, 'secret'))).toBe('unknown_room')
      expect(await chat.rooms.addMember(owner.actor, 'secret', 'Carol')).toEqual({ user: carol.user, role: 'member' })
      await flushed()
      expect(tab.events().find(event => event.type === 'room')).toMatchObject({ room: { name: 'secret', members: expect.arrayContaining([carol.user]) } })
      await chat.join(tab.connection, 'secret')
      expect(await chat.rooms.members(carol.actor, 'secret')).toEqual([
        { user: bob.user, role: 'member' }, { user: carol.user, role: 'member' }, { user: owner.user, role: 'owner' },
      ])
    })

    it('refuses to add or remove for a member who is not an owner, and for a public room or a direct message', async () => {
      expect(await refusal(chat.rooms.addMember(bob.actor, 'secret', 'carol'))).toBe('forbidden')
      expect(await refusal(chat.rooms.removeMember(bob.actor, 'secret', owner.user.id))).toBe('forbidden')
      expect(await refusal(chat.rooms.addMember(carol.actor, 'secret', 'carol'))).toBe('unknown_room')
      expect(await refusal(chat.rooms.members(carol.actor, 'secret'))).toBe('unknown_room')
      expect(await refusal(chat.rooms.addMember(owner.actor, 'lobby', 'carol'))).toBe('forbidden')
      await chat.createRoom('dm-x', owner.user, { kind: 'dm', members: [bob.user] })
      expect(await refusal(chat.rooms.addMember(owner.actor, 'dm-x', 'carol'))).toBe('forbidden')
      expect(await refusal(chat.rooms.addMember(owner.actor, 'secret', 'nobody'))).toBe('unknown_user')
      expect(await storage.roomMembers('secret')).toEqual([bob.user.id, owner.user.id].sort())
    })

    it('stops a removed member\'s connections hearing the room at once, tells every tab of theirs, and audits', async () => {
      const inRoom = recordingConnection('1', bob.user)
      const elsewhere = recordingConnection('2', bob.user)
      const ownerTab = recordingConnection('3', owner.user)
      for (const peer of [inRoom, elsewhere, ownerTab]) chat.connect(peer.connection)
      await chat.join(inRoom.connection, 'secret')
      await chat.join(ownerTab.connection, 'secret')
      await chat.postMessage(owner.user, 'secret', 'before', 'o1')
      await chat.rooms.removeMember(owner.actor, 'secret', bob.user.id)
      await chat.postMessage(owner.user, 'secret', 'after', 'o2')
      await flushed()
      expect(chatTexts(inRoom.events())).toEqual(['before'])
      expect(inRoom.events().filter(event => event.type === 'room-removed')).toEqual([{ type: 'room-removed', room: 'secret' }])
      expect(elsewhere.events()).toEqual([{ type: 'room-removed', room: 'secret' }])
      expect(ownerTab.events()).toContainEqual(expect.objectContaining({ type: 'system', kind: 'leave', user: bob.user }))
      expect(await refusal(chat.join(inRoom.connection, 'secret'))).toBe('unknown_room')
      expect(await refusal(chat.postMessage(bob.user, 'secret', 'let me in', 'b1'))).toBe('unknown_room')
      expect((await storage.listAudit(10)).map(entry => [entry.action, entry.actorId, entry.details])).toContainEqual(
        ['room.member_removed', owner.user.id, { userId: bob.user.id }],
      )
    })

    it('lets any member leave, but not the last owner while others remain', async () => {
      await chat.rooms.removeMember(bob.actor, 'secret', bob.user.id)
      expect(await storage.roomMembers('secret')).toEqual([owner.user.id])
      await chat.rooms.addMember(owner.actor, 'secret', 'carol')
      expect(await refusal(chat.rooms.removeMember(owner.actor, 'secret', owner.user.id))).toBe('last_owner')
      // Making carol an owner too lets the first owner go.
      expect(await chat.rooms.addMember(owner.actor, 'secret', 'carol', 'owner')).toEqual({ user: carol.user, role: 'owner' })
      await chat.rooms.removeMember(owner.actor, 'secret', owner.user.id)
      expect(await storage.roomMemberships('secret')).toEqual([{ userId: carol.user.id, role: 'owner' }])
      expect((await storage.listAudit(10)).map(entry => entry.action)).toEqual([
        'room.member_left', 'room.member_role_changed', 'room.member_added', 'room.member_left',
      ])
    })
  })
})

describe('room moderation across instances', () => {
  it('drops a removed member from the room on another instance and lets an added member in there', async () => {
    const storage = createSqliteStorage(':memory:')
    const bus = createMemoryBus()
    const fanOuts = [0, 1].map(() => new ScaleOutFanOut(new Hub(), bus, storage, DEFAULT_LIMITS))
    const [first, second] = fanOuts.map(fanOut => new ChatService(storage, DEFAULT_LIMITS, fanOut)) as [ChatService, ChatService]
    try {
      const owner = await account(storage, 'olive')
      const bob = await account(storage, 'bob')
      const carol = await account(storage, 'carol')
      await first.createRoom('secret', owner.user, { kind: 'private', members: [bob.user] })
      const bobThere = recordingConnection('b', bob.user)
      const carolThere = recordingConnection('c', carol.user)
      second.connect(bobThere.connection)
      second.connect(carolThere.connection)
      await second.join(bobThere.connection, 'secret')
      // The second instance has cached the room's members (bob, olive) and refuses carol.
      expect(await refusal(second.join(carolThere.connection, 'secret'))).toBe('unknown_room')

      await first.rooms.addMember(owner.actor, 'secret', 'carol')
      await second.join(carolThere.connection, 'secret')
      await first.rooms.removeMember(owner.actor, 'secret', bob.user.id)
      await first.postMessage(owner.user, 'secret', 'after', 'o1')
      await flushed()
      expect(chatTexts(bobThere.events())).toEqual([])
      expect(bobThere.events()).toContainEqual({ type: 'room-removed', room: 'secret' })
      expect(chatTexts(carolThere.events())).toEqual(['after'])
      expect(await refusal(second.postMessage(bob.user, 'secret', 'still here?', 'b1'))).toBe('unknown_room')
    }
    finally {
      fanOuts.forEach(fanOut => fanOut.stop())
      await storage.close()
    }
  })
})
