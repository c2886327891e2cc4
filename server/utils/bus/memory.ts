import type { BusMessage, ChatBus } from './types'

/** One process, delivered synchronously to every handler, nothing to install. */
export function createMemoryBus(): ChatBus {
  const handlers: ((message: BusMessage) => void)[] = []
  return {
    kind: 'memory',
    ready: Promise.resolve(),
    publish: (message) => {
      for (const handler of handlers) handler(message)
    },
    onMessage: (handler) => {
      handlers.push(handler)
    },
    onReconnect: () => {}, // never disconnects
    ping: async () => true,
    close: async () => {},
  }
}
