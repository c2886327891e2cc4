import type { Hub } from '../chat/hub'
import type { ChatStorage } from '../storage/types'

/**
 * Every interval: drops connections that did not answer the last ping, pings the rest, sends a
 * `heartbeat` event to connections that heard nothing else (so a client can tell silence from a dead link),
 * and closes connections whose session ended or whose user lost their name (1008: sign in again).
 */
export function startHeartbeat(hub: Hub, storage: ChatStorage, intervalMs: number): () => void {
  const timer = setInterval(() => void beat(hub, storage, intervalMs), intervalMs)
  timer.unref()
  return () => clearInterval(timer)
}

async function beat(hub: Hub, storage: ChatStorage, intervalMs: number): Promise<void> {
  const now = Date.now()
  const users = new Set<string>()
  for (const connection of [...hub.all()]) {
    if (now >= connection.expiresAt) {
      connection.close(1008, 'session expired: sign in again')
      continue
    }
    if (!connection.ping()) {
      console.warn(`[banter] dropping ${connection.id} (${connection.user.name}): no pong within ${intervalMs} ms`)
      connection.terminate()
      continue
    }
    if (now - connection.lastSentAt >= intervalMs) connection.send({ type: 'heartbeat', ts: now })
    users.add(connection.user.id)
  }
  for (const userId of users) {
    try {
      if (!(await storage.touchName(userId, now))) hub.closeUser(userId, 1008, 'signed out')
    }
    catch (error) {
      console.error('[banter] heartbeat could not check a session', error)
    }
  }
}
