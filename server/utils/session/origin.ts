import { log } from '../log/logger'
/**
 * Cross-site request guard for WebSocket handshakes (CWE-1385) and state-changing REST requests (CSRF):
 * browsers send Origin on both, and crossws 0.3 accepts any. Same origin is allowed, plus the configured list.
 * A request without Origin comes from a non-browser client, which cookies cannot be stolen from.
 * Same origin means the same host, and over TLS the https scheme too: a plain-http page on the same name
 * (which anyone on the network can forge) is not the app. Over plain HTTP an https Origin is accepted, since
 * a TLS-terminating proxy in front makes exactly that.
 */
export function isOriginAllowed(origin: string | null, host: string | null, allowed: readonly string[], requestIsSecure = false): boolean {
  if (!origin) return true
  let parsed: URL
  try {
    parsed = new URL(origin)
  }
  catch {
    return false
  }
  if (allowed.includes(parsed.origin)) return true
  if (!host || parsed.host !== host) return false
  return parsed.protocol === 'https:' || (parsed.protocol === 'http:' && !requestIsSecure)
}

/**
 * The log line of a refused Origin: both sides of the comparison, so an operator sees at once a proxy that
 * dropped the port from Host (nginx's `$host`) or a name missing from NUXT_ALLOWED_ORIGINS.
 */
export function describeOriginRefusal(origin: string | null, host: string | null, allowed: readonly string[], requestIsSecure: boolean): string {
  const scheme = requestIsSecure ? 'https' : 'http'
  const list = allowed.length ? allowed.join(',') : '(empty)'
  return `[banter] refused a WebSocket: Origin ${origin} does not match Host ${host ?? '(none)'} (request over ${scheme}) `
    + `nor NUXT_ALLOWED_ORIGINS ${list}; a proxy must pass the Host the browser used, port included (nginx: Host $http_host)`
}

/** Parses `NUXT_ALLOWED_ORIGINS`: comma separated origins such as `https://chat.example.com`. */
export function parseAllowedOrigins(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map(entry => entry.trim())
    .filter(Boolean)
    .flatMap((entry) => {
      try {
        return [new URL(entry).origin]
      }
      catch {
        log.warn('config-origin-ignored', `ignoring invalid origin in NUXT_ALLOWED_ORIGINS: ${entry}`)
        return []
      }
    })
}
