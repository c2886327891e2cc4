import { beforeEach, describe, expect, it } from 'vitest'
import type { ChatStorage } from '#server/utils/storage/types'
import type { StorageUnderTest } from './contract'

/** What read receipts read, as every storage must keep it: a room's markers, and who opted out of sharing. */
export function describeReceiptStorage(current: () => StorageUnderTest): void {
  describe('read receipt storage', () => {
    let storage: ChatStorage
    beforeEach(() => {
      storage = current().storage
    })

    it('lists every user\'s marker in one room only', async () => {
      await storage.createRoom('other', null)
      for (let index = 0; index < 3; index++) {
        await storage.appendMessage({ room: 'general', user: { id: 'a', name: 'a', username: 'a' }, text: 'x', clientId: `receipt-${index}` })
      }
      await storage.setReadSeqs([{ userId: 'a', room: 'general', seq: 3 }, { userId: 'b', room: 'general', seq: 1 }, { userId: 'c', room: 'other', seq: 0 }])
      expect(await storage.roomReadSeqs('general')).toEqual({ a: 3, b: 1 })
      expect(await storage.roomReadSeqs('nowhere')).toEqual({})
    })

    it('shares by default, and keeps an opt-out until it is turned back on', async () => {
      expect(await storage.readReceiptOptOuts(['a', 'b'])).toEqual([])
      await storage.setReadReceiptsShared('a', false)
      await storage.setReadReceiptsShared('a', false)
      expect(await storage.readReceiptOptOuts(['a', 'b'])).toEqual(['a'])
      expect(await storage.readReceiptOptOuts(['b'])).toEqual([])
      expect(await storage.readReceiptOptOuts([])).toEqual([])
      await storage.setReadReceiptsShared('a', true)
      expect(await storage.readReceiptOptOuts(['a'])).toEqual([])
    })
  })
}
