import webPush from 'web-push'
import type { PushSubscriptionRecord, PushSubscriptionStorage } from '../storage/push-subscription-types'
import { warnAtMostEveryMinute } from '../http/throttled-log'
import type { VapidKeys } from './vapid-keys'
import type { PushPayload } from './push-payload'
import { isRefusedAddress } from './push-agents'
import type { PushAgents } from './push-agents'
import { postPushRequest } from './push-request'

/** A notice of a chat message is worth little after a day; the push service drops it then. */
const TTL_SECONDS = 24 * 60 * 60
/** A slow push service must not hold sockets open: the push is given up (and warned of) after this. */
const REQUEST_TIMEOUT_MS = 10_000

export interface VapidDetails extends VapidKeys {
  subject: string
}

/**
 * What one delivery attempt came to. 'gone': the push service no longer knows the endpoint; 'refused': its name
 * led to an address the server may not call (a private network). Both remove the subscription.
 */
export type PushOutcome = 'sent' | 'gone' | 'refused' | 'failed'

/**
 * Sends one encrypted, VAPID-signed push. web-push builds the request (RFC 8291 encryption, RFC 8292 JWT);
 * postPushRequest sends it through agents that check the address dialled (push-agents.ts), following no redirect.
 * A 404 or 410 means the browser unsubscribed, a refused address that the endpoint can never be used: the
 * subscription is dropped. Never throws: one user's bad endpoint costs only their push.
 */
export async function sendPush(
  storage: Pick<PushSubscriptionStorage, 'removePushEndpoint' | 'markPushSubscriptionUsed'>,
  vapid: VapidDetails,
  agents: PushAgents,
  subscription: PushSubscriptionRecord,
  payload: PushPayload,
): Promise<PushOutcome> {
  const host = hostOf(subscription.endpoint)
  try {
    const request = webPush.generateRequestDetails(
      { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
      JSON.stringify(payload),
      { vapidDetails: vapid, TTL: TTL_SECONDS, urgency: 'high', contentEncoding: 'aes128gcm' },
    )
    const status = await postPushRequest(request, agents, REQUEST_TIMEOUT_MS)
    if (status === 404 || status === 410) {
      await storage.removePushEndpoint(subscription.endpoint)
      return 'gone'
    }
    if (status < 200 || status >= 300) {
      warnAtMostEveryMinute(`push-refused:${host}`, `the push service at ${host} answered ${status}`)
      return 'failed'
    }
    await storage.markPushSubscriptionUsed(subscription.id, Date.now())
    return 'sent'
  }
  catch (error) {
    if (isRefusedAddress(error)) return dropRefused(storage, subscription.endpoint, host, error as Error)
    warnAtMostEveryMinute('push-failed', `could not deliver a push: ${(error as Error).message}`)
    return 'failed'
  }
}

async function dropRefused(storage: Pick<PushSubscriptionStorage, 'removePushEndpoint'>, endpoint: string, host: string, error: Error): Promise<PushOutcome> {
  try {
    await storage.removePushEndpoint(endpoint)
  }
  catch (removal) {
    warnAtMostEveryMinute('push-failed', `could not remove a refused push subscription: ${(removal as Error).message}`)
  }
  // Logged once removed, so the line means it is gone (the e2e test waits for it).
  warnAtMostEveryMinute(`push-private-address:${host}`, `removed a push subscription whose endpoint leads to a private address: ${error.message}`)
  return 'refused'
}

/** The endpoint's host for a log line; stored endpoints passed endpoint-rules, so they parse. */
const hostOf = (endpoint: string) => URL.canParse(endpoint) ? new URL(endpoint).host : 'an unparsable endpoint'
