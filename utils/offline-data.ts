import { DRAFTS_KEY_PREFIX } from './draft-persistence'
import { OUTBOX_KEY_PREFIX } from './outbox-persistence'

/**
 * Forgets what this browser kept for offline use once the session ends, so the next person on a shared device
 * reads none of it offline: the service worker's copies of pages, rooms and history, unsent messages and drafts.
 */
export async function clearOfflineData(): Promise<void> {
  try {
    for (const key of Object.keys(localStorage)) {
      if (key.startsWith(OUTBOX_KEY_PREFIX) || key.startsWith(DRAFTS_KEY_PREFIX)) localStorage.removeItem(key)
    }
    if ('caches' in window) await Promise.all((await caches.keys()).map(name => caches.delete(name)))
  }
  catch {
    // Storage blocked: nothing was kept either.
  }
}
