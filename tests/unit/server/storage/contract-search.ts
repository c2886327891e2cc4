import { beforeEach, describe, expect, it } from 'vitest'
import type { ChatMessage, User } from '#shared/protocol'
import type { ChatStorage } from '#server/utils/storage/types'
import { InvalidSearchCursor } from '#server/utils/storage/search-types'
import type { SearchQuery } from '#server/utils/storage/search-types'
import type { StorageUnderTest } from './contract'

const alice = { id: 'a', name: 'alice', username: 'alice' }
const bob = { id: 'b', name: 'bob', username: 'bob' }

/**
 * Full-text search, as every storage must answer it. Runs inside the storage contract, which gives each case a
 * fresh storage with a public room `general`; `current` returns that case's storage.
 */
export function describeSearch(current: () => StorageUnderTest): void {
  describe('search', () => {
    let storage: ChatStorage
    beforeEach(() => {
      storage = current().storage
    })

    let said = 0
    const say = async (room: string, user: User, text: string) =>
      (await storage.appendMessage({ room, user, text, clientId: `search-${++said}` })).message
    const find = async (text: string, options: Partial<SearchQuery> = {}) =>
      (await storage.searchMessages({ userId: 'a', text, limit: 50, ...options })).messages.map(message => message.text)

    it('finds messages holding every word, in any case, newest first, the last word as a prefix', async () => {
      await say('general', alice, 'The deploy script is broken')
      await say('general', bob, 'lunch at noon?')
      await say('general', bob, 'I fixed the DEPLOY script')
      await say('general', alice, 'deployment went fine')
      expect(await find('deploy script')).toEqual(['I fixed the DEPLOY script', 'The deploy script is broken'])
      expect(await find('Deploy')).toEqual(['deployment went fine', 'I fixed the DEPLOY script', 'The deploy script is broken'])
      // Only the last word is a prefix.
      expect(await find('depl script')).toEqual([])
      expect(await find('nothing here')).toEqual([])
      expect(await find('   ')).toEqual([])
    })

    it('answers whole messages as history shows them, reactions included', async () => {
      const message = await say('general', alice, 'reacted to')
      await storage.toggleReaction('general', message.id, 'b', '👍', { perUser: 0, perMessage: 0 })
      const { messages } = await storage.searchMessages({ userId: 'b', text: 'reacted', limit: 10 })
      expect(messages).toStrictEqual([{ ...message, reactions: [{ emoji: '👍', userIds: ['b'] }] }])
    })

    it('splits words at punctuation and finds names, numbers and words of other scripts', async () => {
      await say('general', alice, 'see example.com/path, call foo_bar(42) @carol')
      await say('general', bob, 'Привет мир, 日本語 too')
      expect(await find('example')).toEqual(['see example.com/path, call foo_bar(42) @carol'])
      expect(await find('bar 42 carol')).toEqual(['see example.com/path, call foo_bar(42) @carol'])
      expect(await find('привет')).toEqual(['Привет мир, 日本語 too'])
      expect(await find('日本語')).toEqual(['Привет мир, 日本語 too'])
    })

    it('reads operators and quotes in a query as plain words, and a query of none as no query', async () => {
      await say('general', alice, 'this OR that, NEAR the "end" - not*')
      await say('general', bob, 'unrelated')
      for (const query of ['OR', 'NEAR(', 'near(the', '"end', 'not*', 'this -that', 'that NOT', 'that:this', '^this', '{this}']) {
        expect(await find(query), query).toEqual(['this OR that, NEAR the "end" - not*'])
      }
      for (const query of ['"', '*', '-', '\')--', '\'; DROP TABLE messages; --', '()', ':*', '&|!', '\\', 'NEAR(unrelated OR nothing)']) {
        expect(await find(query), query).toEqual([])
      }
      expect(await find('unrelated')).toEqual(['unrelated'])
    })

    it('finds a message by its new text after an edit, and never a deleted one', async () => {
      const typo = await say('general', alice, 'recieve the parcel')
      const gone = await say('general', alice, 'secret plans for friday')
      await storage.editMessage('general', typo.id, 'a', 'receive the parcel', 1000)
      expect(await find('recieve')).toEqual([])
      expect(await find('receive')).toEqual(['receive the parcel'])
      expect(await find('parcel')).toEqual(['receive the parcel'])
      await storage.deleteMessage('general', gone.id, 'a', 2000)
      expect(await find('secret plans')).toEqual([])
      await storage.deleteMessage('general', typo.id, 'b', 3000, true)
      expect(await find('parcel')).toEqual([])
    })

    for (const kind of ['private', 'dm'] as const) {
      it(`finds messages of a ${kind} room for its members only`, async () => {
        await storage.createRoom('hidden', 'a', { kind, memberIds: ['a', 'b'] })
        await say('hidden', alice, 'the hidden launch date')
        await say('general', alice, 'the public launch party')
        const finds = (userId: string) => find('launch', { userId })
        expect(await finds('a')).toEqual(['the public launch party', 'the hidden launch date'])
        expect(await finds('b')).toEqual(['the public launch party', 'the hidden launch date'])
        expect(await finds('c')).toEqual(['the public launch party'])
        // Naming the room does not let an outsider in.
        expect(await find('launch', { userId: 'c', room: 'hidden' })).toEqual([])
        await storage.removeMember('hidden', 'b')
        expect(await finds('b')).toEqual(['the public launch party'])
      })
    }

    it('filters by room, by author and by time', async () => {
      await storage.createRoom('ops', null)
      const first = await say('general', alice, 'status update one')
      await waitForClockPast(first.ts)
      const second = await say('ops', bob, 'status update two')
      await waitForClockPast(second.ts)
      const third = await say('general', bob, 'status update three')
      expect(await find('status', { room: 'general' })).toEqual([third.text, first.text])
      expect(await find('status', { room: 'ops' })).toEqual([second.text])
      expect(await find('status', { room: 'nowhere' })).toEqual([])
      expect(await find('status', { authorId: 'b' })).toEqual([third.text, second.text])
      expect(await find('status', { authorId: 'b', room: 'general' })).toEqual([third.text])
      expect(await find('status', { before: second.ts })).toEqual([first.text])
      expect(await find('status', { after: second.ts })).toEqual([third.text, second.text])
      expect(await find('status', { after: second.ts, before: third.ts })).toEqual([second.text])
    })

    it('pages newest first with a cursor, each message once, and refuses a cursor it did not make', async () => {
      const stored: ChatMessage[] = []
      for (let index = 0; index < 25; index++) stored.push(await say('general', index % 2 ? alice : bob, `page item ${index}`))
      await say('general', alice, 'another topic')
      const seen: string[] = []
      let cursor: string | undefined
      const sizes: number[] = []
      do {
        const page = await storage.searchMessages({ userId: 'a', text: 'page item', limit: 10, cursor })
        sizes.push(page.messages.length)
        seen.push(...page.messages.map(message => message.id))
        cursor = page.nextCursor ?? undefined
      } while (cursor)
      expect(sizes).toEqual([10, 10, 5])
      expect(seen).toEqual(stored.map(message => message.id).reverse())
      // A page that ends exactly at the last match says there is nothing after it.
      expect((await storage.searchMessages({ userId: 'a', text: 'page', limit: 25 })).nextCursor).toBeNull()
      for (const bad of ['', 'x', '-1', '1.', '1.AA', '99999999999999999999', '\'; --']) {
        await expect(storage.searchMessages({ userId: 'a', text: 'page', limit: 10, cursor: bad }), bad).rejects.toBeInstanceOf(InvalidSearchCursor)
      }
    })
  })
}

/** Returns once the clock shows a later millisecond than `ts`, so the next message gets a later ts. */
async function waitForClockPast(ts: number): Promise<void> {
  while (Date.now() <= ts) await new Promise(resolve => setImmediate(resolve))
}
