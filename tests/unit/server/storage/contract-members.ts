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

    it('keeps kinds and members across a restart', async () => {
      const secret = await storage.createRoom('secret', 'a', { kind: 'private', memberIds: ['a', 'b'] })
      await storage.close()
      const restarted = await current().openAnother()
      expect(await restarted.getRoom('secret')).toStrictEqual(secret)
      expect(await restarted.roomMembers('secret')).toEqual(['a', 'b'])
      expect(await restarted.canAccess('secret', 'b')).toBe(true)
      expect(await restarted.canAccess('secret', 'c')).toBe(false)
      expect(names(await restarted.listRoomsFor('c'))).toEqual(['general'])
      expect(await restarted.getRoom('general')).toStrictEqual({ name: 'general', createdAt: expect.any(Number), createdBy: null })
    })
  })
}
