import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ServerEvent } from '#shared/protocol'
import { Connection } from '#server/utils/socket/connection'
import { Hub } from '#server/utils/chat/hub'
import { DEFAULT_LIMITS } from '#server/utils/chat/limits'
import { createMemoryBus } from '#server/utils/bus/memory'
import type { ChatBus } from '#server/utils/bus/types'
import { ScaleOutFanOut } from '#server/utils/fan-out/scale-out'
import { TYPING_STARTS_BURST, TYPING_STARTS_PER_SECOND, TypingTracker } from '#server/utils/chat/typing'

const alice = { id: 'a', name: 'alice', username: 'alice' }
const bob = { id: 'b', name: 'bob', username: 'bob' }

/** Instances share a bus; the in-process one stands for Redis here, delivering synchronously to every instance. */
const sharedBus = createMemoryBus

/**
 * One instance: a hub and the scale-out fan-out the server runs with several instances (presence shared
 * over the bus, its time to live three heartbeats), and what its members were told.
 */
function instance(bus: ChatBus) {
  const hub = new Hub()
  const fanOut = new ScaleOutFanOut(hub, bus, { messagesAfter: async () => [] }, { heartbeatIntervalMs: 1000 })
  const presence = fanOut.presence
  const told: ServerEvent[] = []
  const connect = (user: typeof alice, room = 'general', following = false) => {
    const connection = new Connection(`${user.id}-${Math.random()}`, user, {
      send: frames => frames.forEach(frame => frame.lines.forEach(line => told.push(JSON.parse(line.toString())))),
      close: () => {},
      bufferedAmount: () => 0,
      ping: () => {},
      terminate: () => {},
    }, DEFAULT_LIMITS)
    hub.add(connection)
    hub.enter(connection, room, following)
    presence.update(room, user)
    return connection
  }
  return { hub, fanOut, presence, told, connect }
}

beforeEach(() => vi.useFakeTimers())
// Connections flush on a shared setImmediate: run what a test left queued before the real timers come back.
afterEach(() => {
  vi.runOnlyPendingTimers()
  vi.useRealTimers()
})

describe('PresenceTracker', () => {
  it('counts a user with several tabs once: online while one is visible, away when all are hidden, offline when gone', () => {
    const one = instance(sharedBus())
    const tab1 = one.connect(alice)
    const tab2 = one.connect(alice)
    expect(one.presence.snapshot('general')).toEqual([{ user: alice, state: 'online' }])
    tab1.visible = false
    one.presence.update('general', alice)
    expect(one.presence.snapshot('general')).toEqual([{ user: alice, state: 'online' }])
    tab2.visible = false
    one.presence.update('general', alice)
    expect(one.presence.snapshot('general')).toEqual([{ user: alice, state: 'away' }])
    one.hub.remove(tab1)
    one.hub.remove(tab2)
    one.presence.update('general', alice)
    expect(one.presence.snapshot('general')).toEqual([])
  })

  it('merges instances: a user online on one and away on another is online, and each sees the other\'s users', () => {
    const bus = sharedBus()
    const first = instance(bus)
    const second = instance(bus)
    const hidden = first.connect(alice)
    hidden.visible = false
    first.presence.update('general', alice)
    second.connect(alice)
    second.connect(bob)
    for (const side of [first, second]) {
      expect(side.presence.snapshot('general')).toEqual([{ user: alice, state: 'online' }, { user: bob, state: 'online' }])
    }
  })

  it('drops a silent instance\'s users after the time to live, and keeps refreshed ones', async () => {
    const bus = sharedBus()
    const first = instance(bus)
    const second = instance(bus)
    first.connect(alice)
    second.connect(bob)
    second.fanOut.stop()
    vi.advanceTimersByTime(2000)
    first.presence.refresh()
    vi.advanceTimersByTime(2000)
    // `second` stopped refreshing (it died) while `first` kept on: its user goes offline on `first`; `first`'s own user stays.
    first.presence.refresh()
    expect(first.presence.snapshot('general')).toEqual([{ user: alice, state: 'online' }])
    vi.advanceTimersByTime(1) // connections flush their frames on the next turn
    expect(first.told.at(-1)).toEqual({ type: 'presence', room: 'general', snapshot: false, users: [{ user: bob, state: 'offline' }] })
  })
})

describe('TypingTracker', () => {
  it('announces a start once, stops 5 s after the last typing event, or at once on stop', () => {
    const announced: [string, string, boolean][] = []
    const typing = new TypingTracker((room, user, active) => announced.push([room, user.name, active]))
    typing.typing('general', alice)
    vi.advanceTimersByTime(4000)
    typing.typing('general', alice)
    vi.advanceTimersByTime(4999)
    expect(announced).toEqual([['general', 'alice', true]])
    vi.advanceTimersByTime(1)
    expect(announced).toEqual([['general', 'alice', true], ['general', 'alice', false]])
    typing.typing('general', bob)
    typing.stop('general', bob)
    typing.stop('general', bob)
    expect(announced.slice(2)).toEqual([['general', 'bob', true], ['general', 'bob', false]])
  })

  it('drops starts past the budget of one user in one room, and takes them again as it refills', () => {
    const announced: [string, string, boolean][] = []
    const typing = new TypingTracker((room, user, active) => announced.push([room, user.name, active]))
    for (let round = 0; round < TYPING_STARTS_BURST + 5; round++) {
      typing.typing('general', alice)
      typing.stop('general', alice)
    }
    expect(announced.filter(([, , active]) => active)).toHaveLength(TYPING_STARTS_BURST)
    expect(announced.filter(([, , active]) => !active)).toHaveLength(TYPING_STARTS_BURST)
    // Nobody else's budget, and not hers in another room.
    typing.typing('general', bob)
    typing.typing('other', alice)
    expect(announced.slice(-2)).toEqual([['general', 'bob', true], ['other', 'alice', true]])
    vi.advanceTimersByTime(1000 / TYPING_STARTS_PER_SECOND)
    typing.typing('general', alice)
    expect(announced.at(-1)).toEqual(['general', 'alice', true])
  })
})
