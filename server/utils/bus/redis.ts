import Redis from 'ioredis'
import type { BusMessage, ChatBus } from './types'

/**
 * Redis pub/sub between instances: one channel per deployment (`<prefix>:events`).
 * ioredis reconnects and resubscribes by itself; events published while Redis is away are queued and
 * sent on reconnect, and whatever a subscriber missed meanwhile is filled from storage by the room
 * sequencer, so clients see no gap.
 */
const RESUBSCRIBE_SETTLE_MS = 200

export function createRedisBus(url: string, prefix: string): ChatBus {
  const channel = `${prefix}:events`
  const options = { lazyConnect: false, maxRetriesPerRequest: null, retryStrategy: (times: number) => Math.min(times * 100, 2000) }
  const publisher = new Redis(url, options)
  const subscriber = new Redis(url, options)
  const handlers: ((message: BusMessage) => void)[] = []
  const reconnectHandlers: (() => void)[] = []
  let connectedOnce = false
  // `ready` comes before ioredis re-sends SUBSCRIBE; the pause lets the subscription take effect
  // before anyone reads storage for what was missed (subscribe before reading: no seam).
  subscriber.on('ready', () => {
    if (connectedOnce) setTimeout(() => reconnectHandlers.forEach(handler => handler()), RESUBSCRIBE_SETTLE_MS)
    connectedOnce = true
  })
  for (const client of [publisher, subscriber]) {
    client.on('error', error => console.warn(`[banter] redis: ${error.message}`))
  }
  const ready = subscriber.subscribe(channel).then(() => undefined)
  ready.catch(error => console.error('[banter] redis subscribe failed', error))
  subscriber.on('message', (_channel: string, payload: string) => {
    let message: BusMessage
    try {
      message = JSON.parse(payload) as BusMessage
    }
    catch (error) {
      console.error('[banter] dropped a malformed bus message', error)
      return
    }
    for (const handler of handlers) {
      try {
        handler(message)
      }
      catch (error) {
        // One failing handler must not keep the message from the others.
        console.error('[banter] a bus handler failed', error)
      }
    }
  })
  return {
    kind: 'redis',
    ready,
    publish: (message) => {
      void publisher.publish(channel, JSON.stringify(message)).catch(error => console.warn('[banter] redis publish failed', error.message))
    },
    onMessage: (handler) => {
      handlers.push(handler)
    },
    onReconnect: (handler) => {
      reconnectHandlers.push(handler)
    },
    ping: async () => {
      try {
        return (await publisher.ping()) === 'PONG'
      }
      catch {
        return false
      }
    },
    close: async () => {
      subscriber.disconnect()
      publisher.disconnect()
    },
  }
}
