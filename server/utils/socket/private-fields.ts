import type { IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import type { WebSocket } from 'ws'

/*
 * The two private fields banter's socket path reads, kept here so an upgrade of either package is checked in
 * one place (tests/unit/server/socket/chat-socket.test.ts and every e2e test go through both):
 * - crossws 0.3.5's node adapter (dist/adapters/node.mjs, `handleUpgrade`) sets `nodeReq._context` to the
 *   upgrade hook's `request.context` before it emits `connection` on our server with that request.
 *   The upgrade hook's `request` (crossws's NodeReqProxy) keeps that node request in `_req`.
 * - ws 8 keeps the net.Socket a WebSocket writes to in `_socket` (null until the upgrade has completed).
 */

/** The context server/routes/_ws.ts wrote during the upgrade, as crossws hands it over; undefined when absent. */
export function upgradeContextOf(request: IncomingMessage): Readonly<Record<string, unknown>> | undefined {
  const context: unknown = Reflect.get(request, '_context')
  return typeof context === 'object' && context !== null ? context as Record<string, unknown> : undefined
}

/** The node request behind the upgrade hook's `request`, for its client address; undefined when absent. */
export function upgradeNodeRequestOf(request: Request): IncomingMessage | undefined {
  const nodeRequest: unknown = Reflect.get(request, '_req')
  return typeof nodeRequest === 'object' && nodeRequest !== null && 'headers' in nodeRequest ? nodeRequest as IncomingMessage : undefined
}

/** The TCP socket under a ws WebSocket, for writing prebuilt frames; null before it is set or after it is gone. */
export function netSocketOf(socket: WebSocket): Socket | null {
  return (socket as unknown as { _socket: Socket | null })._socket
}
