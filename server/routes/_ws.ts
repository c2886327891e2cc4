import { currentSession } from '#server/utils/session/sessions'
import { describeOriginRefusal, isOriginAllowed, parseAllowedOrigins } from '#server/utils/session/origin'
import { isDraining } from '#server/utils/socket/shutdown'
import { CHAT_ADDRESS, CHAT_SESSION } from '#server/utils/socket/chat-socket'
import { socketsByAddress } from '#server/utils/socket/address-counts'
import { upgradeNodeRequestOf } from '#server/utils/socket/private-fields'
import { clientAddressOf } from '#server/utils/session/client-address'
import { warnAtMostEveryMinute } from '#server/utils/http/throttled-log'
import { log } from '#server/utils/log/logger'

/**
 * The chat's live stream (docs/protocol.md). This file only decides who may connect. The sockets it lets in
 * are served by ChatSocketServer in server/utils/socket/chat-socket.ts, which server/plugins/banter.ts gives
 * crossws as its `wss`: it takes each socket marked below, so crossws's open/message/close hooks never run.
 * Frames go to server/utils/socket/frame-handler.ts, the rules to server/utils/chat/chat-service.ts.
 */

let allowedOrigins: string[] | null = null

export default defineWebSocketHandler({
  // Server middleware does not run for WebSocket routes (h3 #999), so auth and Origin are checked here.
  // A refusal must be a Response: a thrown H3 error leaves the client's socket hanging (crossws 0.3).
  async upgrade(request) {
    if (isDraining()) return new Response('Restarting', { status: 503, headers: { 'retry-after': '1' } })
    allowedOrigins ??= parseAllowedOrigins(useRuntimeConfig().allowedOrigins)
    const origin = request.headers.get('origin')
    const secure = new URL(request.url).protocol === 'https:'
    const host = request.headers.get('host')
    if (!isOriginAllowed(origin, host, allowedOrigins, secure)) {
      // Each refusal at info, as every refusal is; what to fix at warn once a minute: a client reconnecting with
      // backoff would repeat it forever (one key, as headers are anyone's).
      log.info('socket-refused', 'refused a WebSocket from another origin', { reason: 'origin', origin, host })
      warnAtMostEveryMinute('refused-origin', describeOriginRefusal(origin, host, allowedOrigins, secure))
      return new Response('Forbidden origin', { status: 403 })
    }
    let session
    try {
      session = await currentSession(request)
    }
    catch (error) {
      log.error('upgrade-session-check-failed', 'session check failed during upgrade', { err: error })
      return new Response('Session check failed', { status: 500 })
    }
    if (!session) {
      log.info('socket-refused', 'refused a WebSocket without a live session', { reason: 'unauthorized' })
      return new Response('Unauthorized', { status: 401 })
    }
    const { chat, connections: counter } = useBanter()
    if (chat.hub.size >= chat.limits.maxConnections) {
      warnAtMostEveryMinute('max-connections', `refused connections: ${chat.limits.maxConnections} open on this instance (NUXT_LIMITS_MAX_CONNECTIONS)`)
      return new Response('Server full', { status: 503, headers: { 'retry-after': '5' } })
    }
    const nodeRequest = upgradeNodeRequestOf(request)
    const address = nodeRequest ? clientAddressOf(nodeRequest, String(useRuntimeConfig().trustProxy) === 'true') : 'unknown'
    const perAddress = chat.limits.maxConnectionsPerAddress
    if (perAddress > 0 && socketsByAddress.count(address) >= perAddress) {
      warnAtMostEveryMinute(`address-connections:${address}`, `[banter] refused connections from ${address}: ${perAddress} open from there (NUXT_LIMITS_MAX_CONNECTIONS_PER_ADDRESS)`)
      return new Response('Too many connections from your address', { status: 429, headers: { 'retry-after': '30' } })
    }
    if (await counter.count(session.user.id) >= chat.limits.maxConnectionsPerUser) {
      log.info('socket-refused', `refused a connection: ${chat.limits.maxConnectionsPerUser} already open for this user`, { reason: 'per-user-cap', userId: session.user.id })
      return new Response('Too many connections', { status: 429 })
    }
    // The mark ChatSocketServer looks for: this socket is a chat connection of this user.
    const context = (request as Request & { context: Record<string, unknown> }).context
    context[CHAT_SESSION] = session
    context[CHAT_ADDRESS] = address
  },
})
