import { WebSocketServer } from 'ws'
import { MAX_FRAME_BYTES } from '#shared/protocol'
import { ChatService } from '../utils/chat-service'
import { setBanter } from '../utils/banter'
import { createSqliteStorage } from '../utils/storage/sqlite'
import { requireSessionPassword } from '../utils/session-password'

/**
 * Boots the chat once per process: checks the session secret, opens storage,
 * makes sure `general` exists and gives the WebSocket route a server with banter's limits.
 */
export default defineNitroPlugin(async (nitroApp) => {
  requireSessionPassword()

  const { databasePath } = useRuntimeConfig()
  const storage = createSqliteStorage(databasePath)
  const chat = new ChatService(storage)
  await chat.ensureDefaultRoom()
  setBanter({ chat, storage, startedAt: Date.now() })

  // crossws 0.3 reads `wss` from the h3 app's websocket options: passing our own server from npm `ws`
  // (>= 8.21, with its security fixes) caps frames at 64 KiB (close 1009) instead of the default 100 MiB,
  // and turns compression off. Not an official API: tests/e2e pins the 1009 behaviour.
  const h3App = nitroApp.h3App as typeof nitroApp.h3App & { options: { websocket?: Record<string, unknown> } }
  h3App.options.websocket = {
    ...h3App.options.websocket,
    wss: new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false }),
  }

  nitroApp.hooks.hook('close', async () => {
    chat.hub.closeAll(1001, 'server shutting down')
    await storage.close()
  })
})
