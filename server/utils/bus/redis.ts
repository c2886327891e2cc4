import { randomUUID } from 'node:crypto'
import Redis from 'ioredis'
import * as v from 'valibot'
import { warnAtMostEveryMinute } from '../http/throttled-log'
import { BusPayloadSchema } from './bus-message-schema'
import { busSigner } from './bus-signature'
import type { BusMessage, ChatBus } from './types'

/**
 * Redis pub/sub between instances: one channel per deployment (`<prefix>:events`). This instance's own
 * messages reach its handlers at once, as on the memory bus, and the other instances through Redis: a local
 * member does not wait for a round trip through Redis, and no instance decodes what it sent itself.
 * ioredis reconnects and resubscribes by itself; events published while Redis is away are queued and
 * sent on reconnect, and whatever a subscriber missed meanwhile is filled from storage by the room
 * sequencer, so clients see no gap.
 */
const RESUBSCRIBE_SETTLE_MS = 200

/** `secret` is the deployment's (NUXT_SESSION_PASSWORD): messages are signed with it, and unsigned ones dropped. */
export function createRedisBus(url: string, prefix: string, secret: string): ChatBus {
  const channel = `${prefix}:events`
  const signer = busSigner(secret)
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
  const instance = randomUUID()
  const handle = (message: BusMessage) => {
    for (const handler of handlers) {
      try {
        handler(message)
      }
      catch (error) {
        // One failing handler must not keep the message from the others.
        console.error('[banter] a bus handler failed', error)
      }
    }
  }
  subscriber.on('message', (_channel: string, payload: string) => {
    const received = readBusPayload(signer.open(payload))
    if (received && received.from !== instance) received.messages.forEach(handle)
  })
  // The messages of one event-loop turn go out as one signed publish: a publish, an HMAC and a JSON parse
  // per turn rather than per event, on every other instance.
  let pending: BusMessage[] = []
  const flush = () => {
    if (pending.length === 0) return
    const messages = pending
    pending = []
    const body = JSON.stringify({ kind: 'batch', from: instance, messages })
    void publisher.publish(channel, signer.sign(body)).catch(error => console.warn('[banter] redis publish failed', error.message))
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
    warnAtMostEveryMinute('bus-unsigned', '[banter] dropped a bus message without a valid signature: something other than a banter instance of this deployment publishes on its Redis channel')
    return null
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  }
  catch {
    parsed = undefined
  }
  const result = v.safeParse(BusPayloadSchema, parsed)
  if (!result.success) {
    warnAtMostEveryMinute('bus-malformed', `[banter] dropped a malformed bus message: ${body.slice(0, 200)}`)
    return null
  }
  const { output } = result
  return output.kind === 'batch' ? { from: output.from, messages: output.messages as BusMessage[] } : { messages: [output as BusMessage] }
}
