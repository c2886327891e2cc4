import type { ChatMessage } from '#shared/protocol'
import type { RoomFacts } from '../chat/room-policy'
import { log } from '../log/logger'
import type { ChatStorage } from '../storage/types'
import { createPushAgents } from './push-agents'
import { pushPayload } from './push-payload'
import { shouldPush } from './push-policy'
import type { PushContext, PushEvent } from './push-policy'
import { sendPush } from './push-sender'
import type { VapidDetails } from './push-sender'
import { messagePushCandidates } from './push-targets'

/** Web Push, picked once at boot: on with VAPID keys, off (every call a no-op) without. */
export interface PushNotifier {
  /** The VAPID public key browsers subscribe with; null when push is off. */
  readonly publicKey: string | null
  /** A new message was stored: its direct-message partners and @mentioned users with no tab open are pushed. */
  messageStored(message: ChatMessage, facts: RoomFacts): void
  /**
   * Pushes one event about `message` to `event.userId` if `shouldPush` agrees, on all their devices; resolves
   * when every device was tried. The hook for other kinds (a reply in a user's thread: kind 'thread-reply').
   */
  notify(event: PushEvent, message: ChatMessage): Promise<void>
}

interface PushDependencies extends PushContext {
  storage: ChatStorage
  /** NUXT_PUSH_ALLOW_INSECURE_ENDPOINTS: tests and development reach a loopback push service; off in production. */
  allowLoopbackHttp: boolean
}

/** Push off: what runs without VAPID keys (and in unit tests that do not push). */
export const PUSH_OFF: PushNotifier = {
  publicKey: null,
  messageStored: () => {},
  notify: async () => {},
}

/** Push on (with keys) or off; without keys, one line at start says so and how to turn it on. */
export function createPushNotifier(vapid: VapidDetails | null, { storage, connections, levelAllows, allowLoopbackHttp }: PushDependencies): PushNotifier {
  if (!vapid) {
    log.warn('push-off', 'Web Push is off: set NUXT_VAPID_PUBLIC_KEY, NUXT_VAPID_PRIVATE_KEY and NUXT_VAPID_SUBJECT to turn it on (docs/configuration.md)')
    return PUSH_OFF
  }
  // An operator who copied it from a test setup should hear of it: it lets a user point pushes at loopback.
  if (allowLoopbackHttp) log.warn('push-insecure-endpoints', 'NUXT_PUSH_ALLOW_INSECURE_ENDPOINTS is on: push endpoints on http://127.0.0.1 and http://localhost are accepted and dialled (tests and development only)')
  // One pair for the server's life: kept-alive sockets to the push services are reused across pushes.
  const agents = createPushAgents({ allowLoopbackHttp })
  const notify = async (event: PushEvent, message: ChatMessage) => {
    if (!(await shouldPush(event, { connections, levelAllows }))) return
    const payload = pushPayload(message, event.kind)
    const devices = await storage.pushSubscriptionsOf(event.userId)
    await Promise.all(devices.map(device => sendPush(storage, vapid, agents, device, payload)))
  }
  return {
    publicKey: vapid.publicKey,
    notify,
    messageStored(message, facts) {
      // After the message is stored and broadcast; a failure only costs the pushes.
      void messagePushCandidates(storage, message, facts)
        .then(events => Promise.all(events.map(event => notify(event, message))))
        .catch(error => log.warn('push-failed', 'could not push a message', { err: error }))
    },
  }
}
