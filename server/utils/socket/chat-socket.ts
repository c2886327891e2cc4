import type { IncomingMessage } from 'node:http'
import { WebSocketServer } from 'ws'
import type { RawData, ServerOptions, WebSocket } from 'ws'
import { PROTOCOL_VERSION, SOCKET_PATH } from '#shared/protocol'
import { Connection } from './connection'
import { useBanter } from '../banter'
import type { ChatSession } from '../session/sessions'
import { WsTransport } from './ws-transport'
import { isDraining } from './shutdown'
import { handleFrame } from './frame-handler'
import { upgradeContextOf } from './private-fields'
import { socketsByAddress } from './address-counts'
import { log } from '../log/logger'
import { warnAtMostEveryMinute } from '../http/throttled-log'
import { chatMetrics } from '../metrics/metrics'

/** The upgrade context key under which server/routes/_ws.ts hands over the session of a chat socket. */
export const CHAT_SESSION = 'banterChatSession'
/** The upgrade context key of the socket's client address, which server/routes/_ws.ts counted against its cap. */
export const CHAT_ADDRESS = 'banterChatAddress'

/**
 * The chat's sockets after the upgrade. crossws 0.3 runs the `upgrade` hook of server/routes/_ws.ts (Origin,
 * session, limits) and then hands the new socket to this server's `connection` event. Banter takes the socket
 * there instead of letting crossws wrap it: crossws kept the upgrade request, a request proxy and a peer per
 * socket, and looked the route up again, through several promises, for every frame. How the session gets
 * here is the one private hand-over in private-fields.ts; a chat socket arriving without it is closed (1011).
 */
export class ChatSocketServer extends WebSocketServer {
  constructor(options: ServerOptions) {
    // Banter's Hub tracks the sockets (ws's own client Set would be a second copy); frames are written by hand
    // (ws-frames.ts), which needs compression off.
    super({ ...options, noServer: true, clientTracking: false, perMessageDeflate: false })
  }

  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event !== 'connection') return super.emit(event, ...args)
    const [socket, request] = args as [WebSocket, IncomingMessage]
    const context = upgradeContextOf(request)
    const session = context?.[CHAT_SESSION] as ChatSession | undefined
    if (session) {
      openChatSocket(socket, session, String(context?.[CHAT_ADDRESS] ?? 'unknown'))
      return true
    }
    // crossws 0.3 has one server for every WebSocket route: a socket of another route is crossws's own.
    if (!isChatRoute(request)) return super.emit(event, ...args)
    refuseUnmarked(socket)
    return true
  }
}

function isChatRoute(request: IncomingMessage): boolean {
  const url = request.url ?? ''
  const query = url.indexOf('?')
  return (query === -1 ? url : url.slice(0, query)) === SOCKET_PATH
}

let reportedUnmarked = false

/**
 * A chat socket whose upgrade left no session mark: the hand-over from server/routes/_ws.ts through
 * crossws broke (see private-fields.ts). Every chat socket would hang silently; close them (1011) and say why once.
 */
function refuseUnmarked(socket: WebSocket): void {
  if (!reportedUnmarked) {
    reportedUnmarked = true
    log.error('socket-unmarked', `a WebSocket upgrade to ${SOCKET_PATH} arrived without its session mark: the upgrade hand-over is broken (server/utils/socket/private-fields.ts). Closing such sockets with 1011.`)
  }
  socket.on('error', onError)
  socket.close(1011, 'server error')
}

const CONNECTION = Symbol('banter connection')
const ADDRESS = Symbol('banter client address')
type ChatSocket = WebSocket & { [CONNECTION]?: Connection, [ADDRESS]?: string }

/** Connection ids for logs: a counter is enough, and cheaper than a UUID string per socket. */
let lastConnectionId = 0

function openChatSocket(socket: ChatSocket, session: ChatSession, address: string): void {
  // An upgrade may have passed the draining check just before SIGTERM, then waited for its session.
  if (isDraining()) {
    // A frame arriving during the closing handshake may still make ws report an error: never unhandled.
    socket.on('error', onError)
    socket.close(1012, 'server restarting')
    return
  }
  const { chat, connections: counter } = useBanter()
  const connection = new Connection(String(++lastConnectionId), session.user, new WsTransport(socket), chat.limits, session.expiresAt, session.sessionId)
  socket[CONNECTION] = connection
  // Shared listener functions (`this` is the socket): a closure per socket and event cost memory for nothing.
  socket.on('message', onMessage)
  socket.on('pong', onPong)
  socket.on('close', onClose)
  socket.on('error', onError)
  // Upgrades run concurrently, so two may pass the upgrade's check at once: the count is enforced again here.
  const perAddress = chat.limits.maxConnectionsPerAddress
  if (chat.hub.connectionCount(session.user.id) >= chat.limits.maxConnectionsPerUser
    || (perAddress > 0 && socketsByAddress.count(address) >= perAddress)) {
    connection.close(1013, 'too many connections')
    return
  }
  socket[ADDRESS] = address
  socketsByAddress.add(address)
  chat.connect(connection)
  counter.opened(session.user.id)
  log.info('socket-open', 'accepted a connection', { connection: connection.id, userId: session.user.id })
  connection.send({
    type: 'welcome',
    user: session.user,
    version: PROTOCOL_VERSION,
    heartbeatMs: chat.limits.heartbeatIntervalMs,
    limits: { maxRoomsPerConnection: chat.limits.maxRoomsPerConnection },
  })
}

function onMessage(this: ChatSocket, data: RawData): void {
  const connection = this[CONNECTION]
  if (!connection || connection.isClosed) return
  connection.pong()
  // Binary frames are read as UTF-8 text too (docs/protocol.md); ws has already refused invalid UTF-8 in text frames.
  // ws hands over a Buffer with its default binaryType ('nodebuffer'); a list of fragments only with 'fragments'.
  const text = Buffer.isBuffer(data) ? data.toString() : Buffer.concat(data as Buffer[]).toString()
  void connection.enqueue(release => handleFrame(useBanter().chat, connection, text, release))
}

function onPong(this: ChatSocket): void {
  this[CONNECTION]?.pong()
}

function onClose(this: ChatSocket, code: number): void {
  const connection = this[CONNECTION]
  if (!connection) return
  chatMetrics.closed(code)
  this[CONNECTION] = undefined
  if (this[ADDRESS] !== undefined) socketsByAddress.remove(this[ADDRESS])
  this[ADDRESS] = undefined
  const { chat, connections: counter } = useBanter()
  // Only connections that were let in were counted.
  if (chat.hub.isConnected(connection)) counter.closed(connection.user.id)
  chat.disconnect(connection)
}

/** ws closes the socket itself (1009, 1007...); one line a minute per kind, as a client can repeat it at will. */
function onError(this: ChatSocket, error: Error): void {
  warnAtMostEveryMinute(`socket-error:${error.message}`, `WebSocket error: ${error.message}`, Date.now(), { connection: this[CONNECTION]?.id })
}
