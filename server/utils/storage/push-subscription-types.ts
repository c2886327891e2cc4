/** A browser's Web Push subscription, one per device (its endpoint is unique to that browser profile). */
export interface PushSubscriptionRecord {
  id: string
  userId: string
  /** The push service's URL for this browser: what the server POSTs a notification to. */
  endpoint: string
  /** The browser's P-256 public key and auth secret (base64url), which encrypt each payload. */
  p256dh: string
  auth: string
  /** "Chrome on Linux", from the User-Agent that subscribed, as the sessions list shows. */
  device: string
  createdAt: number
  lastUsedAt: number | null
}

/** What storing a subscription did: 'limit' when the user already has `maxPerUser` other devices. */
export type PushSubscriptionAdd = { ok: true, subscription: PushSubscriptionRecord } | { ok: false, reason: 'limit' }

/** Web Push subscriptions, kept in the database so every instance can push to every device. */
export interface PushSubscriptionStorage {
  /**
   * Stores a subscription, or renews the one with the same endpoint (its keys, device and owner: the browser
   * may now be signed in as someone else), keeping its id. A new endpoint past `maxPerUser` (0: no limit) is refused.
   */
  addPushSubscription(subscription: Omit<PushSubscriptionRecord, 'id' | 'lastUsedAt'> & { id: string }, maxPerUser: number): Promise<PushSubscriptionAdd>
  /** The user's subscriptions, oldest first. */
  pushSubscriptionsOf(userId: string): Promise<PushSubscriptionRecord[]>
  /** Removes the user's subscription; false when it is not theirs or not there. */
  removePushSubscription(userId: string, id: string): Promise<boolean>
  /** The push service said the endpoint is gone (404 or 410): whoever held it, it is dropped. */
  removePushEndpoint(endpoint: string): Promise<void>
  markPushSubscriptionUsed(id: string, now: number): Promise<void>
}
