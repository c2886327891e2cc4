import { PUSH_OFF } from '#server/utils/push/push-notifier'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import WebSocket from 'ws'
import { decodeServerFrame, SOCKET_PATH } from '#shared/protocol'
import { setBanter } from '#server/utils/banter'
import { createMemoryBus } from '#server/utils/bus/memory'
import { createLocalConnectionCounter } from '#server/utils/chat/connection-counter'
import { CHAT_SESSION, ChatSocketServer } from '#server/utils/socket/chat-socket'
import { createSqliteStorage } from '#server/utils/storage/sqlite'
import { localRates } from '#server/utils/rates/shared-rates'
import { localChat } from '../support/chat'
import { log } from '#server/utils/log/logger'

/** The crossws the built server runs (Nitro's own copy, 0.3.5), not whichever version the root resolves. */
const nitroRequire = createRequire(createRequire(import.meta.url).resolve('nitropack/package.json'))
const { default: nodeAdapter } = await import(pathToFileURL(nitroRequire.resolve('crossws/adapters/node')).href) as {
  default: (options: object) => { handleUpgrade: (request: unknown, socket: unknown, head: Buffer) => Promise<void> }
}

const user = { id: 'u1', name: 'upgrader', username: 'upgrader' }

/**
 * crossws's node adapter driving banter's ChatSocketServer, as in the built server: the upgrade hook marks a
 * chat socket with its session (server/routes/_ws.ts), unless the request asks it not to.
 */
describe('ChatSocketServer behind crossws 0.3', () => {
  const storage = createSqliteStorage(':memory:')
  const chat = localChat(storage)
  let otherRouteOpened!: (path: string) => void
  const opened = new Promise<string>(resolve => (otherRouteOpened = resolve))
  let url = ''
  const server = createServer()

  beforeAll(async () => {
    setBanter({ chat, storage, storageKind: 'sqlite', bus: createMemoryBus(), connections: createLocalConnectionCounter(chat.hub), rates: localRates, push: PUSH_OFF, startedAt: Date.now(), instanceId: 'test' })
    const adapter = nodeAdapter({
      wss: new ChatSocketServer({}),
      hooks: {
        upgrade(request: Request & { context: Record<string, unknown> }) {
          if (!request.url.includes('unmarked')) request.context[CHAT_SESSION] = { user, expiresAt: Number.POSITIVE_INFINITY }
        },
        open(peer: { request: { url: string } }) {
          otherRouteOpened(new URL(peer.request.url).pathname)
        },
      },
    })
    server.on('upgrade', (request, socket, head) => void adapter.handleUpgrade(request, socket, head))
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    chat.hub.closeAll(1001, 'done')
    await new Promise(resolve => server.close(resolve))
    await storage.close()
  })

  function open(path: string) {
    const socket = new WebSocket(`${url}${path}`)
    const firstFrame = new Promise<string>(resolve => socket.once('message', data => resolve(data.toString())))
    const connected = new Promise(resolve => socket.once('open', resolve))
    const closed = new Promise<number>(resolve => socket.once('close', code => resolve(code)))
    return { socket, connected, firstFrame, closed }
  }

  it('serves a marked chat socket itself: the welcome comes through its own frame writer', async () => {
    const client = open(SOCKET_PATH)
    expect(decodeServerFrame(await client.firstFrame).events[0]).toMatchObject({ type: 'welcome', user })
    client.socket.close()
    await client.closed
  })

  it('closes a chat socket that arrives without its mark with 1011, and says why once', async () => {
    const error = vi.spyOn(log, 'error').mockImplementation(() => {})
    try {
      const first = open(`${SOCKET_PATH}?unmarked`)
      const second = open(`${SOCKET_PATH}?unmarked`)
      expect(await first.closed).toBe(1011)
      expect(await second.closed).toBe(1011)
      expect(error).toHaveBeenCalledTimes(1)
      expect(String(error.mock.calls[0]![1])).toContain('without its session mark')
    }
    finally {
      error.mockRestore()
    }
  })

  it('leaves a socket of another route to crossws', async () => {
    const client = open('/elsewhere?unmarked')
    expect(await opened).toBe('/elsewhere')
    await client.connected
    client.socket.close()
    await client.closed
  })
})
