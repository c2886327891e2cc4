import { MAX_FRAME_BYTES } from '#shared/protocol-limits'
import { ChatService } from '#server/utils/chat/chat-service'
import { FILES_MOUNT } from '#server/utils/files/file-store'
import { Hub } from '#server/utils/chat/hub'
import { ChatSocketServer } from '#server/utils/socket/chat-socket'
import { setBanter } from '#server/utils/banter'
import { startHeartbeat } from '#server/utils/socket/heartbeat'
import { installGracefulShutdown } from '#server/utils/socket/shutdown'
import { createConnectionCounter, createFanOut, createSharedRates, createStorage } from '#server/utils/boot/backends'
import { timedCheck } from '#server/utils/boot/health-checks'
import { BANTER_VERSION } from '#server/utils/boot/version'
import { loadConfig } from '#server/utils/config/startup'
import { configureLogger, defaultInstanceId, log } from '#server/utils/log/logger'
import { enableMetrics } from '#server/utils/metrics/metrics'
import { uploadsInFlight } from '#server/utils/files/uploads'
import { liveSession } from '#server/utils/session/sessions'
import { createPushNotifier } from '#server/utils/push/push-notifier'
import type { AlertKind } from '#shared/notification-levels'

/**
 * Boots the chat once per process: checks the configuration (exit 1 on a bad value, before anything opens),
 * opens storage, picks the fan-out, makes sure `general` exists and gives the WebSocket route a server with
 * banter's limits. Nitro does not await plugins, so everything is set synchronously; what waits for storage
 * (the default room) runs once storage is open, on its own.
 */
export default defineNitroPlugin((nitroApp) => {
  const config = loadConfig()
  const instanceId = config.instanceId || defaultInstanceId()
  configureLogger(config.logLevel, instanceId)

  // crossws 0.3 reads `wss` from the h3 app's websocket options when the server entry starts.
  // Our own server from npm `ws` (>= 8.21, with its security fixes) caps frames at 64 KiB
  // (close 1009) instead of 100 MiB, with compression off, and serves the sockets the upgrade
  // hook lets in (server/utils/socket/chat-socket.ts). Not an official API: tests/e2e pins it.
  const h3App = nitroApp.h3App as typeof nitroApp.h3App & { options: { websocket?: Record<string, unknown> } }
  h3App.options.websocket = {
    ...h3App.options.websocket,
    wss: new ChatSocketServer({ maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false }),
  }

  const { limits } = config
  const { storage, kind: storageKind, ready: storageReady } = createStorage(config)
  const hub = new Hub()
  const { fanOut, bus } = createFanOut(config, hub, storage, limits, config.sessionPassword)
  const connections = createConnectionCounter(config, hub, limits.heartbeatIntervalMs)
  const { rates, close: closeRates } = createSharedRates(config)
  const vapid = config.vapidPublicKey ? { publicKey: config.vapidPublicKey, privateKey: config.vapidPrivateKey, subject: config.vapidSubject } : null
  // The levels live in the chat service, made just below; a push only ever asks after a message was stored.
  const levelAllows = async (userId: string, room: string, kind: AlertKind) => (await chat.notifications.alertsOf(userId, room, kind)).push
  const push = createPushNotifier(vapid, { storage, connections, levelAllows, allowLoopbackHttp: config.pushAllowInsecureEndpoints })
  const chat = new ChatService(storage, limits, fanOut, push, useStorage(FILES_MOUNT), rates)
  setBanter({ chat, storage, storageKind, bus, connections, rates, push, startedAt: Date.now(), instanceId })
  const stopHeartbeat = startHeartbeat(hub, async sessionId => (await liveSession(sessionId)) !== null, limits.heartbeatIntervalMs)
  // `nuxt dev` restarts its worker on its own signals; graceful shutdown is for the production server.
  if (!import.meta.dev) installGracefulShutdown(hub, storage)
  if (config.metricsToken) {
    enableMetrics(instanceId, {
      socketsOpen: () => hub.size,
      uploadsInFlight,
      backends: async () => {
        const [storageState, busState] = await Promise.all([timedCheck(() => storage.ping()), timedCheck(() => bus.ping())])
        return { storage: storageState, bus: busState }
      },
    })
  }
  log.info('started', `banter ${BANTER_VERSION} starting`, {
    version: BANTER_VERSION,
    storage: storageKind,
    bus: bus.kind,
    ...(storageKind === 'sqlite' ? { databasePath: config.databasePath } : {}),
    metrics: Boolean(config.metricsToken),
    push: Boolean(vapid),
    secureCookie: config.cookieSecure,
  })

  nitroApp.hooks.hook('close', async () => {
    stopHeartbeat()
    fanOut.stop()
    hub.closeAll(1001, 'server shutting down')
    await storage.close()
    await bus.close()
    await connections.close()
    await closeRates()
  })

  void storageReady
    .then(() => chat.ensureDefaultRoom())
    .catch(error => log.error('default-room-failed', 'could not create the default room', { err: error }))
})
