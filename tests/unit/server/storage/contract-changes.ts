import { beforeEach, describe, expect, it } from 'vitest'
import type { ChatMessage, User } from '#shared/protocol'
import type { ChatStorage } from '#server/utils/storage/types'
import type { StorageUnderTest } from './contract'

const alice = { id: 'a', name: 'alice', username: 'alice' }
const bob = { id: 'b', name: 'bob', username: 'bob' }
const carol = { id: 'c', name: 'carol', username: 'carol' }
const NO_CAPS = { perUser: 0, perMessage: 0 }

/**
 * Edits, deletes and reactions, as every storage must do them. Runs inside the storage contract, which gives
 * each case a fresh storage with a room `general`; `current` returns that case's storage.
 * `toStrictEqual` throughout: an optional field set to undefined would not match an absent one.
 */
export function describeMessageChanges(current: () => StorageUnderTest): void {
  describe('message changes', () => {
    let storage: ChatStorage
    beforeEach(async () => {
      storage = current().storage
      await storage.createRoom('other', null)
    })

    let said = 0
    const say = async (user: User, text: string) =>
      (await storage.appendMessage({ room: 'general', user, text, clientId: `say-${++said}` })).message
    const history = () => storage.messagesAfter('general', 0, 100)
    const react = (message: ChatMessage, user: User, emoji: string) => storage.toggleReaction('general', message.id, user.id, emoji, NO_CAPS)

    it('gives a fresh message none of editedAt, deletedAt and reactions', async () => {
      const message = await say(alice, 'plain')
      const expected = { room: 'general', id: message.id, seq: 1, user: alice, text: 'plain', ts: message.ts, clientId: message.clientId }
      expect(message).toStrictEqual(expected)
      expect(await history()).toStrictEqual([expected])
    })

    it('edits the author\'s own message: new text and editedAt, same seq, and history shows the edit', async () => {
      const first = await say(alice, 'helo')
      const second = await say(bob, 'hi')
      expect(await storage.editMessage('general', first.id, 'a', 'hello', 1000)).toStrictEqual({ ok: true, message: { ...first, text: 'hello', editedAt: 1000 } })
      expect(await storage.editMessage('general', first.id, 'a', 'hello!', 2000)).toStrictEqual({ ok: true, message: { ...first, text: 'hello!', editedAt: 2000 } })
      expect(await history()).toStrictEqual([{ ...first, text: 'hello!', editedAt: 2000 }, second])
      // A retried append answers with the message as it is now.
      const retried = await storage.appendMessage({ room: 'general', user: alice, text: 'helo', clientId: first.clientId })
      expect(retried).toStrictEqual({ message: { ...first, text: 'hello!', editedAt: 2000 }, duplicate: true })
    })

    it('refuses to edit or delete someone else\'s message', async () => {
      const message = await say(alice, 'mine')
      expect(await storage.editMessage('general', message.id, 'b', 'yours', 1000)).toStrictEqual({ ok: false, reason: 'not_owner' })
      expect(await storage.deleteMessage('general', message.id, 'b', 1000)).toStrictEqual({ ok: false, reason: 'not_owner' })
      expect(await history()).toStrictEqual([message])
    })

    it('answers not_found for an unknown id, and for an id from another room', async () => {
      const message = await say(alice, 'here')
      for (const [room, id] of [['general', 'no-such-id'], ['other', message.id], ['ghost', message.id]] as const) {
        expect(await storage.editMessage(room, id, 'a', 'x', 1000)).toStrictEqual({ ok: false, reason: 'not_found' })
        expect(await storage.deleteMessage(room, id, 'a', 1000)).toStrictEqual({ ok: false, reason: 'not_found' })
        expect(await storage.toggleReaction(room, id, 'a', '👍', NO_CAPS)).toStrictEqual({ ok: false, reason: 'not_found' })
      }
      expect(await history()).toStrictEqual([message])
    })

    it('deletes the author\'s own message: empty text, deletedAt, no reactions, and history keeps the tombstone', async () => {
      const message = await say(alice, 'oops')
      await react(message, bob, '👍')
      const tombstone = { ...message, text: '', deletedAt: 5000 }
      expect(await storage.deleteMessage('general', message.id, 'a', 5000)).toStrictEqual({ ok: true, message: tombstone })
      expect(await history()).toStrictEqual([tombstone])
      expect(await storage.messagesBefore('general', 2, 10)).toStrictEqual([tombstone])
      expect((await say(alice, 'next')).seq).toBe(2)
    })

    it('refuses edits, reactions and a second delete on a deleted message', async () => {
      const message = await say(alice, 'gone')
      await storage.deleteMessage('general', message.id, 'a', 5000)
      expect(await storage.editMessage('general', message.id, 'a', 'back', 6000)).toStrictEqual({ ok: false, reason: 'deleted' })
      expect(await react(message, bob, '👍')).toStrictEqual({ ok: false, reason: 'deleted' })
      expect(await storage.deleteMessage('general', message.id, 'a', 7000)).toStrictEqual({ ok: false, reason: 'deleted' })
      expect(await history()).toStrictEqual([{ ...message, text: '', deletedAt: 5000 }])
    })

    it('toggles each user\'s reaction on and off, listing emojis by first reaction and users in reaction order', async () => {
      const message = await say(alice, 'react to me')
      const reactionsAfter = async (user: User, emoji: string) => {
        const result = await react(message, user, emoji)
        return result.ok ? result.message.reactions : result.reason
      }
      expect(await reactionsAfter(alice, '👍')).toStrictEqual([{ emoji: '👍', userIds: ['a'] }])
      expect(await reactionsAfter(bob, '🎉')).toStrictEqual([{ emoji: '👍', userIds: ['a'] }, { emoji: '🎉', userIds: ['b'] }])
      expect(await reactionsAfter(bob, '👍')).toStrictEqual([{ emoji: '👍', userIds: ['a', 'b'] }, { emoji: '🎉', userIds: ['b'] }])
      expect(await reactionsAfter(carol, '👍')).toStrictEqual([{ emoji: '👍', userIds: ['a', 'b', 'c'] }, { emoji: '🎉', userIds: ['b'] }])
      // The order follows the reactions still there: with alice's gone, 👍 was first given after 🎉.
      expect(await reactionsAfter(alice, '👍')).toStrictEqual([{ emoji: '🎉', userIds: ['b'] }, { emoji: '👍', userIds: ['b', 'c'] }])
      // Reactions survive an edit, and history shows them as the last toggle answered.
      const edited = { ...message, text: 'edited', editedAt: 1000, reactions: [{ emoji: '🎉', userIds: ['b'] }, { emoji: '👍', userIds: ['b', 'c'] }] }
      expect(await storage.editMessage('general', message.id, 'a', 'edited', 1000)).toStrictEqual({ ok: true, message: edited })
      expect(await history()).toStrictEqual([edited])
      for (const [user, emoji] of [[bob, '🎉'], [bob, '👍'], [carol, '👍']] as const) await react(message, user, emoji)
      expect(await history()).toStrictEqual([{ ...message, text: 'edited', editedAt: 1000 }])
    })

    it('returns each message\'s own reactions with a page of history', async () => {
      const first = await say(alice, 'one')
      const second = await say(bob, 'two')
      const third = await say(alice, 'three')
      await react(first, bob, '👍')
      await react(third, alice, '❤️')
      await react(third, bob, '❤️')
      await react(first, carol, '😂')
      const page = [
        { ...first, reactions: [{ emoji: '👍', userIds: ['b'] }, { emoji: '😂', userIds: ['c'] }] },
        second,
        { ...third, reactions: [{ emoji: '❤️', userIds: ['a', 'b'] }] },
      ]
      expect(await storage.messagesBefore('general', 10, 10)).toStrictEqual(page)
      expect(await storage.messagesAfter('general', 1, 10)).toStrictEqual(page.slice(1))
      const retried = await storage.appendMessage({ room: 'general', user: alice, text: 'three', clientId: third.clientId })
      expect(retried).toStrictEqual({ message: page[2], duplicate: true })
    })

    it('refuses a reaction past the per-user and per-message caps, and always lets one be taken back', async () => {
      const message = await say(alice, 'react to me')
      const caps = { perUser: 2, perMessage: 3 }
      const toggle = (user: User, emoji: string) => storage.toggleReaction('general', message.id, user.id, emoji, caps)
      expect((await toggle(alice, '👍')).ok).toBe(true)
      expect((await toggle(alice, '🎉')).ok).toBe(true)
      expect(await toggle(alice, '🚀')).toStrictEqual({ ok: false, reason: 'reaction_limit' })
      // A third emoji on the message is allowed, a fourth is not, but joining an emoji already there is.
      expect((await toggle(bob, '🚀')).ok).toBe(true)
      expect(await toggle(bob, '🔥')).toStrictEqual({ ok: false, reason: 'reaction_limit' })
      expect((await toggle(carol, '👍')).ok).toBe(true)
      // Taking one back is never refused, and frees a place.
      const taken = await toggle(alice, '🎉')
      expect(taken.ok && taken.message.reactions?.map(reaction => reaction.emoji)).toStrictEqual(['👍', '🚀'])
      expect((await toggle(alice, '🔥')).ok).toBe(true)
    })

    it('pins and unpins a message, lists the room\'s pins newest first, and keeps the first pin of a message', async () => {
      const first = await say(alice, 'first')
      const second = await say(bob, 'second')
      const open = { maxPins: 0 }
      expect(await storage.setPinned('general', first.id, 'b', true, 1000, open)).toStrictEqual({ ok: true, message: { ...first, pinnedAt: 1000, pinnedBy: 'b' } })
      expect((await storage.setPinned('general', second.id, 'a', true, 2000, open)).ok).toBe(true)
      expect((await storage.setPinned('general', first.id, 'c', true, 3000, open)).ok).toBe(true)
      expect((await storage.pinnedMessages('general')).map(message => [message.id, message.pinnedAt, message.pinnedBy])).toStrictEqual([
        [second.id, 2000, 'a'], [first.id, 1000, 'b'],
      ])
      expect((await history())[0]).toStrictEqual({ ...first, pinnedAt: 1000, pinnedBy: 'b' })
      expect(await storage.setPinned('general', second.id, 'a', false, 4000, open)).toStrictEqual({ ok: true, message: second })
      expect(await storage.pinnedMessages('general')).toHaveLength(1)
      expect(await storage.pinnedMessages('other')).toStrictEqual([])
    })

    it('refuses a pin past the room\'s cap, an unpin by anyone but the pinner when only they may, and pins of deleted messages', async () => {
      const [one, two, three] = [await say(alice, 'one'), await say(alice, 'two'), await say(alice, 'three')]
      const capped = { maxPins: 2 }
      expect((await storage.setPinned('general', one.id, 'a', true, 1, capped)).ok).toBe(true)
      expect((await storage.setPinned('general', two.id, 'a', true, 2, capped)).ok).toBe(true)
      expect(await storage.setPinned('general', three.id, 'a', true, 3, capped)).toStrictEqual({ ok: false, reason: 'pin_limit' })
      // Pinning one already pinned is not one more.
      expect((await storage.setPinned('general', two.id, 'b', true, 4, capped)).ok).toBe(true)
      expect(await storage.setPinned('general', one.id, 'b', false, 5, { maxPins: 2, onlyPinner: 'b' })).toStrictEqual({ ok: false, reason: 'not_owner' })
      expect((await storage.setPinned('general', one.id, 'a', false, 5, { maxPins: 2, onlyPinner: 'a' })).ok).toBe(true)
      // Deleting a pinned message unpins it; a deleted message cannot be pinned.
      expect((await storage.deleteMessage('general', two.id, 'a', 6)).ok).toBe(true)
      expect(await storage.pinnedMessages('general')).toStrictEqual([])
      expect(await storage.setPinned('general', two.id, 'a', true, 7, capped)).toStrictEqual({ ok: false, reason: 'deleted' })
      expect(await storage.setPinned('general', 'no-such-id', 'a', true, 7, capped)).toStrictEqual({ ok: false, reason: 'not_found' })
    })

    // Two instances on the same data stand for two server processes.
    it('keeps every user\'s reaction when two instances toggle the same emoji at once', async () => {
      const writers = [storage, await current().openAnother()]
      const message = await say(alice, 'popular')
      const userIds = Array.from({ length: 20 }, (_, index) => `u${index}`)
      const toggleAll = () => Promise.all(userIds.map((userId, index) => writers[index % 2]!.toggleReaction('general', message.id, userId, '👍', NO_CAPS)))
      expect((await toggleAll()).every(result => result.ok)).toBe(true)
      const [stored] = await writers[1]!.messagesAfter('general', 0, 10)
      expect(stored!.reactions).toHaveLength(1)
      expect([...stored!.reactions![0]!.userIds].sort()).toStrictEqual([...userIds].sort())
      await toggleAll()
      expect(await writers[0]!.messagesAfter('general', 0, 10)).toStrictEqual([message])
    })
  })
}
