import { afterEach, beforeEach, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { encodeServerEvents, PROTOCOL_VERSION } from '#shared/protocol'
import type { ChatMessage, ClientEvent, ServerEvent } from '#shared/protocol'

/** A stand-in for the browser WebSocket: records what the store sends and lets the test play the server. */
export class FakeWebSocket {
  static readonly CONNECTING = 0
  static readonly OPEN = 1
  static readonly CLOSED = 3
  static instances: FakeWebSocket[] = []
  readyState = FakeWebSocket.CONNECTING
  sent: ClientEvent[] = []
  closedByClient: number | null = null
  onmessage: ((event: { data: string }) => void) | null = null
  onclose: ((event: { code: number }) => void) | null = null

  constructor(readonly url: URL) {
    FakeWebSocket.instances.push(this)
  }

  send(data: string) {
    this.sent.push(JSON.parse(data))
  }

  close(code = 1000) {
    this.closedByClient = code
    this.readyState = FakeWebSocket.CLOSED
  }

  /** The server accepts the connection and says welcome. */
  accept(maxRoomsPerConnection = 50) {
    this.readyState = FakeWebSocket.OPEN
    this.deliver({ type: 'welcome', user, version: PROTOCOL_VERSION, heartbeatMs: 25_000, limits: { maxRoomsPerConnection } })
  }

  deliver(...events: ServerEvent[]) {
    this.onmessage?.({ data: encodeServerEvents(events) })
  }

  serverClose(code: number) {
    this.readyState = FakeWebSocket.CLOSED
    this.onclose?.({ code })
  }

  /** The events of one type this socket carried, in order. */
  sentOf<T extends ClientEvent['type']>(type: T): Extract<ClientEvent, { type: T }>[] {
    return this.sent.filter((event): event is Extract<ClientEvent, { type: T }> => event.type === type)
  }
}

export const user = { id: 'u1', name: 'alice', username: 'alice' }
export const bob = { id: 'u2', name: 'bob', username: 'bob' }
export const message = (seq: number, extra: Partial<ChatMessage> = {}): ChatMessage =>
  ({ room: 'general', id: `m${seq}`, seq, user: bob, text: `t${seq}`, ts: seq, clientId: `c${seq}`, ...extra })
export const latest = () => FakeWebSocket.instances.at(-1)!
export const fetchMock = vi.fn()
/** History pages the fake REST API answers with, in order; the room list is always empty. */
export const historyPages: unknown[] = []
export const historyCalls = () => fetchMock.mock.calls.filter(([url]) => String(url).includes('/messages'))

/** Threads the next `GET /api/threads` answers with (then none). */
export const threadsEverywhere: unknown[] = []

/** Fake timers, the stand-in WebSocket, a fake REST API and a fresh Pinia for every test of the file. */
export function useStoreTestEnvironment(): void {
  beforeEach(() => {
    vi.useFakeTimers()
    FakeWebSocket.instances = []
    fetchMock.mockReset()
    historyPages.length = 0
    threadsEverywhere.length = 0
    fetchMock.mockImplementation(async (url: string) => {
      if (url === '/api/rooms') return { rooms: [] }
      // Every welcome reads the notification levels (stores/notifications.ts): the defaults, nothing chosen.
      if (url === '/api/notifications') return { workspaceDefault: 'all', choices: {} }
      // Every welcome reads the threads followed in every room (stores/threads.ts).
      if (url === '/api/threads') return { threads: threadsEverywhere.splice(0) }
      return historyPages.shift()
    })
    vi.stubGlobal('WebSocket', FakeWebSocket)
    vi.stubGlobal('$fetch', fetchMock)
    vi.stubGlobal('location', { href: 'https://chat.example/rooms/general' })
    vi.stubGlobal('window', new EventTarget())
    vi.stubGlobal('navigator', { onLine: true })
    setActivePinia(createPinia())
  })

  afterEach(() => {
    vi.useRealTimers()
    vi.unstubAllGlobals()
    vi.restoreAllMocks()
  })
}
