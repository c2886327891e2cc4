import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ChatStorage } from '#server/utils/storage/types'
import { removeExpiredMessages } from '#server/utils/retention/retention'
import type { StorageUnderTest } from './contract'

const alice = { id: 'a', name: 'alice', username: 'alice' }
const DAY = 24 * 60 * 60 * 1000
const NOW = Date.UTC(2026, 11, 1)

/** Retention as every storage must do it; runs inside the storage contract (a fresh storage per case). */
export function describeRetention(current: () => StorageUnderTest): void {
  describe('retention', () => {
    let storage: ChatStorage
    let posted = 0
    beforeEach(() => {
      storage = current().storage
    })
    afterEach(() => {
      vi.useRealTimers()
    })

    /** Stores `count` messages as if sent `daysAgo` days before NOW (the storage stamps them with Date.now()). */
    const postAt = async (daysAgo: number, count: number, room = 'general') => {
      vi.useFakeTimers({ toFake: ['Date'], now: NOW - daysAgo * DAY })
      const stored = []
      for (let index = 0; index < count; index++) {
        stored.push((await storage.appendMessage({ room, user: alice, text: `${daysAgo}d ${index}`, clientId: `r-${++posted}` })).message)
      }
      vi.useRealTimers()
      return stored
    }

    it('removes messages older than the cutoff with their reactions, in batches, and keeps the rest and the seqs', async () => {
      await storage.createRoom('other', null)
      const old = await postAt(40, 4)
      const recent = await postAt(2, 3)
      // Stored after recent ones (another instance's clock, a restored backup): found all the same.
      await postAt(41, 1)
      await postAt(31, 2, 'other')
      await storage.toggleReaction('general', old[0]!.id, 'b', '👍', { perUser: 0, perMessage: 0 })
      await storage.toggleReaction('general', recent[0]!.id, 'b', '👍', { perUser: 0, perMessage: 0 })
      // A thread under an old root and one under a recent root, both followed by b.
      await storage.followThread('general', old[1]!.id, { userId: 'b', seq: old[2]!.seq }, [])
      await storage.followThread('general', recent[1]!.id, { userId: 'b', seq: recent[2]!.seq }, [])

      // Batches of 3: the seven old messages take several, the recent ones between them stay.
      expect(await storage.deleteMessagesBefore(NOW - 30 * DAY, 3)).toBe(7)
      expect(await removeExpiredMessages(storage, 30, 3, NOW)).toBe(0)

      const left = await storage.messagesAfter('general', 0, 100)
      expect(left.map(message => message.text)).toEqual(['2d 0', '2d 1', '2d 2'])
      expect(left.map(message => message.seq)).toEqual([5, 6, 7])
      expect(left[0]!.reactions).toEqual([{ emoji: '👍', userIds: ['b'] }])
      // A removed root's follows go with it.
      expect((await storage.followedThreads('b', 'general')).map(thread => thread.rootId)).toEqual([recent[1]!.id])
      expect(await storage.messagesAfter('other', 0, 100)).toEqual([])
      // The room keeps counting: a new message does not take an old one's seq.
      expect(await storage.lastSeq('general')).toBe(8)
      expect((await storage.appendMessage({ room: 'general', user: alice, text: 'new', clientId: 'r-new' })).message.seq).toBe(9)
    })

    it('removes each old message once when two instances run at the same time', async () => {
      await postAt(40, 9)
      await postAt(1, 2)
      const other = await current().openAnother()
      const removed = await Promise.all([storage.deleteMessagesBefore(NOW - 30 * DAY, 2), other.deleteMessagesBefore(NOW - 30 * DAY, 2)])
      // Both may share the work (SQLite) or one may leave it to the other (PostgreSQL): never more, never less.
      const left = await storage.deleteMessagesBefore(NOW - 30 * DAY, 2)
      expect(removed[0] + removed[1] + left).toBe(9)
      expect(await storage.messagesAfter('general', 0, 100)).toHaveLength(2)
    })

    it('removes nothing when nothing is old enough', async () => {
      await postAt(1, 3)
      expect(await removeExpiredMessages(storage, 30, 100, NOW)).toBe(0)
      expect(await storage.messagesAfter('general', 0, 100)).toHaveLength(3)
    })
  })
}
