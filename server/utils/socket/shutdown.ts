import type { Hub } from '../chat/hub'
import type { ChatStorage } from '../storage/types'
import { log } from '../log/logger'

/** Longest a graceful shutdown may take before the process exits anyway. */
const SHUTDOWN_DEADLINE_MS = 8_000

/** How long closing sockets get to finish their closing handshake. */
const CLOSE_HANDSHAKE_MS = 2_000

let draining = false

/** True once the server is shutting down: new WebSocket upgrades are refused. */
export function isDraining(): boolean {
  return draining
}

/**
 * On SIGTERM/SIGINT: refuse new upgrades and close every socket with 1012 so clients reconnect and resume,
 * then let the frames already received finish their writes, close storage and exit.
 * The sockets are closed synchronously, inside the signal handler: Nitro's own shutdown handler runs
 * right after ours and destroys upgraded sockets, which clients would see as 1006 (STACK.md pitfall 9).
 * Acked messages are already on disk; one that was being written gets no ack, so the client re-sends it
 * under the same clientId and the restarted server recognises it.
 */
export function installGracefulShutdown(hub: Hub, storage: ChatStorage): void {
  const shutdown = (signal: string) => {
    if (draining) return
    draining = true
    const connections = [...hub.all()]
    log.info('shutdown', `${signal}: closing ${connections.length} connections with 1012`, { signal, connections: connections.length })
    for (const connection of connections) connection.close(1012, 'server restarting')
    const deadline = setTimeout(() => {
      log.error('shutdown-timeout', 'shutdown took too long: exiting now')
      process.exit(1)
    }, SHUTDOWN_DEADLINE_MS)
    deadline.unref()
    void Promise.all(connections.map(connection => connection.drained()))
      .then(() => Promise.race([hub.whenEmpty(), new Promise(resolve => setTimeout(resolve, CLOSE_HANDSHAKE_MS))]))
      .then(() => storage.close())
      .finally(() => process.exit(0))
  }
  process.once('SIGTERM', () => shutdown('SIGTERM'))
  process.once('SIGINT', () => shutdown('SIGINT'))
}
