import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ChatStorage } from '#server/utils/storage/types'
import { describeMessageChanges } from './contract-changes'
import { describeRoomMembers } from './contract-members'
import { describeRoomNames } from './contract-room-names'
import { describeReadMarkers, setReadSeq } from './contract-read-markers'
import { describeAccounts } from './contract-accounts'
import { describeInvites } from './contract-invites'
import { describeRetention } from './contract-retention'
import { describeSearch } from './contract-search'
import { describeThreads } from './contract-threads'
import { describeThreadFollows } from './contract-thread-follows'
import { describeUnreadWithAtSign } from './contract-mentions'
import { describeUnreadStarts } from './contract-unread-starts'
import { describeNotificationChoices } from './contract-notifications'
import { describeReceiptStorage } from './contract-receipts'
import { describeAttachments } from './contract-attachments'

/** A storage on fresh, empty data, as each contract case gets it. */
export interface StorageUnderTest {
  storage: ChatStorage
  /** Opens another instance on the same data: a restart, or a second server process. */
  openAnother: () => Promise<ChatStorage>
  /** Closes every instance it opened and deletes the data. */
  cleanup: () => Promise<void>
}

const alice = { id: 'a', name: 'alice', username: 'alice' }
const bob = { id: 'b', name: 'bob', username: 'bob' }
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index)
/** The numbers in random order (Fisher–Yates). */
const shuffled = (values: number[]) => {
  const copy = [...values]
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(Math.random() * (index + 1))
    ;[copy[index], copy[other]] = [copy[other]!, copy[index]!]
  }
  return copy
}

/** What every `ChatStorage` must do, whichever database stands behind it. */
export function describeStorageContract(name: string, create: () => Promise<StorageUnderTest>): void {
  describe(`${name} storage contract`, () => {
    let underTest: StorageUnderTest
    let storage: ChatStorage

    beforeEach(async () => {
      underTest = await create()
      storage = underTest.storage
      await storage.createRoom('general', null)
    })
    afterEach(async () => {
      await underTest.cleanup()
    })

    let posted = 0
    /** Appends `count` messages so the room's last seq grows by `count`. */
    const post = async (room: string, count: number) => {
      for (let index = 0; index < count; index++) {
        await storage.appendMessage({ room, user: alice, text: 'x', clientId: `post-${++posted}` })
      }
    }

    it('creates rooms once', async () => {
      expect(await storage.createRoom('plans', 'alice')).toMatchObject({ name: 'plans', createdBy: 'alice' })
      expect(await storage.createRoom('plans', 'bob')).toBeNull()
      expect((await storage.listRooms()).map(room => room.name)).toEqual(['general', 'plans'])
      expect(await storage.getRoom('plans')).toMatchObject({ name: 'plans', createdBy: 'alice', createdAt: expect.any(Number) })
      expect(await storage.getRoom('nope')).toBeNull()
    })

    it('numbers each room\'s messages 1, 2, 3… independently, with unique ids', async () => {
      await storage.createRoom('other', null)
      const seqs = []
      for (let index = 0; index < 5; index++) {
        seqs.push((await storage.appendMessage({ room: 'general', user: alice, text: `g${index}`, clientId: `g${index}` })).message.seq)
      }
      const other = await storage.appendMessage({ room: 'other', user: alice, text: 'o', clientId: 'o1' })
      expect(seqs).toEqual([1, 2, 3, 4, 5])
      expect(other.message.seq).toBe(1)
      expect(await storage.lastSeq('general')).toBe(5)
      expect(await storage.lastSeq('nope')).toBe(0)
      const ids = new Set((await storage.messagesAfter('general', 0, 100)).map(message => message.id).concat(other.message.id))
      expect(ids.size).toBe(6)
    })

    it('reads back exactly what it stored', async () => {
      const { message } = await storage.appendMessage({ room: 'general', user: alice, text: 'héllo 👋', clientId: 'c1' })
      expect(message).toEqual({ room: 'general', id: expect.any(String), seq: 1, user: alice, text: 'héllo 👋', ts: expect.any(Number), clientId: 'c1' })
      expect(await storage.messagesAfter('general', 0, 10)).toEqual([message])
    })

    it('stores a repeated (user, clientId) once and returns the first message', async () => {
      const first = await storage.appendMessage({ room: 'general', user: alice, text: 'hi', clientId: 'same' })
      const again = await storage.appendMessage({ room: 'general', user: alice, text: 'hi', clientId: 'same' })
      const fromBob = await storage.appendMessage({ room: 'general', user: bob, text: 'hi', clientId: 'same' })
      expect(first.duplicate).toBe(false)
      expect(again).toEqual({ message: first.message, duplicate: true })
      expect(fromBob.duplicate).toBe(false)
      expect(fromBob.message.seq).toBe(2)
    })

    it('numbers a burst to several rooms at once per room, answering a repeat within it with the same message', async () => {
      await storage.createRoom('other', null)
      const [first, other, fromBob, again, otherFromBob] = await Promise.all([
        storage.appendMessage({ room: 'general', user: alice, text: 'g1', clientId: 'b1' }),
        storage.appendMessage({ room: 'other', user: alice, text: 'o1', clientId: 'b2' }),
        storage.appendMessage({ room: 'general', user: bob, text: 'g2', clientId: 'b1' }),
        storage.appendMessage({ room: 'general', user: alice, text: 'g1 again', clientId: 'b1' }),
        storage.appendMessage({ room: 'other', user: bob, text: 'o2', clientId: 'b3' }),
      ])
      // Which of two simultaneous appends wins is the database's call; that exactly one does is the contract.
      expect([first!.duplicate, again!.duplicate].sort()).toEqual([false, true])
      expect(again!.message).toEqual(first!.message)
      expect([first!.message.seq, fromBob!.message.seq].sort()).toEqual([1, 2])
      expect([other!.message.seq, otherFromBob!.message.seq].sort()).toEqual([1, 2])
      expect(await storage.messagesAfter('general', 0, 10)).toHaveLength(2)
    })

    it('stores the rest of a burst when one of its messages names a room that does not exist', async () => {
      const [good, ghost, alsoGood] = await Promise.allSettled([
        storage.appendMessage({ room: 'general', user: alice, text: 'a', clientId: 'x1' }),
        storage.appendMessage({ room: 'ghost', user: alice, text: 'b', clientId: 'x2' }),
        storage.appendMessage({ room: 'general', user: alice, text: 'c', clientId: 'x3' }),
      ])
      expect(ghost).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ message: expect.stringMatching(/Unknown room/) }) })
      expect([good, alsoGood].map(result => result.status === 'fulfilled' && result.value.message.seq).sort()).toEqual([1, 2])
    })

    it('refuses a message for a room that does not exist', async () => {
      await expect(storage.appendMessage({ room: 'ghost', user: alice, text: 'x', clientId: 'x' })).rejects.toThrow(/Unknown room/)
    })

    it('pages history in ascending order', async () => {
      for (let index = 1; index <= 7; index++) await storage.appendMessage({ room: 'general', user: alice, text: `${index}`, clientId: `${index}` })
      expect((await storage.messagesBefore('general', Number.MAX_SAFE_INTEGER, 3)).map(message => message.seq)).toEqual([5, 6, 7])
      expect((await storage.messagesBefore('general', 5, 3)).map(message => message.seq)).toEqual([2, 3, 4])
      expect((await storage.messagesAfter('general', 5, 10)).map(message => message.seq)).toEqual([6, 7])
      expect((await storage.messagesAfter('general', 0, 2)).map(message => message.seq)).toEqual([1, 2])
    })

    it('keeps rooms, messages and accounts across a restart', async () => {
      await storage.appendMessage({ room: 'general', user: alice, text: 'persisted', clientId: 'p' })
      await storage.createAccount({ id: 'acc', username: 'alice', usernameKey: 'alice', displayName: 'Alice', role: 'member', passwordHash: null, now: 1, ownerIfFirst: false })
      await storage.close()
      const restarted = await underTest.openAnother()
      expect((await restarted.listRooms()).map(room => room.name)).toEqual(['general'])
      expect((await restarted.messagesAfter('general', 0, 10)).map(message => message.text)).toEqual(['persisted'])
      expect((await restarted.appendMessage({ room: 'general', user: alice, text: 'next', clientId: 'n' })).message.seq).toBe(2)
      expect((await restarted.accountByUsernameKey('alice'))?.id).toBe('acc')
    })

    it('answers ping while open', async () => {
      expect(await storage.ping()).toBe(true)
    })

    describeMessageChanges(() => underTest)
    describeRoomMembers(() => underTest)
    describeRoomNames(() => underTest)

    describeReadMarkers(() => underTest)

    describeAccounts(() => underTest)
    describeInvites(() => underTest)
    describeRetention(() => underTest)
    describeSearch(() => underTest)
    describeThreads(() => underTest)
    describeThreadFollows(() => underTest)
    describeUnreadWithAtSign(() => underTest)
    describeUnreadStarts(() => underTest)
    describeNotificationChoices(() => underTest)
    describeReceiptStorage(() => underTest)
    describeAttachments(() => underTest)

    // Two instances on the same data stand for two server processes writing at once.
    describe('concurrent writers', () => {
      it('numbers 200 concurrent appends to one room 1..200 with no gap or repeat', async () => {
        const writers = [storage, await underTest.openAnother()]
        const users = [alice, bob, { id: 'c', name: 'carol', username: 'carol' }, { id: 'd', name: 'dan', username: 'dan' }]
        const results = await Promise.all(range(0, 199).map(index => writers[index % writers.length]!.appendMessage({
          room: 'general', user: users[index % users.length]!, text: `m${index}`, clientId: `c${index}`,
        })))
        expect(results.every(result => !result.duplicate)).toBe(true)
        expect(results.map(result => result.message.seq).sort((a, b) => a - b)).toEqual(range(1, 200))
        expect((await storage.messagesAfter('general', 0, 500)).map(message => message.seq)).toEqual(range(1, 200))
        expect(await writers[1]!.lastSeq('general')).toBe(200)
      })

      it('stores one clientId appended 20 times at once exactly once, and burns no seq', async () => {
        const writers = [storage, await underTest.openAnother()]
        const results = await Promise.all(range(0, 19).map(index => writers[index % writers.length]!.appendMessage({
          room: 'general', user: alice, text: 'once', clientId: 'retry-me',
        })))
        expect(results.filter(result => !result.duplicate)).toHaveLength(1)
        expect(new Set(results.map(result => `${result.message.id}#${result.message.seq}`))).toEqual(new Set([`${results[0]!.message.id}#1`]))
        expect(await storage.messagesAfter('general', 0, 100)).toHaveLength(1)
        expect((await storage.appendMessage({ room: 'general', user: alice, text: 'next', clientId: 'next' })).message.seq).toBe(2)
      })

      it('ends a read marker set 1..50 in random order by two instances at once at 50', async () => {
        const writers = [storage, await underTest.openAnother()]
        await post('general', 50)
        const sets = writers.flatMap(writer => shuffled(range(1, 50)).map(seq => ({ writer, seq })))
        const stored = await Promise.all(sets.map(({ writer, seq }) => setReadSeq(writer, 'a', 'general', seq)))
        // Each call returns the max of what it found and what it set, so never less than what it set.
        expect(stored.every((value, index) => value >= sets[index]!.seq)).toBe(true)
        expect(await writers[1]!.readSeqs('a')).toEqual({ general: 50 })
      })

    })
  })
}
