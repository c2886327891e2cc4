import { beforeEach, describe, expect, it } from 'vitest'
import type { ChatStorage } from '#server/utils/storage/types'
import type { StorageUnderTest } from './contract'

/**
 * Look-alike room names (server/utils/chat/room-names.ts), as every storage must refuse them. Runs inside the
 * storage contract, which gives each case a fresh storage with a public room `general`.
 */
export function describeRoomNames(current: () => StorageUnderTest): void {
  describe('look-alike room names', () => {
    let storage: ChatStorage
    beforeEach(() => {
      storage = current().storage
    })

    it('refuses a room whose name looks like an existing one, as it refuses the name itself', async () => {
      await storage.createRoom('sales', 'a')
      for (const name of ['genera1', 'generai', 'qeneral', 'sa1es', 'saies']) {
        expect(await storage.createRoom(name, 'b'), name).toBeNull()
      }
      expect(await storage.createRoom('sale', 'b')).toMatchObject({ name: 'sale' })
      expect((await storage.listRooms()).map(room => room.name).sort()).toEqual(['general', 'sale', 'sales'])
    })

    it('counts private rooms too, whichever kind comes first', async () => {
      await storage.createRoom('board', 'a', { kind: 'private', memberIds: ['a'] })
      expect(await storage.createRoom('b0ard', 'b')).toBeNull()
      expect(await storage.createRoom('generai', 'b', { kind: 'private', memberIds: ['b'] })).toBeNull()
      expect(await storage.getRoom('b0ard')).toBeNull()
    })

    it('holds across instances sharing the data', async () => {
      const other = await current().openAnother()
      expect(await other.createRoom('genera1', 'b')).toBeNull()
    })

    it('leaves direct messages out: their server-made names never block a room, nor a room them', async () => {
      expect(await storage.createRoom('dm-0011', 'a', { kind: 'dm', memberIds: ['a', 'b'] })).toMatchObject({ kind: 'dm' })
      expect(await storage.createRoom('dm-ool1', 'a', { kind: 'dm', memberIds: ['a', 'c'] })).toMatchObject({ kind: 'dm' })
      expect(await storage.createRoom('drn-0011', 'a')).toMatchObject({ name: 'drn-0011' })
      expect(await storage.createRoom('dm-oo11', 'c', { kind: 'dm', memberIds: ['c', 'd'] })).toMatchObject({ kind: 'dm' })
    })
  })
}
