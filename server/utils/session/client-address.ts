import type { H3Event } from 'h3'

/**
 * The client's address, for sign-in limits and the sessions list. Behind a reverse proxy every request comes
 * from the proxy: NUXT_TRUST_PROXY=true makes X-Forwarded-For count (only set it when a proxy overwrites it).
 */
export function clientAddress(event: H3Event): string {
  const trustProxy = String(useRuntimeConfig(event).trustProxy) === 'true'
  return getRequestIP(event, { xForwardedFor: trustProxy }) ?? 'unknown'
}
