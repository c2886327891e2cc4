import { createHash } from 'node:crypto'

/** Headers every response carries: no MIME sniffing, no framing, no referrer leaking room names. */
export const BASE_SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
}

/** For JSON answers: nothing in them may ever run or be framed. */
export const API_CONTENT_SECURITY_POLICY = 'default-src \'none\'; frame-ancestors \'none\''

const INLINE_SCRIPT = /<script(?![^>]*\bsrc=)(?![^>]*type="application\/json")[^>]*>([\s\S]*?)<\/script>/g

/**
 * The page's policy: scripts only from this origin plus the inline scripts Nuxt itself rendered into
 * this very page (allowed by hash, so an injected script is not), connections (the WebSocket included)
 * only to this origin. Inline styles stay allowed: Vue renders style attributes and inlines component CSS.
 */
export function pageContentSecurityPolicy(html: string): string {
  const hashes = [...html.matchAll(INLINE_SCRIPT)]
    .map(match => `'sha256-${createHash('sha256').update(match[1] ?? '').digest('base64')}'`)
  return [
    'default-src \'self\'',
    `script-src 'self' ${hashes.join(' ')}`.trim(),
    'style-src \'self\' \'unsafe-inline\'',
    'img-src \'self\' data:',
    'connect-src \'self\'',
    'worker-src \'self\'',
    'manifest-src \'self\'',
    'object-src \'none\'',
    'base-uri \'self\'',
    'form-action \'self\'',
    'frame-ancestors \'none\'',
  ].join('; ')
}
