import { randomUUID } from 'node:crypto'
import Redis from 'ioredis'
import * as v from 'valibot'
import { warnAtMostEveryMinute } from '../http/throttled-log'
import { log } from '../log/logger'
import { BusPayloadSchema, isPlainBusBatch } from './bus-message-schema'
import { busSigner } from './bus-signature'
import { batchBody, ownEchoCheck } from './own-echo'
import type { BusMessage, ChatBus } from './types'

/**
 * Redis pub/sub between instances: one channel per deployment (`<prefix>:events`). This instance's own
 * messages reach its handlers at once, as on the memory bus, and the other instances through Redis: a local
 * member does not wait for a round trip through Redis, and no instance decodes what it sent itself (own-echo.ts).
 * ioredis reconnects and resubscribes by itself. While Redis is away nothing is queued: the other instances
 * fill the chat they missed from storage once the bus is back (the room sequencer), so clients see no gap in
 * messages; typing and presence from an instance cut off from Redis do not reach the others.
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
  const instance = randomUUID()
  const handle = (message: BusMessage) => {
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
  const isOwnEcho = ownEchoCheck(instance)
  // Buffers, not strings: this instance's own echo is dropped before it is decoded.
  subscriber.on('messageBuffer', (_channel: Buffer, payload: Buffer) => {
    if (isOwnEcho(payload)) return
    const received = readBusPayload(signer.open(payload.toString()))
    if (received && received.from !== instance) received.messages.forEach(handle)
  })
  /** Redis carries it to the other instances only when both connections are up. */
  const connected = () => publisher.status === 'ready' && subscriber.status === 'ready'
  // The messages of one event-loop turn go out as one signed publish: a publish, an HMAC and a JSON parse
  // per turn rather than per event, on every other instance.
  let pending: BusMessage[] = []
  const flush = () => {
    if (pending.length === 0) return
    const messages = pending
    pending = []
    if (!connected()) return
    publisher.publish(channel, signer.sign(batchBody(instance, messages))).catch((error: Error) => {
      warnAtMostEveryMinute('redis-publish-failed', `Redis publish failed, delivered on this instance only: ${error.message}`)
    })
  }
  return {
    kind: 'redis',
    ready,
    publish: (message) => {
      if (pending.length === 0) setImmediate(flush)
      pending.push(message)
      handle(message)
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
      if (pending.length > 0) flush()
      subscriber.disconnect()
      publisher.disconnect()
    },
  }
}

/**
 * A signed payload's messages (and the instance that sent them, when it says) when it is a batch or a single
 * message banter sends, checked once for the whole batch; anything else is dropped whole, logged once a minute.
 */
function readBusPayload(body: string | null): { from?: string, messages: readonly BusMessage[] } | null {
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
  const result = isPlainBusBatch(parsed) ? { success: true as const, output: parsed as { kind: 'batch', from?: string, messages: BusMessage[] } } : v.safeParse(BusPayloadSchema, parsed)
  if (!result.success) {
    warnAtMostEveryMinute('bus-malformed', `dropped a malformed bus message: ${body.slice(0, 200)}`)
    return null
  }
  const { output } = result
  return output.kind === 'batch' ? { from: output.from, messages: output.messages as BusMessage[] } : { messages: [output as BusMessage] }
}

/** A Redis URL without its password, for logs. */
function redactedUrl(url: string): string {
  const parsed = new URL(url)
  if (parsed.password) parsed.password = '***'
  return parsed.toString()
}
