import { beforeEach, describe, expect, it } from 'vitest'
import type { User } from '#shared/protocol'
import type { ChatStorage, NewMessage } from '#server/utils/storage/types'
import type { StorageUnderTest } from './contract'
import { setReadSeq } from './contract-read-markers'
import { MAX_UNREAD_SCANNED } from '#server/utils/storage/mention-types'

const alice = { id: 'a', name: 'alice', username: 'alice' }
const bob = { id: 'b', name: 'bob', username: 'bob' }

/**
 * What "@N" survives a reload by: the unread messages with an `@` after each read marker, and in each followed thread
 * after the place read in it. Runs inside the storage contract (a fresh storage with a room `general`).
 */
export function describeUnreadWithAtSign(current: () => StorageUnderTest): void {
  describe('unread messages with an @', () => {
    let storage: ChatStorage
    beforeEach(() => {
      storage = current().storage
    })

    let said = 0
    const say = async (user: User, text: string, extra: Partial<NewMessage> = {}) =>
      (await storage.appendMessage({ room: 'general', user, text, clientId: `at-${++said}`, ...extra })).message

    it('lists the messages by others after the read marker whose text has an @, not deleted ones', async () => {
      await say(bob, '@alice before the marker')
      const read = await say(bob, 'read up to here')
      await setReadSeq(storage, alice.id, 'general', read.seq)
      const mention = await say(bob, 'hey @alice, look')
      await say(bob, 'no sign here')
      await say(alice, '@bob my own')
      const gone = await say(bob, '@alice deleted')
      await storage.deleteMessage('general', gone.id, bob.id, 1000)
      const reply = await say(bob, '@alice in the thread', { threadId: mention.id })
      const listed = await storage.unreadWithAtSign(alice.id)
      expect(listed.sort((a, b) => a.seq - b.seq)).toEqual([
        { room: 'general', id: mention.id, seq: mention.seq, text: 'hey @alice, look' },
        { room: 'general', id: reply.id, seq: reply.seq, text: '@alice in the thread', threadId: mention.id },
      ])
    })

    it('lists the thread-only replies after the user\'s place in a thread they follow, even before the room\'s marker', async () => {
      const root = await say(bob, 'a thread')
      const early = await say(bob, '@alice only in the thread', { threadId: root.id })
      await storage.followThread('general', root.id, { userId: bob.id, seq: early.seq }, [alice.id])
      await say(bob, '@alice also in the room', { threadId: root.id, alsoToRoom: true })
      const unfollowed = await say(bob, 'another thread')
      await say(bob, '@alice in a thread she does not follow', { threadId: unfollowed.id })
      const read = await say(bob, 'read up to here')
      await setReadSeq(storage, alice.id, 'general', read.seq)
      const late = await say(bob, '@alice later in the thread', { threadId: root.id })
      const listed = await storage.unreadWithAtSign(alice.id)
      expect(listed.map(message => message.id).sort()).toEqual([early.id, late.id].sort())
      expect(listed.find(message => message.id === early.id)).toEqual({ room: 'general', id: early.id, seq: early.seq, text: '@alice only in the thread', threadId: root.id })

      await storage.markThreadRead(alice.id, 'general', root.id, early.seq)
      expect((await storage.unreadWithAtSign(alice.id)).map(message => message.id)).toEqual([late.id])
    })

    it('looks back from the room\'s newest message no further than MAX_UNREAD_SCANNED', async () => {
      const read = await say(bob, 'read up to here')
      await setReadSeq(storage, alice.id, 'general', read.seq)
      const beyond = await say(bob, '@alice too far back')
      await Promise.all(Array.from({ length: MAX_UNREAD_SCANNED }, (_, index) => say(bob, `filler ${index}`)))
      const within = await say(bob, '@alice recent')
      expect(within.seq - beyond.seq).toBe(MAX_UNREAD_SCANNED + 1)
      expect((await storage.unreadWithAtSign(alice.id)).map(message => message.id)).toEqual([within.id])
    })

    it('lists nothing for a room without a read marker or a followed thread, or for nobody', async () => {
      await say(bob, '@alice hello')
      expect(await storage.unreadWithAtSign(alice.id)).toEqual([])
      expect(await storage.unreadWithAtSign('nobody')).toEqual([])
    })
  })
}
