/**
 * What a REST request must be before any route reads it: the checks of server/middleware/request-guard.ts,
 * as pure functions so they are tested without a server.
 */

/** Methods that change something: these need an allowed Origin and a JSON body. */
export const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** The largest body a REST route reads: a message of 4,000 characters fits with room for JSON escapes. */
export const MAX_BODY_BYTES = 64 * 1024

/** All bodies being received at once, by every client together: past this, new ones wait (503, Retry-After). */
export const MAX_BODY_BYTES_IN_FLIGHT = 8 * 1024 * 1024

/** What one client address may have of that at once (16 bodies of the largest size): past it, 429 with Retry-After. */
export const MAX_BODY_BYTES_PER_ADDRESS = MAX_BODY_BYTES_IN_FLIGHT / 8

export type BodyRefusal =
  | { status: 411, message: string }
  | { status: 413, message: string }
  | { status: 415, message: string }

/**
 * Whether a request body may be read: it must say its length (so nothing is buffered past a limit), stay
 * under MAX_BODY_BYTES, and be JSON, the only content type the API takes (no form posts from other sites).
 */
export function bodyRefusal(headers: { contentLength?: string, transferEncoding?: string, contentType?: string }): BodyRefusal | null {
  const length = headers.contentLength === undefined ? null : Number(headers.contentLength)
  if (length === null) {
    if (headers.transferEncoding) return { status: 411, message: 'A request body must come with its Content-Length.' }
    return null
  }
  if (!Number.isSafeInteger(length) || length < 0) return { status: 411, message: 'The Content-Length is not a number.' }
  if (length > MAX_BODY_BYTES) return { status: 413, message: `A request body is at most ${MAX_BODY_BYTES / 1024} KiB.` }
  if (length > 0 && !isJson(headers.contentType)) return { status: 415, message: 'Request bodies must be JSON (Content-Type: application/json).' }
  return null
}

function isJson(contentType: string | undefined): boolean {
  const type = contentType?.split(';')[0]?.trim().toLowerCase()
  return type === 'application/json'
}

/** `POST /api/rooms/:room/uploads`: its body is a file, read and limited by the route itself. */
export function isUploadPath(path: string): boolean {
  return /^\/api\/rooms\/[^/?]+\/uploads(\?|$)/.test(path)
}
