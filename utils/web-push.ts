import type { PushDevices, PushSubscriptionBody } from '#shared/push'

/** What subscribing this browser came to. */
export type PushSetup = 'subscribed' | 'off' | 'unsupported'

/** A VAPID key (base64url) as PushManager.subscribe wants it. */
export function applicationServerKey(base64url: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64url.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (base64url.length % 4)) % 4))
  return Uint8Array.from(binary, character => character.charCodeAt(0))
}

/**
 * Subscribes this browser to Web Push (once notification permission is granted) and tells the server, which
 * renews the row when the browser was subscribed before. 'off': the server has no VAPID keys.
 */
export async function subscribeToPush(): Promise<PushSetup> {
  if (!('serviceWorker' in navigator) || !('PushManager' in window)) return 'unsupported'
  const { publicKey } = await $fetch<PushDevices>('/api/account/push-subscriptions')
  if (!publicKey) return 'off'
  const registration = await navigator.serviceWorker.ready
  const subscription = await registration.pushManager.getSubscription()
    ?? await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: applicationServerKey(publicKey) })
  await $fetch('/api/account/push-subscriptions', { method: 'POST', body: subscription.toJSON() as PushSubscriptionBody })
  return 'subscribed'
}
