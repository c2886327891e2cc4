import { describe, expect, it } from 'vitest'
import { backoffCeiling, backoffDelay } from '~/utils/backoff'
import { firstUnreadAtOpen, groupMessages, interleaveNotices, lastSeqOf, mergeMessages } from '~/utils/timeline'
import type { ChatMessage } from '#shared/protocol'

describe('backoff with full jitter', () => {
  it('doubles from 500 ms and stops at 20 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(attempt => backoffCeiling(attempt))).toEqual([500, 1000, 2000, 4000, 8000, 16000, 20000, 20000])
    expect(backoffCeiling(10_000)).toBe(20000)
  })

  it('draws each delay from [0, ceiling)', () => {
    expect(backoffDelay(3, undefined, () => 0)).toBe(0)
    expect(backoffDelay(3, undefined, () => 0.5)).toBe(2000)
    expect(backoffDelay(3, undefined, () => 0.999999)).toBe(3999)
    expect(backoffDelay(50, undefined, () => 0.999999)).toBeLessThan(20000)
  })
})

const alice = { id: 'a', name: 'alice', username: 'alice' }
const bob = { id: 'b', name: 'bob', username: 'bob' }
const message = (seq: number, user = alice, ts = seq * 1000): ChatMessage =>
  ({ room: 'general', id: `m${seq}`, seq, user, text: `text ${seq}`, ts, clientId: `c${seq}` })

describe('mergeMessages', () => {
  it('keeps the list sorted by seq without duplicates whatever the arrival order', () => {
    const merged = mergeMessages([message(3), message(5)], [message(4), message(1), message(5), message(3)])
    expect(merged.map(item => item.seq)).toEqual([1, 3, 4, 5])
  })

  it('appends a newer live message without disturbing the rest', () => {
    const current = [message(1), message(2)]
    expect(mergeMessages(current, [message(3)]).map(item => item.seq)).toEqual([1, 2, 3])
    expect(current).toHaveLength(2)
  })

  it('returns the same list when nothing arrives', () => {
    const current = [message(1)]
    expect(mergeMessages(current, [])).toBe(current)
    expect(lastSeqOf(current)).toBe(1)
    expect(lastSeqOf([])).toBe(0)
  })
})

describe('groupMessages', () => {
  it('groups consecutive messages of one author within five minutes', () => {
    const groups = groupMessages([message(1), message(2), message(3, bob), message(4), message(5, alice, 4000 + 5 * 60 * 1000)])
    expect(groups.map(group => [group.user.name, group.messages.map(item => item.seq)])).toEqual([
      ['alice', [1, 2]],
      ['bob', [3]],
      ['alice', [4]],
      ['alice', [5]],
    ])
  })

  it('starts a new group when the author is renamed, so the new name heads what they sent afterwards', () => {
    const renamed = { ...alice, name: 'Alice Liddell', username: 'liddell' }
    const groups = groupMessages([message(1), message(2, renamed), message(3, renamed)])
    expect(groups.map(group => [group.user.username, group.messages.map(item => item.seq)])).toEqual([
      [alice.username, [1]],
      ['liddell', [2, 3]],
    ])
  })
})

describe('firstUnreadAtOpen', () => {
  const held = [message(1), message(2, bob), message(3), message(4)]

  it('is the first message by someone else that was unread when the room opened', () => {
    expect(firstUnreadAtOpen(held, { readSeq: 1, newestSeq: 3 }, bob.id)).toBe(3)
    expect(firstUnreadAtOpen(held, { readSeq: 1, newestSeq: 3 }, alice.id)).toBe(2)
  })

  it('never falls on what arrived after opening, nor in a room never read before', () => {
    expect(firstUnreadAtOpen(held, { readSeq: 3, newestSeq: 3 }, bob.id)).toBeUndefined()
    expect(firstUnreadAtOpen(held, { readSeq: 0, newestSeq: 4 }, bob.id)).toBeUndefined()
  })
})

describe('interleaveNotices', () => {
  const notice = (key: string, ts: number) => ({ key, kind: 'join' as const, user: bob, ts })
  const shown = (items: ReturnType<typeof interleaveNotices>) =>
    items.map(item => item.type === 'group' ? `${item.key}:${item.group.messages.map(inGroup => inGroup.seq).join(',')}` : item.notice.key)

  it('puts join and leave lines among the messages by time, and drops lines older than the history shown', () => {
    const groups = groupMessages([message(1, alice, 1000), message(2, alice, 2000), message(3, bob, 5000)])
    const items = interleaveNotices(groups, [notice('late', 9000), notice('between', 3000), notice('old', 10)])
    expect(shown(items)).toEqual(['m1:1,2', 'between', 'm3:3', 'late'])
  })

  it('splits a group at a line that falls inside it, so later messages never show above an earlier arrival', () => {
    const groups = groupMessages([message(1, alice, 1000), message(2, alice, 2000), message(3, alice, 3000), message(4, alice, 4000)])
    const items = interleaveNotices(groups, [notice('joined', 1500), notice('left', 3500), notice('rejoined', 3600)])
    expect(shown(items)).toEqual(['m1:1', 'joined', 'm2:2,3', 'left', 'rejoined', 'm4:4'])
  })
})
