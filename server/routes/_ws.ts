import type { Peer } from 'crossws'
import { PROTOCOL_VERSION } from '#shared/protocol'
import { Connection } from '../utils/connection'
import { useBanter } from '../utils/banter'
import { currentUser } from '../utils/session-user'
import { isOriginAllowed, parseAllowedOrigins } from '../utils/origin'

/** The chat's live stream. The protocol is in docs/protocol.md; the rules live in ChatService. */

const connections = new WeakMap<Peer, Connection>()
let allowedOrigins: string[] | null = null

export default defineWebSocketHandler({
  // Server middleware does not run for WebSocket routes (h3 #999), so auth and Origin are checked here.
  // A refusal must be a Response: a thrown H3 error leaves the client's socket hanging (crossws 0.3).
  async upgrade(request) {
    allowedOrigins ??= parseAllowedOrigins(useRuntimeConfig().allowedOrigins)
    const origin = request.headers.get('origin')
    if (!isOriginAllowed(origin, request.headers.get('host'), allowedOrigins)) {
      console.warn(`[banter] refused a WebSocket from origin ${origin}`)
      return new Response('Forbidden origin', { status: 403 })
    }
    let user
    try {
      user = await currentUser(request)
    }
    catch (error) {
      console.error('[banter] session check failed during upgrade', error)
      return new Response('Session check failed', { status: 500 })
    }
    if (!user) return new Response('Unauthorized', { status: 401 })
    ;(request as Request & { context: Record<string, unknown> }).context.user = user
  },

  open(peer) {
    const user = peer.context.user as Connection['user']
    const connection = new Connection(peer.id, user, {
      send: frame => peer.send(frame),
      close: (code, reason) => peer.close(code, reason),
    })
    connections.set(peer, connection)
    const { chat } = useBanter()
    chat.connect(connection)
    connection.send({ type: 'welcome', user, version: PROTOCOL_VERSION })
  },

  message(peer, message) {
    const connection = connections.get(peer)
    if (!connection) return
    const text = message.text()
    void connection.enqueue(() => useBanter().chat.handleFrame(connection, text))
  },

  close(peer) {
    const connection = connections.get(peer)
    if (!connection) return
    connections.delete(peer)
    useBanter().chat.disconnect(connection)
  },

  error(peer, error) {
    console.warn(`[banter] WebSocket error on ${peer.id}:`, error.message)
  },
})
