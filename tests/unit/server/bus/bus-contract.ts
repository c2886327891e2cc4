import { afterEach, describe, expect, it } from 'vitest'
import type { BusMessage, ChatBus } from '#server/utils/bus/types'

/**
 * What every bus must do, run against each implementation (tests/unit/server/bus/*.test.ts). `open` gives the buses of
 * two instances; every test registers its own handlers on them, as the fan-out of each instance does.
 */
export function describeBusContract(name: string, open: () => Promise<{ buses: [ChatBus, ChatBus], cleanup: () => Promise<void> }>) {
  describe(`${name} bus contract`, () => {
    let cleanup: (() => Promise<void>) | null = null
    afterEach(async () => {
      await cleanup?.()
      cleanup = null
    })

    /** Collects what a bus delivers and resolves once `count` messages arrived. */
    function collect(bus: ChatBus, count: number) {
      const received: BusMessage[] = []
      const done = new Promise<BusMessage[]>((resolve) => {
        bus.onMessage((message) => {
          received.push(message)
          if (received.length === count) resolve(received)
        })
      })
      return { received, done }
    }

    it('delivers every message, in publishing order, to every instance including the publisher', async () => {
      const opened = await open()
      cleanup = opened.cleanup
      const [first, second] = opened.buses
      const messages: BusMessage[] = Array.from({ length: 50 }, (_, index) => ({
        kind: 'event',
        room: 'general',
        event: { type: 'system', room: 'general', kind: 'join', user: { id: `u${index}`, name: `user ${index}`, username: `user-${index}` }, ts: index },
      }))
      const atFirst = collect(first, messages.length + 1)
      const atSecond = collect(second, messages.length + 1)
      for (const message of messages) first.publish(message)
      second.publish({ kind: 'close-user', userId: 'u1', code: 1008, reason: 'signed out' })
      for (const received of [await atFirst.done, await atSecond.done]) {
        expect(received.filter(message => message.kind === 'event')).toEqual(messages)
        expect(received.filter(message => message.kind === 'close-user')).toEqual([{ kind: 'close-user', userId: 'u1', code: 1008, reason: 'signed out' }])
      }
    })

    it('gives each message to every handler registered on one instance', async () => {
      const opened = await open()
      cleanup = opened.cleanup
      const [first, second] = opened.buses
      const message: BusMessage = { kind: 'close-user', userId: 'u2', code: 1008, reason: 'signed out' }
      const handlers = [collect(second, 1), collect(second, 1), collect(second, 1)]
      first.publish(message)
      for (const handler of handlers) expect(await handler.done).toEqual([message])
    })

    it('answers ping while connected', async () => {
      const opened = await open()
      cleanup = opened.cleanup
      expect(await opened.buses[0].ping()).toBe(true)
    })
  })
}
