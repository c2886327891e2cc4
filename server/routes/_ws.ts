import { currentSession } from '#server/utils/session/sessions'
import { isOriginAllowed, parseAllowedOrigins } from '#server/utils/session/origin'
import { isDraining } from '#server/utils/socket/shutdown'
import { CHAT_SESSION } from '#server/utils/socket/chat-socket'
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
    if (!isOriginAllowed(origin, request.headers.get('host'), allowedOrigins, secure)) {
      log.info('socket-refused', `refused a WebSocket from origin ${origin}`, { reason: 'origin', origin, host: request.headers.get('host') })
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
    if (await counter.count(session.user.id) >= chat.limits.maxConnectionsPerUser) {
      log.info('socket-refused', `refused a connection: ${chat.limits.maxConnectionsPerUser} already open for this user`, { reason: 'per-user-cap', userId: session.user.id })
      return new Response('Too many connections', { status: 429 })
    }
    // The mark ChatSocketServer looks for: this socket is a chat connection of this user.
    ;(request as Request & { context: Record<string, unknown> }).context[CHAT_SESSION] = session
  },
})
