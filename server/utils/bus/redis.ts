import Redis from 'ioredis'
import * as v from 'valibot'
import { warnAtMostEveryMinute } from '../http/throttled-log'
import { log } from '../log/logger'
import { BusMessageSchema } from './bus-message-schema'
import { busSigner } from './bus-signature'
import type { BusMessage, ChatBus } from './types'

/**
 * Redis pub/sub between instances: one channel per deployment (`<prefix>:events`).
 * ioredis reconnects and resubscribes by itself. While Redis is away, what this instance publishes is handed
 * straight to its own handlers (its own sockets still get it live) instead of being queued; the other
 * instances fill the chat they missed from storage once the bus is back (the room sequencer), so clients
 * see no gap in messages. Typing and presence from an instance cut off from Redis do not reach the others.
 */
const RESUBSCRIBE_SETTLE_MS = 200

/** `secret` is the deployment's (NUXT_SESSION_PASSWORD): messages are signed with it, and unsigned ones dropped. */
export function createRedisBus(url: string, prefix: string, secret: string): ChatBus {
  const channel = `${prefix}:events`
  const signer = busSigner(secret)
  const options = { lazyConnect: false, maxRetriesPerRequest: null, retryStrategy: (times: number) => Math.min(times * 100, 2000) }
  // No offline queue for publishing: a publish while Redis is away goes to this instance's own handlers at once.
  const publisher = new Redis(url, { ...options, enableOfflineQueue: false })
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
  // ioredis reports every failed reconnect (every 2 s, per client): one line a minute says Redis is away.
  for (const client of [publisher, subscriber]) {
    client.on('error', error => warnAtMostEveryMinute('redis-unreachable', `Redis is unreachable (${redactedUrl(url)}): ${error.message}`))
  }
  const publisherReady = new Promise<void>(resolve => publisher.once('ready', () => resolve()))
  const ready = Promise.all([subscriber.subscribe(channel), publisherReady]).then(() => undefined)
  ready.catch(error => log.error('redis-subscribe-failed', 'Redis subscribe failed', { err: error }))
  const deliver = (message: BusMessage) => {
    for (const handler of handlers) {
      try {
        handler(message)
      }
      catch (error) {
        // One failing handler must not keep the message from the others.
        log.error('bus-handler-failed', 'a bus handler failed', { err: error })
      }
    }
  }
  subscriber.on('message', (_channel: string, payload: string) => {
    const message = readBusMessage(signer.open(payload))
    if (message) deliver(message)
  })
  /** Redis carries it back to this instance only when both connections are up. */
  const connected = () => publisher.status === 'ready' && subscriber.status === 'ready'
  return {
    kind: 'redis',
    ready,
    publish: (message) => {
      if (!connected()) return deliver(message)
      publisher.publish(channel, signer.sign(JSON.stringify(message))).catch((error: Error) => {
        warnAtMostEveryMinute('redis-publish-failed', `Redis publish failed, delivered on this instance only: ${error.message}`)
        deliver(message)
      })
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

/** A signed payload's message when it is one banter sends; anything else is dropped, logged once a minute. */
function readBusMessage(body: string | null): BusMessage | null {
  if (body === null) {
    warnAtMostEveryMinute('bus-unsigned', 'dropped a bus message without a valid signature: something other than a banter instance of this deployment publishes on its Redis channel')
    return null
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  }
  catch {
    parsed = undefined
  }
  const result = v.safeParse(BusMessageSchema, parsed)
  if (result.success) return result.output as BusMessage
  warnAtMostEveryMinute('bus-malformed', `dropped a malformed bus message: ${body.slice(0, 200)}`)
  return null
}

/** A Redis URL without its password, for logs. */
function redactedUrl(url: string): string {
  const parsed = new URL(url)
  if (parsed.password) parsed.password = '***'
  return parsed.toString()
}
