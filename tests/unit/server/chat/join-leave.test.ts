import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { JOIN_LINES_BURST, JOIN_LINES_PER_SECOND, JoinLeaveNotices, LEAVE_GRACE_MS } from '#server/utils/chat/join-leave'

const bob = { id: 'b', name: 'bob', username: 'bob' }

describe('JoinLeaveNotices', () => {
  let lines: [string, string, string, number][]
  let notices: JoinLeaveNotices

  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000 })
    lines = []
    notices = new JoinLeaveNotices((room, kind, user, ts) => lines.push([room, kind, user.id, ts]))
  })
  afterEach(() => vi.useRealTimers())

  it('tells a join at once', () => {
    notices.arrived('general', bob)
    expect(lines).toEqual([['general', 'join', 'b', 1_000]])
  })

  it('says nothing of a reload or reconnect that comes back within the grace', () => {
    notices.disconnected('general', bob)
    vi.advanceTimersByTime(LEAVE_GRACE_MS - 1)
    notices.arrived('general', bob)
    vi.advanceTimersByTime(LEAVE_GRACE_MS)
    expect(lines).toEqual([])
  })

  it('tells a leave once the grace passes without a return, at the time the user went', () => {
    notices.disconnected('general', bob)
    notices.disconnected('other', bob)
    vi.advanceTimersByTime(LEAVE_GRACE_MS - 1)
    expect(lines).toEqual([])
    vi.advanceTimersByTime(1)
    expect(lines).toEqual([['general', 'leave', 'b', 1_000], ['other', 'leave', 'b', 1_000]])
    // Back after the room heard they left: a join again.
    notices.arrived('general', bob)
    expect(lines.at(-1)).toEqual(['general', 'join', 'b', 1_000 + LEAVE_GRACE_MS])
  })

  it('tells a chosen leave at once, and only once', () => {
    notices.disconnected('general', bob)
    notices.left('general', bob)
    vi.advanceTimersByTime(LEAVE_GRACE_MS)
    expect(lines).toEqual([['general', 'leave', 'b', 1_000]])
  })

  it('tells neither a join nor its leave past the budget of joins per user and room, and again once it refills', () => {
    for (let round = 0; round < JOIN_LINES_BURST + 5; round++) {
      notices.arrived('general', bob)
      notices.left('general', bob)
    }
    expect(lines).toEqual(Array.from({ length: JOIN_LINES_BURST }, () => [['general', 'join', 'b', 1_000], ['general', 'leave', 'b', 1_000]]).flat())
    // An untold join's socket closing tells nothing either, after the grace.
    notices.arrived('general', bob)
    notices.disconnected('general', bob)
    vi.advanceTimersByTime(LEAVE_GRACE_MS)
    expect(lines).toHaveLength(2 * JOIN_LINES_BURST)
    notices.arrived('other', bob)
    expect(lines.at(-1)).toEqual(['other', 'join', 'b', 1_000 + LEAVE_GRACE_MS])
    vi.advanceTimersByTime(1000 / JOIN_LINES_PER_SECOND)
    notices.arrived('general', bob)
    notices.left('general', bob)
    expect(lines.slice(-2).map(([, kind]) => kind)).toEqual(['join', 'leave'])
  })
})
