import type { H3Event } from 'h3'
import { parseAllowedOrigins, isOriginAllowed } from '#server/utils/session/origin'
import { BodyBudget } from '#server/utils/http/body-budget'
import { bodyRefusal, isUploadPath, MAX_BODY_BYTES_IN_FLIGHT, MAX_BODY_BYTES_PER_ADDRESS, STATE_CHANGING } from '#server/utils/http/request-guard'
import { warnAtMostEveryMinute } from '#server/utils/http/throttled-log'
import { clientAddress } from '#server/utils/session/client-address'

let allowedOrigins: string[] | null = null
/** Bytes of request bodies being received right now. */
const budget = new BodyBudget(MAX_BODY_BYTES_IN_FLIGHT, MAX_BODY_BYTES_PER_ADDRESS)

/**
 * Every REST request passes here before its route. Answers are never cached (they are someone's data).
 * A state-changing request must come from an allowed origin (CSRF: SameSite=Lax alone let a sibling
 * subdomain or another port post as the victim), carry a JSON body with its length, under the size limit,
 * and fit in what its client address and all clients together may have in flight; otherwise it is refused
 * before anything is read. A body that has not arrived within NUXT_LIMITS_REQUEST_BODY_SECONDS is cut off.
 */
export default defineEventHandler(async (event) => {
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
  const address = clientAddress(event)
  const seconds = useBanter().chat.limits.requestBodySeconds
  const over = budget.reserve(address, length)
  if (over === 'address') {
    warnAtMostEveryMinute('in-flight-address', `refused a request body: ${address} already has ${MAX_BODY_BYTES_PER_ADDRESS} bytes of bodies in flight`)
    setResponseHeader(event, 'retry-after', 1)
    throw httpError(429, 'rate_limited', 'Too many requests from this address are still on their way: try again in a moment.')
  }
  if (over === 'server') {
    warnAtMostEveryMinute('in-flight', `refused a request body: ${budget.inFlight} bytes of bodies already in flight`)
    setResponseHeader(event, 'retry-after', 1)
    throw httpError(503, 'unavailable', 'The server is busy receiving other requests: try again in a moment.')
  }
  event.node.res.once('close', () => budget.release(address, length))
  // Read here, so the deadline measures the body's arrival alone (not a route waiting on storage first), and a
  // route that answers without reading it cannot give the budget back while the body still trickles in.
  // h3 keeps what was read for the route's readBody.
  await readWithin(event, seconds, address)
})

/** Reads the request's body, or cuts its connection when it has not all arrived within `seconds`. */
async function readWithin(event: H3Event, seconds: number, address: string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), seconds * 1000)
    timer.unref()
  })
  try {
    const outcome = await Promise.race([readRawBody(event, false), late])
    if (outcome !== 'late') return
  }
  catch {
    throw httpError(400, 'bad_body', 'The request body did not arrive whole.')
  }
  finally {
    clearTimeout(timer)
  }
  warnAtMostEveryMinute('slow-body', `cut off a request whose body did not arrive within ${seconds} s (${address})`)
  event.node.req.socket.destroy()
  throw httpError(400, 'bad_body', `The request body did not arrive within ${seconds} s.`)
}

function refererOrigin(referer: string | undefined): string | null {
  if (!referer) return null
  try {
    return new URL(referer).origin
  }
  catch {
    return 'null'
  }
}
