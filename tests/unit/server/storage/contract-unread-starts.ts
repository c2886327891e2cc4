import { beforeEach, describe, expect, it } from 'vitest'
import type { User } from '#shared/protocol'
import type { ChatStorage, NewMessage } from '#server/utils/storage/types'
import { UNREAD_SINCE_SETTING } from '#server/utils/chat/unread-starts'
import { MAX_UNREAD_SCANNED } from '#server/utils/storage/mention-types'
import type { StorageUnderTest } from './contract'
import { setReadSeq } from './contract-read-markers'

const alice = { id: 'a', name: 'alice', username: 'alice' }
const bob = { id: 'b', name: 'bob', username: 'bob' }

/**
 * First sights (unread-start-types.ts): where unread starts in a room someone never read. Runs inside the
 * storage contract (a fresh storage with a public room `general`).
 */
export function describeUnreadStarts(current: () => StorageUnderTest): void {
  describe('first sights', () => {
    let storage: ChatStorage
    beforeEach(() => {
      storage = current().storage
    })

    let said = 0
    const say = async (user: User, text: string, room = 'general', extra: Partial<NewMessage> = {}) =>
      (await storage.appendMessage({ room, user, text, clientId: `sight-${++said}`, ...extra })).message
    const sayMany = async (count: number, room = 'general') => {
      for (let index = 0; index < count; index++) await say(bob, `filler ${index}`, room)
    }

    it('records where unread starts, clamped to the room, only where the user has no marker, and skips unknown rooms', async () => {
      await storage.createRoom('other', null)
      await sayMany(3)
      await storage.startUnread(alice.id, [{ room: 'general', seq: 2 }, { room: 'other', seq: 9 }, { room: 'ghost', seq: 1 }])
      expect(await storage.unreadStarts(alice.id)).toEqual({ general: 2, other: 0 })
      await storage.startUnread(alice.id, [{ room: 'general', seq: 3 }, { room: 'general', seq: -4 }])
      expect(await storage.unreadStarts(alice.id)).toEqual({ general: 2, other: 0 })
      await setReadSeq(storage, bob.id, 'general', 1)
      await storage.startUnread(bob.id, [{ room: 'general', seq: 3 }])
      expect(await storage.unreadStarts(bob.id)).toEqual({})
      expect(await storage.readSeqs(bob.id)).toEqual({ general: 1 })
      await storage.startUnread(alice.id, [])
    })

    it('is not a read: readSeqs and receipts never show it, and a read marker further on takes over', async () => {
      await sayMany(4)
      await storage.startUnread(alice.id, [{ room: 'general', seq: 3 }])
      expect(await storage.readSeqs(alice.id)).toEqual({})
      expect(await storage.roomReadSeqs('general')).toEqual({})
      expect(await setReadSeq(storage, alice.id, 'general', 4)).toBe(4)
      expect(await storage.readSeqs(alice.id)).toEqual({ general: 4 })
      expect(await storage.unreadStarts(alice.id)).toEqual({})
      expect(await storage.roomReadSeqs('general')).toEqual({ a: 4 })
    })

    it('starts the mention and thread-only scans after it, as a read marker does', async () => {
      const before = await say(bob, '@alice before alice first saw the room')
      const root = await say(bob, 'a root')
      await storage.startUnread(alice.id, [{ room: 'general', seq: root.seq }])
      const after = await say(bob, 'hey @alice')
      const reply = await say(bob, 'thread only', 'general', { threadId: root.id })
      expect((await storage.unreadWithAtSign(alice.id)).map(message => message.id)).toEqual([after.id])
      expect(await storage.threadOnlyUnread(alice.id)).toEqual({ general: [reply.seq] })
      expect(before.seq).toBeLessThan(root.seq)
    })

    it('looks for thread-only replies among the room\'s newest MAX_UNREAD_SCANNED messages only', async () => {
      const root = await say(bob, 'a root')
      await storage.startUnread(alice.id, [{ room: 'general', seq: 0 }])
      const beyond = await say(bob, 'too far back', 'general', { threadId: root.id })
      await Promise.all(Array.from({ length: MAX_UNREAD_SCANNED }, (_, index) => say(bob, `filler ${index}`)))
      const within = await say(bob, 'recent', 'general', { threadId: root.id })
      expect(within.seq - beyond.seq).toBe(MAX_UNREAD_SCANNED + 1)
      expect(await storage.threadOnlyUnread(alice.id)).toEqual({ general: [within.seq] })
    })

    it('starts a newcomer of a private room at its newest message, even one who read in it before', async () => {
      await storage.createRoom('crew', bob.id, { kind: 'private', memberIds: [bob.id] })
      await sayMany(3, 'crew')
      expect(await storage.addMember('crew', alice.id)).toBe(true)
      expect(await storage.unreadStarts(alice.id)).toEqual({ crew: 3 })
      expect(await storage.roomReadSeqs('crew')).toEqual({})
      await setReadSeq(storage, alice.id, 'crew', 3)
      expect(await storage.unreadStarts(alice.id)).toEqual({})

      // Taken out, and back after two more: those two are history to her, not unread, and the scans agree.
      await storage.removeMember('crew', alice.id)
      await say(bob, `@${alice.username} while she was out`, 'crew')
      await sayMany(1, 'crew')
      await storage.addMember('crew', alice.id)
      expect(await storage.unreadStarts(alice.id)).toEqual({ crew: 5 })
      expect(await storage.readSeqs(alice.id)).toEqual({ crew: 3 })
      expect(await storage.roomReadSeqs('crew')).toEqual({ a: 3 })
      const after = await say(bob, `@${alice.username} welcome back`, 'crew')
      expect((await storage.unreadWithAtSign(alice.id)).map(message => message.id)).toEqual([after.id])

      // A role change of someone already in the room is no new start.
      await setReadSeq(storage, alice.id, 'crew', after.seq)
      await sayMany(1, 'crew')
      await storage.addMember('crew', alice.id, 'owner')
      expect(await storage.unreadStarts(alice.id)).toEqual({})
      expect(await storage.readSeqs(alice.id)).toEqual({ crew: after.seq })
    })

    it('knows since when first sights are kept', async () => {
      const since = Number(await storage.getSetting(UNREAD_SINCE_SETTING))
      expect(since).toBeGreaterThan(Date.parse('2026-01-01'))
      expect(since).toBeLessThanOrEqual(Date.now())
    })
  })
}
