import type { Hub } from '../chat/hub'
import { log } from '../log/logger'

/** Whether the server-side session with this hash is still live (not revoked or expired, its user not banned). */
export type SessionCheck = (sessionId: string) => Promise<boolean>

/**
 * Every interval: drops connections that did not answer the last ping, pings the rest, sends a
 * `heartbeat` event to connections that heard nothing else (so a client can tell silence from a dead link),
 * and closes connections whose session ended (1008: sign in again). Revocations close sockets at once over the
 * bus; this check is what still catches a revocation whose bus message was lost.
 */
export function startHeartbeat(hub: Hub, isLive: SessionCheck, intervalMs: number): () => void {
  const timer = setInterval(() => void beat(hub, isLive, intervalMs), intervalMs)
  timer.unref()
  return () => clearInterval(timer)
}

async function beat(hub: Hub, isLive: SessionCheck, intervalMs: number): Promise<void> {
  const now = Date.now()
  const sessions = new Set<string>()
  for (const connection of [...hub.all()]) {
    if (now >= connection.expiresAt) {
      connection.close(1008, 'session expired: sign in again')
      continue
    }
    if (!connection.ping()) {
      log.info('socket-no-pong', `dropping a connection: no pong within ${intervalMs} ms`, { connection: connection.id, userId: connection.user.id })
      connection.terminate()
      continue
    }
    if (now - connection.lastSentAt >= intervalMs) connection.send({ type: 'heartbeat', ts: now })
    if (connection.sessionId) sessions.add(connection.sessionId)
  }
  for (const sessionId of sessions) {
    try {
      if (!(await isLive(sessionId))) hub.closeSessions([sessionId], 1008, 'session ended: sign in again')
    }
    catch (error) {
      log.error('heartbeat-session-check-failed', 'heartbeat could not check a session', { err: error })
    }
  }
}
