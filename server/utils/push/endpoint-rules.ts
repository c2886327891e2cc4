import { isIP } from 'node:net'

/** A subscription's keys as the browser's PushSubscription.toJSON() gives them (base64url). */
const P256DH = /^[\w-]{80,100}$/
const AUTH = /^[\w-]{16,32}$/

/** Push services' endpoints are long but bounded; this keeps a row and a log line small. */
export const MAX_ENDPOINT_LENGTH = 1024

/** http://127.0.0.1 or http://localhost, any port: the shape of the test/dev push service on the same machine. */
export function isLoopbackHttpEndpoint(endpoint: string): boolean {
  if (!URL.canParse(endpoint)) return false
  const url = new URL(endpoint)
  return url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost')
}

/**
 * Whether the server may POST to this endpoint, judged by its URL alone. Browsers' push services are public
 * HTTPS hosts on the default port; an IP literal, a single-label name (`localhost`, `redis`) or a `.local`/`.internal`/`.localhost` name
 * would make the server call into its own network (SSRF). `allowLoopbackHttp` (tests, development) lets
 * http://127.0.0.1 and http://localhost through, on any port, for a push service on the same machine.
 * DNS is not consulted here: a public name that resolves to a private address is refused at send time, on the
 * address actually dialled (push-agents.ts, also against DNS rebinding), and already at subscribe time when it
 * resolves privately then (endpoint-address.ts).
 */
export function isAllowedPushEndpoint(endpoint: string, allowLoopbackHttp: boolean): boolean {
  if (endpoint.length > MAX_ENDPOINT_LENGTH) return false
  let url: URL
  try {
    url = new URL(endpoint)
  }
  catch {
    return false
  }
  if (url.username || url.password) return false
  if (allowLoopbackHttp && isLoopbackHttpEndpoint(endpoint)) return true
  if (url.protocol !== 'https:' || url.port !== '') return false
  const host = url.hostname.toLowerCase()
  if (isIP(host.replace(/^\[|\]$/g, '')) !== 0) return false
  if (!host.includes('.') || /\.(?:local|internal|localhost|localdomain|lan|home|arpa)\.?$/.test(host)) return false
  return true
}

/** Whether the keys look like a browser's: a P-256 point and a 16-byte secret, base64url. */
export function arePushKeys(p256dh: string, auth: string): boolean {
  return P256DH.test(p256dh) && AUTH.test(auth) && Buffer.from(p256dh, 'base64url').length === 65 && Buffer.from(auth, 'base64url').length === 16
}
