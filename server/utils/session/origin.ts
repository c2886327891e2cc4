/**
 * Cross-site WebSocket hijacking guard (CWE-1385): browsers always send Origin on a WebSocket
 * handshake, and crossws 0.3 accepts any. Same origin is allowed, plus the configured list.
 * A handshake without Origin comes from a non-browser client, which cookies cannot be stolen from.
 */
export function isOriginAllowed(origin: string | null, host: string | null, allowed: readonly string[]): boolean {
  if (!origin) return true
  let parsed: URL
  try {
    parsed = new URL(origin)
  }
  catch {
    return false
  }
  if (host && parsed.host === host) return true
  return allowed.includes(parsed.origin)
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
        console.warn(`[banter] ignoring invalid origin in NUXT_ALLOWED_ORIGINS: ${entry}`)
        return []
      }
    })
}
