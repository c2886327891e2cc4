import { beforeEach, describe, expect, it } from 'vitest'
import type { User } from '#shared/protocol'
import type { ChatStorage, NewMessage } from '#server/utils/storage/types'
import { MAX_UNREAD_REPLIES } from '#server/utils/storage/thread-follow-types'
import type { StorageUnderTest } from './contract'

const alice = { id: 'a', name: 'alice', username: 'alice' }
const bob = { id: 'b', name: 'bob', username: 'bob' }
const carol = { id: 'c', name: 'carol', username: 'carol' }

/**
 * Thread follows and read places, as every storage must keep them: who follows a thread, and which replies by
 * others each follower has not read. Runs inside the storage contract (a fresh storage with a room `general`).
 */
export function describeThreadFollows(current: () => StorageUnderTest): void {
  describe('thread follows', () => {
    let storage: ChatStorage
    beforeEach(async () => {
      storage = current().storage
      await storage.createRoom('other', null)
    })

    let said = 0
    const say = async (user: User, text: string, extra: Partial<NewMessage> = {}, room = 'general') =>
      (await storage.appendMessage({ room, user, text, clientId: `follow-${++said}`, ...extra })).message
    /** A thread reply as the server records it: its author follows, and so do `followers`. */
    const reply = async (user: User, root: { id: string }, followers: User[] = [], room = 'general') => {
      const message = await say(user, 'reply', { threadId: root.id }, room)
      await storage.followThread(room, root.id, { userId: user.id, seq: message.seq }, followers.map(follower => follower.id))
      return message
    }
    const unreadIds = async (user: User, room = 'general') =>
      Object.fromEntries((await storage.followedThreads(user.id, room)).map(thread => [thread.rootId, thread.unread.map(entry => entry.id)]))

    it('counts the replies by others after each follower\'s read place, never their own', async () => {
      const root = await say(alice, 'plan?')
      await reply(bob, root, [alice])
      const second = await reply(alice, root)
      const third = await reply(carol, root, [alice])
      expect(await unreadIds(alice)).toEqual({ [root.id]: [third.id] })
      expect(await unreadIds(bob)).toEqual({ [root.id]: [second.id, third.id] })
      expect(await unreadIds(carol)).toEqual({ [root.id]: [] })
    })

    it('a follower from a mention counts from that reply on, not the thread\'s earlier replies', async () => {
      const root = await say(alice, 'plan?')
      await reply(bob, root, [alice])
      const mention = await reply(bob, root, [alice, carol])
      const later = await reply(alice, root)
      expect(await unreadIds(carol)).toEqual({ [root.id]: [mention.id, later.id] })
    })

    it('raises a read place, never lowers it, and stops at the room\'s last seq', async () => {
      const root = await say(alice, 'plan?')
      const first = await reply(bob, root, [alice])
      const second = await reply(bob, root, [alice])
      expect(await storage.markThreadRead(alice.id, 'general', root.id, first.seq)).toBe(first.seq)
      expect(await unreadIds(alice)).toEqual({ [root.id]: [second.id] })
      expect(await storage.markThreadRead(alice.id, 'general', root.id, 1)).toBe(first.seq)
      expect(await storage.markThreadRead(alice.id, 'general', root.id, 10_000)).toBe(second.seq)
      expect(await unreadIds(alice)).toEqual({ [root.id]: [] })
    })

    it('reading a thread does not follow it, and a reply keeps a follower\'s read place', async () => {
      const root = await say(alice, 'plan?')
      await reply(bob, root)
      const read = await storage.markThreadRead(carol.id, 'general', root.id, 10_000)
      expect(await unreadIds(carol)).toEqual({})
      const mention = await reply(bob, root, [carol])
      expect(await unreadIds(carol)).toEqual({ [root.id]: [mention.id] })
      expect(read).toBeLessThan(mention.seq)
    })

    it('leaves deleted replies out, lists the newest unread only, and keeps rooms apart', async () => {
      const root = await say(alice, 'plan?')
      const elsewhere = await say(alice, 'other plan?', {}, 'other')
      await reply(bob, elsewhere, [alice], 'other')
      const gone = await reply(bob, root, [alice])
      await storage.deleteMessage('general', gone.id, bob.id, 1000)
      const replies = []
      for (let i = 0; i < MAX_UNREAD_REPLIES + 2; i++) replies.push(await reply(bob, root, [alice]))
      const [thread, ...others] = await storage.followedThreads(alice.id, 'general')
      expect(others).toEqual([])
      expect(thread!.unread.map(entry => entry.id)).toEqual(replies.slice(-MAX_UNREAD_REPLIES).map(message => message.id))
      expect(Object.keys(await unreadIds(alice, 'other'))).toEqual([elsewhere.id])
    })

    it('lists the followed threads of the rooms asked for: new replies first, then by latest reply, up to the limit', async () => {
      await storage.createRoom('third', null)
      const oldRoot = await say(alice, 'old plan?')
      const middle = await say(alice, 'other plan?', {}, 'other')
      const newRoot = await say(bob, 'lunch?', {}, 'other')
      const elsewhere = await say(alice, 'not asked for', {}, 'third')
      await reply(alice, newRoot, [], 'other')
      await reply(alice, elsewhere, [], 'third')
      const unread = await reply(bob, middle, [alice], 'other')
      // The oldest root has the latest reply: among the read threads it comes first.
      await reply(alice, oldRoot)
      const listed = await storage.followedThreadsIn(alice.id, ['general', 'other'], 10)
      expect(listed.map(thread => [thread.room, thread.rootId, thread.unread.map(entry => entry.id)])).toEqual([
        ['other', middle.id, [unread.id]], ['general', oldRoot.id, []], ['other', newRoot.id, []],
      ])
      expect((await storage.followedThreadsIn(alice.id, ['general', 'other'], 1)).map(thread => thread.rootId)).toEqual([middle.id])
      expect(await storage.followedThreadsIn(alice.id, [], 10)).toEqual([])
      expect(await storage.followedThreadsIn(carol.id, ['general', 'other', 'third'], 10)).toEqual([])
      expect((await storage.roomsWithFollowedThreads(alice.id)).sort()).toEqual(['general', 'other', 'third'])
    })

    it('refuses a read place in a room that does not exist', async () => {
      await expect(storage.markThreadRead(alice.id, 'nowhere', 'x', 1)).rejects.toThrow()
    })
  })
}
