import type { Peer } from 'crossws'
import type { WebSocket } from 'ws'
import type { Connection, Transport } from './connection'
import { bufferedBytes, writeTextFrame } from './ws-frames'

/** What crossws 0.3's Node peer keeps in its private `_internal`: the ws socket, the request proxy, the upgrade request. */
interface NodePeerInternals {
  ws: WebSocket
  request: { url: string }
  nodeReq: object
}

const internalsOf = (peer: Peer) => (peer as unknown as { _internal: NodePeerInternals })._internal

/** The peer's `ws` socket (`peer.websocket` wraps it in a new Proxy). */
export function socketOf(peer: Peer): WebSocket {
  return internalsOf(peer).ws
}

/** Stands in for the upgrade request once it is released; crossws reads `_context` from it for `peer.context`. */
const RELEASED_REQUEST = Object.freeze({ _context: Object.freeze({}) })

/**
 * Lets go of the upgrade request once the connection is open. crossws keeps the IncomingMessage, a request proxy
 * with its Headers and the upgrade context (the unsealed session) for the socket's whole life: about 3 KiB per
 * connection. h3 still reads `request.url` to find this route for every hook, so that stays.
 */
export function releaseUpgradeRequest(peer: Peer): void {
  const internals = internalsOf(peer)
  internals.request = { url: internals.request.url }
  internals.nodeReq = RELEASED_REQUEST
}

const CONNECTION = Symbol('banter connection')
type SocketWithConnection = WebSocket & { [CONNECTION]?: Connection }

/** One listener function for every socket: a closure per socket cost memory for nothing. */
function onPong(this: SocketWithConnection): void {
  this[CONNECTION]?.pong()
}

/** A connection's way out through its ws socket: frames, buffered bytes, ping and pong, which crossws 0.3 does not expose. */
export class WsTransport implements Transport {
  constructor(private readonly socket: SocketWithConnection) {}

  /** Routes the socket's pongs to `connection`. */
  bind(connection: Connection): void {
    this.socket[CONNECTION] = connection
    this.socket.on('pong', onPong)
  }

  send(lines: readonly Buffer[], bytes: number): void {
    writeTextFrame(this.socket, lines, bytes)
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason)
  }

  bufferedAmount(): number {
    return bufferedBytes(this.socket)
  }

  ping(): void {
    this.socket.ping()
  }

  terminate(): void {
    this.socket.terminate()
  }
}
