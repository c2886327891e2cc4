import { parseAllowedOrigins, isOriginAllowed } from '#server/utils/session/origin'
import { bodyRefusal, isUploadPath, MAX_BODY_BYTES_IN_FLIGHT, STATE_CHANGING } from '#server/utils/http/request-guard'
import { warnAtMostEveryMinute } from '#server/utils/http/throttled-log'

let allowedOrigins: string[] | null = null
/** Bytes of request bodies being received right now, by every client together. */
let bytesInFlight = 0

/**
 * Every REST request passes here before its route. Answers are never cached (they are someone's data).
 * A state-changing request must come from an allowed origin (CSRF: SameSite=Lax alone let a sibling
 * subdomain or another port post as the victim), carry a JSON body with its length, under the size limit,
 * and fit in what all clients together may have in flight; otherwise it is refused before anything is read.
 */
export default defineEventHandler((event) => {
  if (!event.path.startsWith('/api/') && !event.path.startsWith('/auth/')) return
  setResponseHeader(event, 'cache-control', 'no-store')
  if (!STATE_CHANGING.has(event.method)) return

  const trustProxy = String(useRuntimeConfig(event).trustProxy) === 'true'
  allowedOrigins ??= parseAllowedOrigins(useRuntimeConfig(event).allowedOrigins)
  const origin = getRequestHeader(event, 'origin') ?? refererOrigin(getRequestHeader(event, 'referer'))
  const host = getRequestHost(event, { xForwardedHost: trustProxy })
  const secure = getRequestProtocol(event, { xForwardedProto: trustProxy }) === 'https'
  if (!isOriginAllowed(origin, host, allowedOrigins, secure)) {
    warnAtMostEveryMinute('cross-site', `refused a cross-site ${event.method} ${event.path} from origin ${origin} (host ${host})`)
    throw httpError(403, 'cross_site', 'This request came from another site.')
  }

  // An upload's body is the file itself: its route checks length and type as it reads (server/utils/files/).
  if (isUploadPath(event.path)) return

  const refusal = bodyRefusal({
    contentLength: getRequestHeader(event, 'content-length'),
    transferEncoding: getRequestHeader(event, 'transfer-encoding'),
    contentType: getRequestHeader(event, 'content-type'),
  })
  if (refusal) throw httpError(refusal.status, refusal.status === 413 ? 'body_too_large' : 'bad_body', refusal.message)

  const length = Number(getRequestHeader(event, 'content-length') ?? 0)
  if (length === 0) return
  if (bytesInFlight + length > MAX_BODY_BYTES_IN_FLIGHT) {
    warnAtMostEveryMinute('in-flight', `refused a request body: ${bytesInFlight} bytes of bodies already in flight`)
    setResponseHeader(event, 'retry-after', 1)
    throw httpError(503, 'unavailable', 'The server is busy receiving other requests: try again in a moment.')
  }
  bytesInFlight += length
  event.node.res.once('close', () => (bytesInFlight -= length))
})

function refererOrigin(referer: string | undefined): string | null {
  if (!referer) return null
  try {
    return new URL(referer).origin
  }
  catch {
    return 'null'
  }
}
