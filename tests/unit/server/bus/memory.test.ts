import { describe, expect, it } from 'vitest'
import { createMemoryBus } from '#server/utils/bus/memory'
import type { BusMessage } from '#server/utils/bus/types'
import { describeBusContract } from './bus-contract'

// One process has one in-process bus: both "instances" of the contract are that bus, each with its own handlers.
describeBusContract('in-process', async () => {
  const bus = createMemoryBus()
  return { buses: [bus, bus], cleanup: () => bus.close() }
})

describe('in-process bus', () => {
  it('delivers synchronously, so a broadcast reaches local sockets before the ack is queued', () => {
    const bus = createMemoryBus()
    const received: BusMessage[] = []
    bus.onMessage(message => received.push(message))
    bus.publish({ kind: 'close-user', userId: 'u', code: 1008, reason: 'x' })
    expect(received).toHaveLength(1)
  })
})
