import type { IncomingMessage } from 'node:http'
import type { H3Event } from 'h3'

/**
 * The client's address, for sign-in limits and the sessions list. Behind a reverse proxy every request comes
 * from the proxy: NUXT_TRUST_PROXY=true makes X-Forwarded-For count (only set it when a proxy overwrites it).
 */
export function clientAddress(event: H3Event): string {
  const trustProxy = String(useRuntimeConfig(event).trustProxy) === 'true'
  return getRequestIP(event, { xForwardedFor: trustProxy }) ?? 'unknown'
}

/** The same address for a request with no H3 event around it: a WebSocket upgrade. */
export function clientAddressOf(request: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? request.headers['x-forwarded-for'] : undefined
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim()
  return first || request.socket?.remoteAddress || 'unknown'
}
