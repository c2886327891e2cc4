import webPush from 'web-push'
import type { PushSubscriptionRecord, PushSubscriptionStorage } from '../storage/push-subscription-types'
import { warnAtMostEveryMinute } from '../http/throttled-log'
import type { VapidKeys } from './vapid-keys'
import type { PushPayload } from './push-payload'

/** A notice of a chat message is worth little after a day; the push service drops it then. */
const TTL_SECONDS = 24 * 60 * 60
/** A slow push service must not hold sockets open: the push is given up (and warned of) after this. */
const REQUEST_TIMEOUT_MS = 10_000

export interface VapidDetails extends VapidKeys {
  subject: string
}

/** What one delivery attempt came to. 'gone': the push service no longer knows the endpoint, so it was removed. */
export type PushOutcome = 'sent' | 'gone' | 'failed'

/**
 * Sends one encrypted, VAPID-signed push. web-push builds the request (RFC 8291 encryption, RFC 8292 JWT);
 * fetch sends it, with redirects refused so an endpoint cannot bounce the server to another host.
 * A 404 or 410 means the browser unsubscribed: the subscription is dropped.
 */
export async function sendPush(
  storage: Pick<PushSubscriptionStorage, 'removePushEndpoint' | 'markPushSubscriptionUsed'>,
  vapid: VapidDetails,
  subscription: PushSubscriptionRecord,
  payload: PushPayload,
): Promise<PushOutcome> {
  try {
    const request = webPush.generateRequestDetails(
      { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
      JSON.stringify(payload),
      { vapidDetails: vapid, TTL: TTL_SECONDS, urgency: 'high', contentEncoding: 'aes128gcm' },
    )
    const response = await fetch(request.endpoint, {
      method: request.method,
      headers: request.headers as Record<string, string>,
      body: new Uint8Array(request.body),
      redirect: 'error',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    })
    await response.body?.cancel()
    if (response.status === 404 || response.status === 410) {
      await storage.removePushEndpoint(subscription.endpoint)
      return 'gone'
    }
    if (!response.ok) {
      const host = new URL(subscription.endpoint).host
      warnAtMostEveryMinute(`push-refused:${host}`, `the push service at ${host} answered ${response.status}`)
      return 'failed'
    }
    await storage.markPushSubscriptionUsed(subscription.id, Date.now())
    return 'sent'
  }
  catch (error) {
    warnAtMostEveryMinute('push-failed', `could not deliver a push: ${(error as Error).message}`)
    return 'failed'
  }
}
