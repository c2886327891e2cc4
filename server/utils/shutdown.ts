import type { Hub } from './hub'
import type { ChatStorage } from './storage/types'

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
 * On SIGTERM/SIGINT: refuse new upgrades, finish the frames already received (their acks go out),
 * close every socket with 1012 so clients reconnect and resume, close storage, exit.
 * Registered by the plugin because Nitro's own shutdown destroys upgraded sockets first, which
 * clients see as 1006 (STACK.md pitfall 9).
 */
export function installGracefulShutdown(hub: Hub, storage: ChatStorage): void {
  const shutdown = async (signal: string) => {
    if (draining) return
    draining = true
    console.info(`[banter] ${signal}: closing ${hub.size} connections with 1012`)
    const deadline = setTimeout(() => {
      console.error('[banter] shutdown took too long: exiting now')
      process.exit(1)
    }, SHUTDOWN_DEADLINE_MS)
    deadline.unref()
    const connections = [...hub.all()]
    await Promise.all(connections.map(connection => connection.drained()))
    for (const connection of connections) connection.close(1012, 'server restarting')
    // Let the close frames reach the clients before the process goes.
    await Promise.race([hub.whenEmpty(), new Promise(resolve => setTimeout(resolve, CLOSE_HANDSHAKE_MS))])
    await storage.close()
    process.exit(0)
  }
  process.once('SIGTERM', () => void shutdown('SIGTERM'))
  process.once('SIGINT', () => void shutdown('SIGINT'))
}
