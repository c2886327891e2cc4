import type { Peer } from 'crossws'
import { PROTOCOL_VERSION } from '#shared/protocol'
import { Connection } from '../utils/connection'
import { useBanter } from '../utils/banter'
import { currentSession } from '../utils/session-user'
import type { ChatSession } from '../utils/session-user'
import { isOriginAllowed, parseAllowedOrigins } from '../utils/origin'
import { isDraining } from '../utils/shutdown'
import { WsTransport, releaseUpgradeRequest, socketOf } from '../utils/ws-transport'

/** The chat's live stream. The protocol is in docs/protocol.md; the rules live in ChatService. */

const connections = new WeakMap<Peer, Connection>()
let allowedOrigins: string[] | null = null
/** Connection ids for logs: a counter (crossws's peer.id is a UUID string per socket). */
let lastConnectionId = 0

export default defineWebSocketHandler({
  // Server middleware does not run for WebSocket routes (h3 #999), so auth and Origin are checked here.
  // A refusal must be a Response: a thrown H3 error leaves the client's socket hanging (crossws 0.3).
  async upgrade(request) {
    if (isDraining()) return new Response('Restarting', { status: 503, headers: { 'retry-after': '1' } })
    allowedOrigins ??= parseAllowedOrigins(useRuntimeConfig().allowedOrigins)
    const origin = request.headers.get('origin')
    if (!isOriginAllowed(origin, request.headers.get('host'), allowedOrigins)) {
      console.warn(`[banter] refused a WebSocket from origin ${origin}`)
      return new Response('Forbidden origin', { status: 403 })
    }
    let session
    try {
      session = await currentSession(request)
    }
    catch (error) {
      console.error('[banter] session check failed during upgrade', error)
      return new Response('Session check failed', { status: 500 })
    }
    if (!session) return new Response('Unauthorized', { status: 401 })
    const { chat, connections: counter } = useBanter()
    if (await counter.count(session.user.id) >= chat.limits.maxConnectionsPerUser) {
      console.warn(`[banter] refused a connection for ${session.user.name}: ${chat.limits.maxConnectionsPerUser} already open`)
      return new Response('Too many connections', { status: 429 })
    }
    ;(request as Request & { context: Record<string, unknown> }).context.session = session
  },

  open(peer) {
    const session = peer.context.session as ChatSession
    releaseUpgradeRequest(peer)
    const { chat } = useBanter()
    const transport = new WsTransport(socketOf(peer))
    const connection = new Connection(String(++lastConnectionId), session.user, transport, chat.limits, session.expiresAt)
    transport.bind(connection)
    connections.set(peer, connection)
    // Upgrades run concurrently, so two may pass the check above at once: the count is enforced again here.
    if (chat.hub.connectionCount(session.user.id) >= chat.limits.maxConnectionsPerUser) {
      connection.close(1013, 'too many connections')
      return
    }
    chat.connect(connection)
    useBanter().connections.opened(session.user.id)
    connection.send({ type: 'welcome', user: session.user, version: PROTOCOL_VERSION, heartbeatMs: chat.limits.heartbeatIntervalMs })
  },

  message(peer, message) {
    const connection = connections.get(peer)
    if (!connection || connection.isClosed) return
    connection.pong()
    const text = message.text()
    void connection.enqueue(() => useBanter().chat.handleFrame(connection, text))
  },

  close(peer) {
    const connection = connections.get(peer)
    if (!connection) return
    connections.delete(peer)
    const { chat, connections: counter } = useBanter()
    // Only connections that were let in were counted.
    if (chat.hub.isConnected(connection)) counter.closed(connection.user.id)
    chat.disconnect(connection)
  },

  error(peer, error) {
    console.warn(`[banter] WebSocket error on ${connections.get(peer)?.id ?? 'a socket not yet open'}:`, error.message)
  },
})
