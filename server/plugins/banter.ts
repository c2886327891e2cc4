import { MAX_FRAME_BYTES } from '#shared/protocol-limits'
import { ChatService } from '#server/utils/chat/chat-service'
import { Hub } from '#server/utils/chat/hub'
import { ChatSocketServer } from '#server/utils/socket/chat-socket'
import { setBanter } from '#server/utils/banter'
import { startHeartbeat } from '#server/utils/socket/heartbeat'
import { readLimits } from '#server/utils/chat/limits'
import { installGracefulShutdown } from '#server/utils/socket/shutdown'
import { createConnectionCounter, createFanOut, createStorage } from '#server/utils/boot/backends'
import { requireSessionPassword } from '#server/utils/session/session-password'
import { liveSession } from '#server/utils/session/sessions'

/**
 * Boots the chat once per process: checks the session secret, opens storage, picks the fan-out, makes sure
 * `general` exists and gives the WebSocket route a server with banter's limits.
 * Nitro does not await plugins, so everything is set synchronously; the one thing that waits for storage
 * (the default room) runs last, on its own.
 */
export default defineNitroPlugin((nitroApp) => {
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
  const hub = new Hub()
  const { fanOut, bus } = createFanOut(config, hub, storage, limits, config.session.password)
  const chat = new ChatService(storage, limits, fanOut)
  const connections = createConnectionCounter(config, hub, limits.heartbeatIntervalMs)
  setBanter({ chat, storage, storageKind, bus, connections, startedAt: Date.now() })
  const stopHeartbeat = startHeartbeat(hub, async sessionId => (await liveSession(sessionId)) !== null, limits.heartbeatIntervalMs)
  // `nuxt dev` restarts its worker on its own signals; graceful shutdown is for the production server.
  if (!import.meta.dev) installGracefulShutdown(hub, storage)

  nitroApp.hooks.hook('close', async () => {
    stopHeartbeat()
    fanOut.stop()
    hub.closeAll(1001, 'server shutting down')
    await storage.close()
    await bus.close()
    await connections.close()
  })

  chat.ensureDefaultRoom().catch(error => console.error('[banter] could not create the default room', error))
})
