import { API_CONTENT_SECURITY_POLICY, BASE_SECURITY_HEADERS, pageContentSecurityPolicy } from '#server/utils/http/security-headers'

/**
 * Security headers on pages and API answers. Pages get a Content-Security-Policy built from their own
 * HTML (see pageContentSecurityPolicy). `nuxt dev` is left alone: Vite injects scripts and its own socket.
 */
export default defineNitroPlugin((nitroApp) => {
  if (import.meta.dev) return
  nitroApp.hooks.hook('request', (event) => {
    setResponseHeaders(event, BASE_SECURITY_HEADERS)
    if (event.path.startsWith('/api/')) setResponseHeader(event, 'content-security-policy', API_CONTENT_SECURITY_POLICY)
  })
  nitroApp.hooks.hook('render:response', (response) => {
    if (typeof response.body !== 'string') return
    response.headers = { ...response.headers, 'content-security-policy': pageContentSecurityPolicy(response.body) }
  })
})
