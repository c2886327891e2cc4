import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * Only instances that hold the deployment's secret may publish: each bus message travels as
 * `<HMAC-SHA256 in base64url>.<JSON>`, keyed from NUXT_SESSION_PASSWORD (every instance has it, Redis does not).
 * Anyone else who can reach the Redis channel can only publish what is dropped.
 */
export function busSigner(secret: string) {
  const key = createHmac('sha256', 'banter bus key').update(secret).digest()
  const mac = (body: string) => createHmac('sha256', key).update(body).digest('base64url')
  return {
    sign: (body: string): string => `${mac(body)}.${body}`,
    /** The JSON of a correctly signed payload, or null. */
    open: (payload: string): string | null => {
      const dot = payload.indexOf('.')
      if (dot <= 0) return null
      const given = Buffer.from(payload.slice(0, dot))
      const body = payload.slice(dot + 1)
      const expected = Buffer.from(mac(body))
      return given.length === expected.length && timingSafeEqual(given, expected) ? body : null
    },
  }
}
