import { beforeEach, describe, expect, it } from 'vitest'
import type { ChatStorage } from '#server/utils/storage/types'
import type { StorageUnderTest } from './contract'

const names = (rooms: { name: string }[]) => rooms.map(room => room.name)

/**
 * Private rooms and direct messages, as every storage must keep them. Runs inside the storage contract, which gives
 * each case a fresh storage with a public room `general`; `current` returns that case's storage.
 * `toStrictEqual` on rooms: a public room must have no `kind` key, not `kind: undefined`.
 */
export function describeRoomMembers(current: () => StorageUnderTest): void {
  describe('private rooms and direct messages', () => {
    let storage: ChatStorage
    beforeEach(() => {
      storage = current().storage
    })

    it('keeps a public room without kind or members, open to everyone', async () => {
      const created = await storage.createRoom('lobby', 'a')
      const lobby = { name: 'lobby', createdAt: expect.any(Number), createdBy: 'a' }
      expect(created).toStrictEqual(lobby)
      expect(await storage.getRoom('lobby')).toStrictEqual(lobby)
      for (const userId of ['a', 'b', 'z']) {
        expect(await storage.canAccess('lobby', userId)).toBe(true)
        expect(names(await storage.listRoomsFor(userId))).toEqual(['general', 'lobby'])
      }
      expect(await storage.roomMembers('lobby')).toEqual([])
    })

    for (const kind of ['private', 'dm'] as const) {
      it(`keeps a ${kind} room for its members only, storing a repeated member once`, async () => {
        const created = await storage.createRoom('secret', 'a', { kind, memberIds: ['b', 'a', 'b'] })
        const secret = { name: 'secret', createdAt: expect.any(Number), createdBy: 'a', kind }
        expect(created).toStrictEqual(secret)
        expect(await storage.getRoom('secret')).toStrictEqual(secret)
        expect(await storage.roomMembers('secret')).toEqual(['a', 'b'])
        expect(await storage.canAccess('secret', 'a')).toBe(true)
        expect(await storage.canAccess('secret', 'b')).toBe(true)
        expect(await storage.canAccess('secret', 'c')).toBe(false)
        expect((await storage.listRoomsFor('b')).find(room => room.name === 'secret')).toStrictEqual(secret)
        expect(names(await storage.listRoomsFor('a'))).toEqual(['general', 'secret'])
        expect(names(await storage.listRoomsFor('c'))).toEqual(['general'])
        // listRooms is for the server itself: every room.
        expect(names(await storage.listRooms())).toEqual(['general', 'secret'])
      })
    }

    it('refuses a name already taken, whichever kind either room is, and leaves the first room as it was', async () => {
      expect(await storage.createRoom('general', 'a', { kind: 'private', memberIds: ['a'] })).toBeNull()
      expect(await storage.getRoom('general')).toStrictEqual({ name: 'general', createdAt: expect.any(Number), createdBy: null })
      expect(await storage.roomMembers('general')).toEqual([])
      expect(await storage.canAccess('general', 'z')).toBe(true)
      await storage.createRoom('secret', 'a', { kind: 'dm', memberIds: ['a', 'b'] })
      expect(await storage.createRoom('secret', 'c')).toBeNull()
      expect(await storage.createRoom('secret', 'c', { kind: 'private', memberIds: ['c'] })).toBeNull()
      expect(await storage.roomMembers('secret')).toEqual(['a', 'b'])
      expect(await storage.canAccess('secret', 'c')).toBe(false)
    })

    it('answers false and no members for a room that does not exist', async () => {
      expect(await storage.canAccess('ghost', 'a')).toBe(false)
      expect(await storage.roomMembers('ghost')).toEqual([])
    })

    it('lists a user\'s rooms by name, public and non-public together', async () => {
      await storage.createRoom('zeta', 'a', { kind: 'private', memberIds: ['a'] })
      await storage.createRoom('alpha', null)
      await storage.createRoom('mid', 'a', { kind: 'dm', memberIds: ['a', 'b'] })
      await storage.createRoom('hidden', 'c', { kind: 'private', memberIds: ['c'] })
      expect(names(await storage.listRoomsFor('a'))).toEqual(['alpha', 'general', 'mid', 'zeta'])
      expect(names(await storage.listRoomsFor('b'))).toEqual(['alpha', 'general', 'mid'])
      expect(names(await storage.listRoomsFor('c'))).toEqual(['alpha', 'general', 'hidden'])
    })

    it('makes the creator the owner of a private room and of a public room, and nobody the owner of a direct message', async () => {
      await storage.createRoom('secret', 'a', { kind: 'private', memberIds: ['b', 'a'] })
      await storage.createRoom('talk', 'a', { kind: 'dm', memberIds: ['a', 'b'] })
      await storage.createRoom('lobby', 'a')
      expect(await storage.roomMemberships('secret')).toEqual([{ userId: 'a', role: 'owner' }, { userId: 'b', role: 'member' }])
      expect(await storage.roomMemberships('talk')).toEqual([{ userId: 'a', role: 'member' }, { userId: 'b', role: 'member' }])
      expect(await storage.roomMemberships('lobby')).toEqual([])
      expect(await storage.roomStanding('secret', 'a')).toBe('owner')
      expect(await storage.roomStanding('secret', 'b')).toBe('member')
      expect(await storage.roomStanding('secret', 'c')).toBeNull()
      expect(await storage.roomStanding('talk', 'a')).toBe('member')
      expect(await storage.roomStanding('lobby', 'a')).toBe('owner')
      expect(await storage.roomStanding('lobby', 'b')).toBeNull()
      expect(await storage.roomStanding('general', 'a')).toBeNull()
      expect(await storage.roomStanding('ghost', 'a')).toBeNull()
    })

    it('adds and removes members of a private room after creation, never of a public or unknown room', async () => {
      await storage.createRoom('secret', 'a', { kind: 'private', memberIds: ['a'] })
      expect(await storage.addMember('secret', 'b')).toBe(true)
      expect(await storage.addMember('secret', 'b')).toBe(false)
      expect(await storage.canAccess('secret', 'b')).toBe(true)
      expect(names(await storage.listRoomsFor('b'))).toEqual(['general', 'secret'])
      expect(await storage.roomStanding('secret', 'b')).toBe('member')
      // A role given sets it for one already in; adding without a role never demotes an owner.
      expect(await storage.addMember('secret', 'b', 'owner')).toBe(true)
      expect(await storage.addMember('secret', 'b', 'owner')).toBe(false)
      expect(await storage.addMember('secret', 'b')).toBe(false)
      expect(await storage.roomStanding('secret', 'b')).toBe('owner')
      expect(await storage.removeMember('secret', 'b')).toBe(true)
      expect(await storage.removeMember('secret', 'b')).toBe(false)
      expect(await storage.canAccess('secret', 'b')).toBe(false)
      expect(await storage.roomStanding('secret', 'b')).toBeNull()
      expect(names(await storage.listRoomsFor('b'))).toEqual(['general'])
      expect(await storage.roomMembers('secret')).toEqual(['a'])
      expect(await storage.addMember('general', 'b')).toBe(false)
      expect(await storage.addMember('ghost', 'b')).toBe(false)
      expect(await storage.roomMembers('general')).toEqual([])
    })

    it('changes a room\'s topic and slow mode, each left as it was when not given', async () => {
      await storage.createRoom('lobby', 'a')
      const lobby = { name: 'lobby', createdAt: expect.any(Number), createdBy: 'a' }
      expect(await storage.updateRoom('lobby', { topic: 'Plans for Friday' })).toStrictEqual({ ...lobby, topic: 'Plans for Friday' })
      expect(await storage.updateRoom('lobby', { slowModeSeconds: 30 })).toStrictEqual({ ...lobby, topic: 'Plans for Friday', slowModeSeconds: 30 })
      expect(await storage.getRoom('lobby')).toStrictEqual({ ...lobby, topic: 'Plans for Friday', slowModeSeconds: 30 })
      expect((await storage.listRoomsFor('z')).find(room => room.name === 'lobby')).toStrictEqual({ ...lobby, topic: 'Plans for Friday', slowModeSeconds: 30 })
      // No topic and slow mode off leave the keys out, as for a room never changed.
      expect(await storage.updateRoom('lobby', { topic: '', slowModeSeconds: 0 })).toStrictEqual(lobby)
      expect(await storage.updateRoom('lobby', { topic: 'again' })).toStrictEqual({ ...lobby, topic: 'again' })
      expect(await storage.updateRoom('lobby', { topic: null })).toStrictEqual(lobby)
      expect(await storage.getRoom('lobby')).toStrictEqual(lobby)
      expect(await storage.updateRoom('ghost', { topic: 'x' })).toBeNull()
    })

    it('finds a user\'s newest message in a room, looking back no further than asked', async () => {
      const alice = { id: 'a', name: 'alice', username: 'alice' }
      const bob = { id: 'b', name: 'bob', username: 'bob' }
      expect(await storage.latestMessageBy('general', 'a', 10)).toBeNull()
      const first = await storage.appendMessage({ room: 'general', user: alice, text: 'one', clientId: 'a1' })
      const second = await storage.appendMessage({ room: 'general', user: alice, text: 'two', clientId: 'a2' })
      expect(await storage.latestMessageBy('general', 'a', 10)).toEqual({ ts: second.message.ts, clientId: 'a2' })
      expect(first.message.ts).toBeLessThanOrEqual(second.message.ts)
      for (const index of [1, 2, 3]) await storage.appendMessage({ room: 'general', user: bob, text: 'x', clientId: `b${index}` })
      expect(await storage.latestMessageBy('general', 'a', 4)).toEqual({ ts: second.message.ts, clientId: 'a2' })
      expect(await storage.latestMessageBy('general', 'a', 3)).toBeNull()
      expect(await storage.latestMessageBy('general', 'b', 1)).toMatchObject({ clientId: 'b3' })
      await storage.createRoom('lobby', null)
      expect(await storage.latestMessageBy('lobby', 'a', 10)).toBeNull()
    })

    it('keeps kinds and members across a restart', async () => {
      const secret = await storage.createRoom('secret', 'a', { kind: 'private', memberIds: ['a', 'b'] })
      await storage.addMember('secret', 'c')
      await storage.removeMember('secret', 'c')
      await storage.updateRoom('secret', { topic: 'kept' })
      await storage.close()
      const restarted = await current().openAnother()
      expect(await restarted.getRoom('secret')).toStrictEqual({ ...secret, topic: 'kept' })
      expect(await restarted.roomMemberships('secret')).toEqual([{ userId: 'a', role: 'owner' }, { userId: 'b', role: 'member' }])
      expect(await restarted.canAccess('secret', 'b')).toBe(true)
      expect(await restarted.canAccess('secret', 'c')).toBe(false)
      expect(names(await restarted.listRoomsFor('c'))).toEqual(['general'])
      expect(await restarted.getRoom('general')).toStrictEqual({ name: 'general', createdAt: expect.any(Number), createdBy: null })
    })
  })
}
