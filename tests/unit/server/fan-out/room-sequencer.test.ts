import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ChatMessage } from '#shared/protocol'
import { RoomSequencer } from '#server/utils/fan-out/room-sequencer'

const message = (seq: number, room = 'general'): ChatMessage =>
  ({ room, id: `m${seq}`, seq, user: { id: 'u', name: 'u', username: 'u' }, text: `t${seq}`, ts: seq, clientId: `c${seq}` })
const chat = (seq: number, room = 'general') => ({ type: 'chat' as const, ...message(seq, room) })

describe('RoomSequencer', () => {
  let delivered: number[]
  let stored: ChatMessage[]
  let sequencer: RoomSequencer
  const readAfter = vi.fn(async (_room: string, after: number, limit: number) => stored.filter(item => item.seq > after).slice(0, limit))

  beforeEach(() => {
    vi.useFakeTimers()
    delivered = []
    stored = []
    readAfter.mockClear()
    sequencer = new RoomSequencer(event => delivered.push(event.seq), readAfter, 500)
  })
  afterEach(() => vi.useRealTimers())

  it('delivers consecutive events at once and drops what it already delivered', () => {
    sequencer.track('general', 4)
    for (const seq of [5, 6, 6, 3, 7]) sequencer.accept(chat(seq))
    expect(delivered).toEqual([5, 6, 7])
  })

  it('puts events that crossed on the bus back in order', () => {
    sequencer.track('general', 0)
    for (const seq of [2, 3, 1, 4]) sequencer.accept(chat(seq))
    expect(delivered).toEqual([1, 2, 3, 4])
    expect(readAfter).not.toHaveBeenCalled()
  })

  it('fills a gap that stays open from storage', async () => {
    stored = [message(1), message(2), message(3)]
    sequencer.track('general', 0)
    sequencer.accept(chat(3))
    expect(delivered).toEqual([])
    await vi.advanceTimersByTimeAsync(500)
    expect(readAfter).toHaveBeenCalledWith('general', 0, 2)
    expect(delivered).toEqual([1, 2, 3])
  })

  it('ignores rooms nobody on this instance is in', () => {
    sequencer.accept(chat(1, 'elsewhere'))
    sequencer.track('general', 0)
    sequencer.untrack('general')
    sequencer.accept(chat(1))
    expect(delivered).toEqual([])
  })
})

describe('RoomSequencer.resync', () => {
  it('delivers stored messages that never came over the bus, after the last one delivered', async () => {
    const delivered: number[] = []
    const stored = [1, 2, 3, 4].map(seq => message(seq))
    const sequencer = new RoomSequencer(event => delivered.push(event.seq), async (_room, after, limit) => stored.filter(item => item.seq > after).slice(0, limit))
    sequencer.track('general', 0)
    sequencer.accept(chat(1))
    sequencer.accept(chat(2))
    await sequencer.resync()
    expect(delivered).toEqual([1, 2, 3, 4])
    sequencer.accept(chat(4))
    expect(delivered).toEqual([1, 2, 3, 4])
  })
})
