import { beforeEach, describe, expect, it } from 'vitest'
import type { Quote, User } from '#shared/protocol'
import { QUOTE_LENGTH } from '#shared/protocol-limits'
import type { ChatStorage, NewMessage } from '#server/utils/storage/types'
import type { StorageUnderTest } from './contract'

const alice = { id: 'a', name: 'alice', username: 'alice' }
const bob = { id: 'b', name: 'bob', username: 'bob' }
const carol = { id: 'c', name: 'carol', username: 'carol' }
const dave = { id: 'd', name: 'dave', username: 'dave' }

/**
 * Replies and threads, as every storage must keep them: a reply's quote, a thread reply's root and flag, a root's
 * summary, a thread's pages. Runs inside the storage contract (a fresh storage with a room `general` per case).
 */
export function describeThreads(current: () => StorageUnderTest): void {
  describe('replies and threads', () => {
    let storage: ChatStorage
    beforeEach(async () => {
      storage = current().storage
      await storage.createRoom('other', null)
    })

    let said = 0
    const say = async (user: User, text: string, extra: Partial<NewMessage> = {}, room = 'general') =>
      (await storage.appendMessage({ room, user, text, clientId: `thread-${++said}`, ...extra })).message
    const quote = (message: { id: string, seq: number, user: User, text: string }): Quote =>
      ({ id: message.id, seq: message.seq, user: message.user, text: message.text })

    it('keeps a reply\'s quote of the original, and shows a deleted original as deleted', async () => {
      const original = await say(alice, 'lunch at noon?')
      const reply = await say(bob, 'yes', { replyTo: quote(original) })
      expect(reply.replyTo).toStrictEqual(quote(original))
      expect((await storage.messagesAfter('general', 0, 10))[1]).toStrictEqual(reply)
      await storage.deleteMessage('general', original.id, alice.id, 1000)
      const [, reread] = await storage.messagesAfter('general', 0, 10)
      expect(reread!.replyTo).toStrictEqual({ id: original.id, seq: original.seq, user: alice, text: '', deleted: true })
    })

    it('quotes the start of a long text only', async () => {
      const original = await say(alice, 'x'.repeat(QUOTE_LENGTH * 2))
      await say(bob, 'what?', { replyTo: quote(original) })
      const [, reply] = await storage.messagesAfter('general', 0, 10)
      expect([...reply!.replyTo!.text]).toHaveLength(QUOTE_LENGTH)
      expect(reply!.replyTo!.text.endsWith('…')).toBe(true)
    })

    it('never quotes a message of another room, even one whose id was stored', async () => {
      const elsewhere = await say(alice, 'secret', {}, 'other')
      await say(bob, 'sneaky', { replyTo: quote(elsewhere) })
      const [reply] = await storage.messagesAfter('general', 0, 10)
      expect(reply!.replyTo).toBeUndefined()
      expect(JSON.stringify(reply)).not.toContain('secret')
    })

    it('stores thread replies with the room\'s seqs, and summarizes the thread on its root', async () => {
      const root = await say(alice, 'plan?')
      const first = await say(bob, 'a', { threadId: root.id })
      const second = await say(carol, 'b', { threadId: root.id, alsoToRoom: true })
      const third = await say(bob, 'c', { threadId: root.id })
      expect([first.seq, second.seq, third.seq]).toStrictEqual([2, 3, 4])
      expect(first.threadId).toBe(root.id)
      expect(first.alsoToRoom).toBeUndefined()
      expect(second.alsoToRoom).toBe(true)
      const history = await storage.messagesAfter('general', 0, 10)
      expect(history.map(message => message.seq)).toStrictEqual([1, 2, 3, 4])
      // Latest repliers first, each once; the count is every reply.
      expect(history[0]!.thread).toStrictEqual({ count: 3, lastReplyAt: third.ts, repliers: [bob, carol] })
      expect(history[1]!.thread).toBeUndefined()
      expect(await storage.messageIn('general', root.id)).toStrictEqual(history[0])
      expect(await storage.messageIn('other', root.id)).toBeNull()
      const found = await storage.messagesIn([{ room: 'general', id: third.id }, { room: 'general', id: root.id }, { room: 'general', id: 'no-such-id' }, { room: 'other', id: first.id }])
      expect(found.sort((a, b) => a.seq - b.seq)).toStrictEqual([history[0], history[3]])
      expect(await storage.messagesIn([])).toStrictEqual([])
      expect((await storage.messagesBefore('general', 2, 1))[0]!.thread).toStrictEqual(history[0]!.thread)
    })

    it('names at most three repliers in a summary', async () => {
      const root = await say(alice, 'who is in?')
      for (const user of [alice, bob, carol, dave]) await say(user, 'me', { threadId: root.id })
      expect((await storage.messageIn('general', root.id))!.thread!.repliers).toStrictEqual([dave, carol, bob])
    })

    it('pages a thread backwards by seq, and only in its own room', async () => {
      const root = await say(alice, 'root')
      const other = await say(alice, 'another root')
      const replies = []
      for (let index = 0; index < 5; index++) {
        replies.push(await say(bob, `r${index}`, { threadId: root.id }))
        await say(carol, 'elsewhere', { threadId: other.id })
      }
      const newest = await storage.threadMessages('general', root.id, Number.MAX_SAFE_INTEGER, 3)
      expect(newest.map(message => message.text)).toStrictEqual(['r2', 'r3', 'r4'])
      const older = await storage.threadMessages('general', root.id, newest[0]!.seq, 3)
      expect(older.map(message => message.text)).toStrictEqual(['r0', 'r1'])
      expect(await storage.threadMessages('other', root.id, Number.MAX_SAFE_INTEGER, 10)).toStrictEqual([])
    })

    it('answers a repeated clientId with the first thread reply, not a second one', async () => {
      const root = await say(alice, 'root')
      const first = await storage.appendMessage({ room: 'general', user: bob, text: 'once', clientId: 'same', threadId: root.id })
      const again = await storage.appendMessage({ room: 'general', user: bob, text: 'once', clientId: 'same', threadId: root.id })
      expect(again.duplicate).toBe(true)
      expect(again.message).toStrictEqual(first.message)
      expect((await storage.messageIn('general', root.id))!.thread!.count).toBe(1)
    })

    it('answers the thread-only replies after a user\'s read marker, room by room, for the unread counts', async () => {
      const root = await say(alice, 'root')
      const read = await say(bob, 'read up to here', { threadId: root.id })
      await storage.setReadSeqs([{ userId: carol.id, room: 'general', seq: read.seq }])
      const hidden = await say(bob, 'thread only', { threadId: root.id })
      await say(bob, 'to the room too', { threadId: root.id, alsoToRoom: true })
      await say(alice, 'in the room')
      const hiddenToo = await say(dave, 'thread only again', { threadId: root.id })
      const otherRoot = await say(alice, 'elsewhere', {}, 'other')
      await storage.setReadSeqs([{ userId: carol.id, room: 'other', seq: 0 }])
      const otherHidden = await say(bob, 'thread only there', { threadId: otherRoot.id }, 'other')
      const latest = await say(bob, 'the latest, thread only', { threadId: root.id })
      expect(await storage.threadOnlyUnread(carol.id)).toStrictEqual({
        general: [hidden.seq, hiddenToo.seq, latest.seq],
        other: [otherHidden.seq],
      })
      // Someone with no marker anywhere has nothing to leave out.
      expect(await storage.threadOnlyUnread(dave.id)).toStrictEqual({})
    })
  })
}
