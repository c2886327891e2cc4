// banter's service worker: shows Web Push notifications, opens the message on a click, and keeps the app shell
// (pages, built assets, the rooms and history already loaded) for when the network is gone.
const CACHE = 'banter-shell-v1'

self.addEventListener('install', () => self.skipWaiting())
self.addEventListener('activate', event => event.waitUntil(self.clients.claim()))

/** GETs of this origin kept for offline use: pages, hashed build assets, icons, rooms and history. */
function cacheable(url, request) {
  if (request.method !== 'GET' || url.origin !== self.location.origin) return false
  if (request.mode === 'navigate' || url.pathname.startsWith('/_nuxt/') || url.pathname.startsWith('/icons/')) return true
  return url.pathname === '/api/rooms' || /^\/api\/rooms\/[^/]+\/messages$/.test(url.pathname) || url.pathname === '/api/session'
}

// Network first, so nobody reads stale chat while online; the last good answer when offline.
self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url)
  if (!cacheable(url, event.request)) return
  event.respondWith((async () => {
    const cache = await caches.open(CACHE)
    try {
      const response = await fetch(event.request)
      if (response.ok) await cache.put(event.request, response.clone())
      return response
    }
    catch (error) {
      const cached = await cache.match(event.request, { ignoreVary: true })
        ?? (event.request.mode === 'navigate' ? await cache.match('/', { ignoreSearch: true }) : undefined)
      if (cached) return cached
      throw error
    }
  })())
})

/** The payload the server sends (server/utils/push/push-payload.ts): plain text only. */
function readPayload(data) {
  try {
    const payload = data.json()
    if (typeof payload.title === 'string' && typeof payload.body === 'string' && typeof payload.url === 'string' && payload.url.startsWith('/')) return payload
  }
  catch {
    // not JSON: shown as a generic notice below
  }
  return { title: 'banter', body: 'You have a new message.', url: '/', tag: 'banter' }
}

self.addEventListener('push', (event) => {
  const payload = event.data ? readPayload(event.data) : readPayload({ json: () => null })
  event.waitUntil(self.registration.showNotification(payload.title, {
    body: payload.body,
    tag: payload.tag,
    icon: '/icons/banter-192.png',
    data: { url: payload.url },
  }))
})

/** Focuses a banter tab on the message (or opens one). */
async function openMessage(url) {
  const target = new URL(url, self.location.origin).href
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true })
  for (const client of windows) {
    if (new URL(client.url).origin === self.location.origin && 'navigate' in client) {
      await client.focus()
      return client.navigate(target)
    }
  }
  return self.clients.openWindow(target)
}

self.addEventListener('notificationclick', (event) => {
  event.notification.close()
  const url = typeof event.notification.data?.url === 'string' && event.notification.data.url.startsWith('/') ? event.notification.data.url : '/'
  event.waitUntil(openMessage(url))
})
