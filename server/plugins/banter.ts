import { MAX_FRAME_BYTES } from '#shared/protocol'
import { ChatService } from '#server/utils/chat/chat-service'
import { ChatSocketServer } from '#server/utils/socket/chat-socket'
import { setBanter } from '#server/utils/banter'
import { startHeartbeat } from '#server/utils/socket/heartbeat'
import { readLimits } from '#server/utils/chat/limits'
import { installGracefulShutdown } from '#server/utils/socket/shutdown'
import { createBus, createConnectionCounter, createStorage } from '#server/utils/boot/backends'
import { requireSessionPassword } from '#server/utils/session/session-password'

/**
 * Boots the chat once per process: checks the session secret, opens storage,
 * makes sure `general` exists and gives the WebSocket route a server with banter's limits.
 * Nitro does not await plugins, so everything the server needs is set before the first `await`.
 */
export default defineNitroPlugin(async (nitroApp) => {
  requireSessionPassword()

  // crossws 0.3 reads `wss` from the h3 app's websocket options when the server entry starts.
  // Our own server from npm `ws` (>= 8.21, with its security fixes) caps frames at 64 KiB
  // (close 1009) instead of 100 MiB, with compression off, and serves the sockets the upgrade
  // hook lets in (server/utils/socket/chat-socket.ts). Not an official API: tests/e2e pins it.
  const h3App = nitroApp.h3App as typeof nitroApp.h3App & { options: { websocket?: Record<string, unknown> } }
  h3App.options.websocket = {
    ...h3App.options.websocket,
    wss: new ChatSocketServer({ maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false }),
  }

  const config = useRuntimeConfig()
  const limits = readLimits(config.limits)
  const { storage, kind: storageKind } = createStorage(config)
  const bus = createBus(config)
  const chat = new ChatService(storage, limits, bus)
  const connections = createConnectionCounter(config, chat.hub, limits.heartbeatIntervalMs)
  setBanter({ chat, storage, storageKind, bus, connections, startedAt: Date.now() })
  const stopHeartbeat = startHeartbeat(chat.hub, storage, limits.heartbeatIntervalMs)
  // Between instances a publish can be lost (an instance dying after its write): check storage now and then,
  // and keep this instance's share of the connection counts and of presence alive.
  const resyncTimer = bus.kind === 'memory'
    ? null
    : setInterval(() => {
        void chat.resync()
        void connections.refresh()
        chat.refreshPresence()
      }, limits.heartbeatIntervalMs)
  resyncTimer?.unref()
  // `nuxt dev` restarts its worker on its own signals; graceful shutdown is for the production server.
  if (!import.meta.dev) installGracefulShutdown(chat.hub, storage)

  nitroApp.hooks.hook('close', async () => {
    stopHeartbeat()
    if (resyncTimer) clearInterval(resyncTimer)
    chat.hub.closeAll(1001, 'server shutting down')
    await storage.close()
    await bus.close()
    await connections.close()
  })

  await chat.ensureDefaultRoom()
})
