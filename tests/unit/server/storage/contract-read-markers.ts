import { beforeEach, describe, expect, it } from 'vitest'
import type { ChatStorage } from '#server/utils/storage/types'
import type { StorageUnderTest } from './contract'

/** One marker through the batch call, as a single read would go. */
export async function setReadSeq(storage: ChatStorage, userId: string, room: string, seq: number): Promise<number> {
  const [stored] = await storage.setReadSeqs([{ userId, room, seq }])
  return stored!
}

/**
 * Read markers, as every storage must keep them. Runs inside the storage contract, which gives each case a
 * fresh storage with a public room `general`; `current` returns that case's storage.
 */
export function describeReadMarkers(current: () => StorageUnderTest): void {
  describe('read markers', () => {
    let storage: ChatStorage
    beforeEach(() => {
      storage = current().storage
    })

    let posted = 0
    /** Appends `count` messages so the room's last seq grows by `count`. */
    const post = async (room: string, count: number) => {
      for (let index = 0; index < count; index++) {
        await storage.appendMessage({ room, user: { id: 'a', name: 'alice', username: 'alice' }, text: 'x', clientId: `read-post-${++posted}` })
      }
    }

    it('starts with no markers', async () => {
      expect(await storage.readSeqs('a')).toEqual({})
    })

    it('stores a marker and reads it back', async () => {
      await post('general', 3)
      expect(await setReadSeq(storage, 'a', 'general', 2)).toBe(2)
      expect(await storage.readSeqs('a')).toEqual({ general: 2 })
    })

    it('never moves a marker backwards', async () => {
      await post('general', 5)
      expect(await setReadSeq(storage, 'a', 'general', 4)).toBe(4)
      expect(await setReadSeq(storage, 'a', 'general', 1)).toBe(4)
      expect(await storage.readSeqs('a')).toEqual({ general: 4 })
      expect(await setReadSeq(storage, 'a', 'general', 5)).toBe(5)
    })

    it('clamps a marker to the room\'s last seq, and to 0', async () => {
      await post('general', 2)
      expect(await setReadSeq(storage, 'a', 'general', 99)).toBe(2)
      await post('general', 3)
      expect(await setReadSeq(storage, 'a', 'general', 4)).toBe(4)
      expect(await setReadSeq(storage, 'b', 'general', -3)).toBe(0)
      expect(await storage.readSeqs('a')).toEqual({ general: 4 })
    })

    it('keeps markers per user and per room', async () => {
      await storage.createRoom('other', null)
      await post('general', 3)
      await post('other', 3)
      await setReadSeq(storage, 'a', 'general', 2)
      await setReadSeq(storage, 'a', 'other', 1)
      await setReadSeq(storage, 'b', 'general', 3)
      expect(await storage.readSeqs('a')).toEqual({ general: 2, other: 1 })
      expect(await storage.readSeqs('b')).toEqual({ general: 3 })
    })

    it('refuses a marker for a room that does not exist', async () => {
      await expect(setReadSeq(storage, 'a', 'ghost', 1)).rejects.toThrow('Unknown room: ghost')
      expect(await storage.readSeqs('a')).toEqual({})
    })

    it('lists every room\'s last seq', async () => {
      expect(await storage.roomSeqs()).toEqual({ general: 0 })
      await storage.createRoom('other', null)
      await post('general', 2)
      await post('other', 1)
      expect(await storage.roomSeqs()).toEqual({ general: 2, other: 1 })
    })

    it('stores a batch of markers in one call and answers each, in order, with the stored marker', async () => {
      await storage.createRoom('other', null)
      await post('general', 5)
      await post('other', 2)
      const stored = await storage.setReadSeqs([
        { userId: 'a', room: 'general', seq: 3 },
        { userId: 'b', room: 'general', seq: 9 },
        { userId: 'a', room: 'other', seq: 1 },
        { userId: 'a', room: 'general', seq: 2 },
      ])
      expect(stored).toEqual([3, 5, 1, 3])
      expect(await storage.readSeqs('a')).toEqual({ general: 3, other: 1 })
      expect(await storage.readSeqs('b')).toEqual({ general: 5 })
      expect(await storage.setReadSeqs([])).toEqual([])
    })

    it('refuses a batch that names a room that does not exist', async () => {
      await post('general', 1)
      await expect(storage.setReadSeqs([{ userId: 'a', room: 'general', seq: 1 }, { userId: 'a', room: 'ghost', seq: 1 }])).rejects.toThrow('Unknown room: ghost')
    })

    it('keeps markers across a restart', async () => {
      await post('general', 3)
      await setReadSeq(storage, 'a', 'general', 3)
      await storage.close()
      const restarted = await current().openAnother()
      expect(await restarted.readSeqs('a')).toEqual({ general: 3 })
      expect(await setReadSeq(restarted, 'a', 'general', 1)).toBe(3)
    })
  })
}
