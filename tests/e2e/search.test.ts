import { randomBytes } from 'node:crypto'
import { describe, expect, inject, it } from 'vitest'
import type { HistoryPage } from '#shared/protocol'
import type { SearchResults } from '#shared/search'
import { createRoom, signIn, uniqueName } from './support/client'
import { expectRefusal } from './support/rest'
import { api, createPrivateRoom } from './support/room-admin'

const baseURL = inject('baseURL')

/** A word no other test on the shared server writes. */
const uniqueWord = (prefix: string) => `${prefix}${randomBytes(5).toString('hex')}`

const search = (cookie: string, params: Record<string, string>) => api(baseURL, cookie, 'GET', `/api/search?${new URLSearchParams(params)}`)
const found = async (cookie: string, params: Record<string, string>): Promise<SearchResults> => {
  const response = await search(cookie, params)
  expect(response.status, await response.clone().text()).toBe(200)
  return response.json()
}
const texts = async (cookie: string, params: Record<string, string>) => (await found(cookie, params)).results.map(result => result.message.text)

let sent = 0
async function post(cookie: string, room: string, text: string): Promise<{ id: string, seq: number, ts: number }> {
  const response = await api(baseURL, cookie, 'POST', `/api/rooms/${room}/messages`, { text, clientId: `search-${++sent}-${Math.random()}` })
  expect(response.status).toBe(201)
  return response.json()
}

describe('search', () => {
  it('finds messages across the rooms the user reads, newest first, with the words marked in a text snippet', async () => {
    const alice = await signIn(baseURL, uniqueName('alice'))
    const room = await createRoom(baseURL, alice.cookie, 'plans')
    const word = uniqueWord('launch')
    await post(alice.cookie, 'general', `the ${word} is on <b>friday</b>`)
    await post(alice.cookie, room, `moving the ${word} to monday`)
    const page = await found(alice.cookie, { q: word })
    expect(page.nextCursor).toBeNull()
    expect(page.results.map(result => [result.message.room, result.message.text])).toEqual([
      [room, `moving the ${word} to monday`], ['general', `the ${word} is on <b>friday</b>`],
    ])
    const { snippet } = page.results[1]!
    expect(snippet.text).toBe(`the ${word} is on <b>friday</b>`)
    expect(snippet.marks.map(mark => snippet.text.slice(mark.start, mark.end))).toEqual([word])
    expect(page.results[1]!.message.user).toMatchObject({ id: alice.user.id, username: alice.user.username })
  })

  it('never shows a non-member anything of a private room or a direct message, even when named', async () => {
    const alice = await signIn(baseURL, uniqueName('alice'))
    const bob = await signIn(baseURL, uniqueName('bob'))
    const eve = await signIn(baseURL, uniqueName('eve'))
    const word = uniqueWord('secret')
    const privateRoom = await createPrivateRoom(baseURL, alice.cookie, [bob.user.username])
    const dm = (await (await api(baseURL, alice.cookie, 'POST', '/api/dms', { username: bob.user.username })).json()).room.name
    await post(alice.cookie, privateRoom, `${word} in the private room`)
    await post(bob.cookie, dm, `${word} in our conversation`)
    for (const member of [alice, bob]) {
      expect(await texts(member.cookie, { q: word })).toEqual([`${word} in our conversation`, `${word} in the private room`])
    }
    expect(await texts(eve.cookie, { q: word })).toEqual([])
    expect(await texts(eve.cookie, { q: `${word.slice(0, 8)}` })).not.toContain(`${word} in the private room`)
    await expectRefusal(search(eve.cookie, { q: word, room: privateRoom }), 404, 'unknown_room')
    await expectRefusal(search(eve.cookie, { q: word, room: dm }), 404, 'unknown_room')
    expect(await texts(eve.cookie, { q: word, from: alice.user.username })).toEqual([])
    // Nor the "around" history of a search result there.
    await expectRefusal(api(baseURL, eve.cookie, 'GET', `/api/rooms/${privateRoom}/messages?around=1`), 404, 'unknown_room')
  })

  it('finds an edited message by its new words only, and a deleted one not at all', async () => {
    const alice = await signIn(baseURL, uniqueName('alice'))
    const before = uniqueWord('old')
    const after = uniqueWord('new')
    const edited = await post(alice.cookie, 'general', `${before} wording`)
    const deleted = await post(alice.cookie, 'general', `${after} but gone`)
    expect((await api(baseURL, alice.cookie, 'PATCH', `/api/rooms/general/messages/${edited.id}`, { text: `${after} wording` })).status).toBe(200)
    expect((await api(baseURL, alice.cookie, 'DELETE', `/api/rooms/general/messages/${deleted.id}`)).status).toBeLessThan(300)
    expect(await texts(alice.cookie, { q: before })).toEqual([])
    expect(await texts(alice.cookie, { q: after })).toEqual([`${after} wording`])
  })

  it('filters by room, author and date, and pages with a cursor', async () => {
    const alice = await signIn(baseURL, uniqueName('alice'))
    const bob = await signIn(baseURL, uniqueName('bob'))
    const room = await createRoom(baseURL, alice.cookie, 'ops')
    const word = uniqueWord('status')
    const first = await post(alice.cookie, 'general', `${word} one`)
    await post(bob.cookie, room, `${word} two`)
    expect(await texts(alice.cookie, { q: word, room })).toEqual([`${word} two`])
    expect(await texts(alice.cookie, { q: word, from: bob.user.username })).toEqual([`${word} two`])
    expect(await texts(alice.cookie, { q: word, from: `@${alice.user.username}` })).toEqual([`${word} one`])
    expect(await texts(alice.cookie, { q: word, from: uniqueName('nobody') })).toEqual([])
    const day = new Date(first.ts).toISOString().slice(0, 10)
    expect(await texts(alice.cookie, { q: word, before: day })).toEqual([])
    expect(await texts(alice.cookie, { q: word, after: day })).toHaveLength(2)
    expect(await texts(alice.cookie, { q: word, before: new Date(first.ts + 1).toISOString(), after: new Date(first.ts).toISOString() })).toEqual([`${word} one`])

    const many = uniqueWord('page')
    for (let index = 0; index < 25; index++) await post(alice.cookie, room, `${many} ${index}`)
    const firstPage = await found(alice.cookie, { q: many })
    expect(firstPage.results).toHaveLength(20)
    const secondPage = await found(alice.cookie, { q: many, cursor: firstPage.nextCursor! })
    expect([...firstPage.results, ...secondPage.results].map(result => result.message.text)).toEqual(
      Array.from({ length: 25 }, (_, index) => `${many} ${24 - index}`))
    expect(secondPage.nextCursor).toBeNull()
  })

  it('answers hostile query strings with results or a typed 400, never a 500', async () => {
    const alice = await signIn(baseURL, uniqueName('alice'))
    const word = uniqueWord('quote')
    await post(alice.cookie, 'general', `"${word}" OR NEAR(x) -y`)
    const hostile = ['"', '*', 'NEAR(', 'OR', '-', '\')--', '\'; DROP TABLE messages; --', '" OR 1=1 --', 'a:*', '\\', '()', '^', '{x}', 'NOT', 'AND', 'x NEAR/2 y',
      `"${word}`, `${word}*`, `-${word}`, `${word} OR`, `NEAR(${word}`, `${word}')--`, `<x>${word}</x>`, '\u0000', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', 'x'.repeat(200)]
    for (const q of hostile) {
      const response = await search(alice.cookie, { q })
      expect([200, 400], `${q}: ${response.status}`).toContain(response.status)
      const body = await response.json()
      if (response.status === 400) expect(body.data.code, q).toBe('empty_query')
      else if (q.includes(word)) expect(body.results.map((result: { message: { text: string } }) => result.message.text), q).toContain(`"${word}" OR NEAR(x) -y`)
    }
  })

  it('refuses bad input with typed errors', async () => {
    const alice = await signIn(baseURL, uniqueName('alice'))
    await expectRefusal(api(baseURL, null, 'GET', '/api/search?q=hello'), 401, 'unauthorized')
    await expectRefusal(search(alice.cookie, {}), 400, 'empty_query')
    await expectRefusal(search(alice.cookie, { q: '   ' }), 400, 'empty_query')
    await expectRefusal(search(alice.cookie, { q: 'x'.repeat(201) }), 400, 'query_too_long')
    await expectRefusal(api(baseURL, alice.cookie, 'GET', '/api/search?q=a&q=b'), 400, 'invalid_event')
    for (const date of ['yesterday', '2026-02-31', '2026-13-01', '2026-01-01T10:00', '1700000000000']) {
      await expectRefusal(search(alice.cookie, { q: 'hello', before: date }), 400, 'invalid_event')
      await expectRefusal(search(alice.cookie, { q: 'hello', after: date }), 400, 'invalid_event')
    }
    await expectRefusal(search(alice.cookie, { q: 'hello', room: 'Not A Room' }), 400, 'invalid_event')
    await expectRefusal(search(alice.cookie, { q: 'hello', room: uniqueName('missing') }), 404, 'unknown_room')
    for (const cursor of ['x', '1.AA', '', '9'.repeat(30)]) {
      await expectRefusal(search(alice.cookie, { q: 'hello', cursor }), 400, 'invalid_cursor')
    }
  })
})

describe('history around a message', () => {
  it('answers the page centred on a seq, and refuses mixing it with before or after', async () => {
    const alice = await signIn(baseURL, uniqueName('alice'))
    const room = await createRoom(baseURL, alice.cookie, 'around')
    for (let index = 1; index <= 30; index++) await post(alice.cookie, room, `m${index}`)
    const page: HistoryPage = await (await api(baseURL, alice.cookie, 'GET', `/api/rooms/${room}/messages?around=10&limit=6`)).json()
    expect(page.messages.map(message => message.seq)).toEqual([8, 9, 10, 11, 12, 13])
    expect(page.lastSeq).toBe(30)
    const start: HistoryPage = await (await api(baseURL, alice.cookie, 'GET', `/api/rooms/${room}/messages?around=1&limit=6`)).json()
    expect(start.messages.map(message => message.seq)).toEqual([1, 2, 3, 4])
    await expectRefusal(api(baseURL, alice.cookie, 'GET', `/api/rooms/${room}/messages?around=1&before=5`), 400, 'invalid_event')
    await expectRefusal(api(baseURL, alice.cookie, 'GET', `/api/rooms/${room}/messages?around=x`), 400, 'invalid_event')
  })
})
