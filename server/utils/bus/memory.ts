import type { BusMessage, ChatBus } from './types'

/** The default bus: one process, delivered synchronously, nothing to install. */
export function createMemoryBus(): ChatBus {
  let handler: (message: BusMessage) => void = () => {}
  return {
    kind: 'memory',
    ready: Promise.resolve(),
    publish: message => handler(message),
    onMessage: (next) => {
      handler = next
    },
    onReconnect: () => {}, // never disconnects
    ping: async () => true,
    close: async () => {},
  }
}
