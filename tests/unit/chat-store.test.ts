import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { encodeServerEvents, PROTOCOL_VERSION } from '#shared/protocol'
import type { ChatMessage, ServerEvent } from '#shared/protocol'
import { STABLE_AFTER_MS, useChatStore } from '~/stores/chat'

/** A stand-in for the browser WebSocket: records what the store sends and lets the test play the server. */
class FakeWebSocket {
  static readonly CONNECTING = 0
  static readonly OPEN = 1
  static readonly CLOSED = 3
  static instances: FakeWebSocket[] = []
  readyState = FakeWebSocket.CONNECTING
  sent: unknown[] = []
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
  accept() {
    this.readyState = FakeWebSocket.OPEN
    this.deliver({ type: 'welcome', user, version: PROTOCOL_VERSION, heartbeatMs: 25_000, limits: { maxRoomsPerConnection: 50 } })
  }

  deliver(...events: ServerEvent[]) {
    this.onmessage?.({ data: encodeServerEvents(events) })
  }

  serverClose(code: number) {
    this.readyState = FakeWebSocket.CLOSED
    this.onclose?.({ code })
  }
}

const user = { id: 'u1', name: 'alice' }
const message = (seq: number, extra: Partial<ChatMessage> = {}): ChatMessage =>
  ({ room: 'general', id: `m${seq}`, seq, user: { id: 'u2', name: 'bob' }, text: `t${seq}`, ts: seq, clientId: `c${seq}`, ...extra })
const latest = () => FakeWebSocket.instances.at(-1)!
const fetchMock = vi.fn()
/** History pages the fake REST API answers with, in order; the room list is always empty. */
let historyPages: unknown[] = []
const historyCalls = () => fetchMock.mock.calls.filter(([url]) => String(url).includes('/messages'))

beforeEach(() => {
  vi.useFakeTimers()
  FakeWebSocket.instances = []
  fetchMock.mockReset()
  historyPages = []
  fetchMock.mockImplementation(async (url: string) => url === '/api/rooms' ? { rooms: [] } : historyPages.shift())
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

describe('connecting', () => {
  it('opens wss://host/_ws, goes open on welcome and joins the wanted rooms', () => {
    const store = useChatStore()
    store.join('general')
    store.connect()
    expect(store.status).toBe('connecting')
    expect(latest().url.href).toBe('wss://chat.example/_ws')
    expect(latest().sent).toEqual([])
    latest().accept()
    expect(store.status).toBe('open')
    expect(store.user).toEqual(user)
    expect(latest().sent).toEqual([{ type: 'join', room: 'general' }])
  })

  it('handles several events in one frame', () => {
    const store = useChatStore()
    store.connect()
    latest().accept()
    latest().deliver(
      { type: 'chat', ...message(1) },
      { type: 'chat', ...message(2) },
      { type: 'room', room: { name: 'plans', createdAt: 1, createdBy: 'bob' } },
    )
    expect(store.messagesOf('general').map(item => item.seq)).toEqual([1, 2])
    expect(store.rooms.map(room => room.name)).toEqual(['plans'])
  })
})

describe('the outbox', () => {
  it('keeps a message written while disconnected as pending and sends it after the joins on reconnect', () => {
    const store = useChatStore()
    store.join('general')
    const item = store.send('general', 'hello')
    expect(store.outboxOf('general')).toEqual([expect.objectContaining({ text: 'hello', state: 'pending' })])
    store.connect()
    latest().accept()
    expect(latest().sent).toEqual([
      { type: 'join', room: 'general' },
      { type: 'chat', room: 'general', text: 'hello', clientId: item.clientId },
    ])
  })

  it('turns pending into sent on the ack, showing the message once', () => {
    const store = useChatStore()
    store.connect()
    latest().accept()
    const item = store.send('general', 'hi')
    expect(latest().sent.at(-1)).toEqual({ type: 'chat', room: 'general', text: 'hi', clientId: item.clientId })
    const own = message(7, { user, text: 'hi', clientId: item.clientId })
    latest().deliver({ type: 'chat', ...own }, { type: 'ack', clientId: item.clientId, id: own.id, seq: 7, ts: 7 })
    expect(store.outbox).toEqual([])
    expect(store.messagesOf('general')).toEqual([own])
  })

  it('shows an acked message even when its chat event was not received', () => {
    const store = useChatStore()
    store.connect()
    latest().accept()
    const item = store.send('general', 'only acked')
    latest().deliver({ type: 'ack', clientId: item.clientId, id: 'm9', seq: 9, ts: 9 })
    expect(store.messagesOf('general')).toEqual([{ room: 'general', id: 'm9', seq: 9, user, text: 'only acked', ts: 9, clientId: item.clientId }])
  })

  it('marks a message failed on an error, retries it under the same clientId, and discards it', () => {
    const store = useChatStore()
    store.connect()
    latest().accept()
    const item = store.send('general', 'x'.repeat(10))
    latest().deliver({ type: 'error', code: 'not_joined', message: 'Join the room first.', ref: item.clientId })
    expect(store.outbox).toEqual([expect.objectContaining({ state: 'failed', error: 'Join the room first.' })])
    store.retry(item.clientId)
    expect(store.outbox[0]!.state).toBe('pending')
    expect(latest().sent.at(-1)).toMatchObject({ type: 'chat', clientId: item.clientId })
    latest().deliver({ type: 'error', code: 'not_joined', message: 'Join the room first.', ref: item.clientId })
    store.discard(item.clientId)
    expect(store.outbox).toEqual([])
  })

  it('shows an error that is about no message of the outbox', () => {
    const store = useChatStore()
    store.connect()
    latest().accept()
    latest().deliver({ type: 'error', code: 'bad_json', message: 'The frame is not valid JSON.', ref: null })
    expect(store.lastError).toBe('The frame is not valid JSON.')
  })
})

describe('reconnecting', () => {
  it('waits a full-jitter delay that doubles from 0.5 s up to 20 s', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999)
    const store = useChatStore()
    store.connect()
    const ceilings = [500, 1000, 2000, 4000, 8000, 16000, 20000, 20000]
    for (const ceiling of ceilings) {
      const before = FakeWebSocket.instances.length
      latest().serverClose(1006)
      expect(store.status).toBe('reconnecting')
      const delay = store.reconnectAt! - Date.now()
      expect(delay).toBe(Math.floor(0.999 * ceiling))
      vi.advanceTimersByTime(delay - 1)
      expect(FakeWebSocket.instances.length).toBe(before)
      vi.advanceTimersByTime(1)
      expect(FakeWebSocket.instances.length).toBe(before + 1)
    }
  })

  it('starts the backoff over after a stable connection, but not after a short one', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999)
    const store = useChatStore()
    store.connect()
    for (let drop = 0; drop < 3; drop++) {
      latest().serverClose(1006)
      vi.advanceTimersByTime(store.reconnectAt! - Date.now())
    }
    latest().accept()
    vi.advanceTimersByTime(STABLE_AFTER_MS - 1)
    latest().serverClose(1006)
    expect(store.reconnectAt! - Date.now()).toBe(Math.floor(0.999 * 4000))
    vi.advanceTimersByTime(store.reconnectAt! - Date.now())
    latest().accept()
    vi.advanceTimersByTime(STABLE_AFTER_MS)
    latest().serverClose(1006)
    expect(store.reconnectAt! - Date.now()).toBe(Math.floor(0.999 * 500))
  })

  it('does not reconnect after a 1008 close and asks to sign in again', () => {
    const store = useChatStore()
    store.connect()
    latest().accept()
    latest().serverClose(1008)
    expect(store.status).toBe('closed')
    expect(store.needsSignIn).toBe(true)
    vi.advanceTimersByTime(60_000)
    expect(FakeWebSocket.instances).toHaveLength(1)
  })

  it('does not reconnect after sign-out', () => {
    const store = useChatStore()
    store.connect()
    latest().accept()
    store.disconnect()
    expect(latest().closedByClient).toBe(1000)
    latest().serverClose(1000)
    vi.advanceTimersByTime(60_000)
    expect(FakeWebSocket.instances).toHaveLength(1)
    expect(store.status).toBe('closed')
    expect(store.needsSignIn).toBe(false)
  })

  it('stops when a refused upgrade turns out to be a lost session', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999)
    fetchMock.mockRejectedValue(Object.assign(new Error('Unauthorized'), { statusCode: 401 }))
    const store = useChatStore()
    store.connect()
    latest().serverClose(1006)
    // Lets the session check settle, well before the 499 ms reconnect is due.
    await vi.advanceTimersByTimeAsync(1)
    expect(store.needsSignIn).toBe(true)
    expect(store.status).toBe('closed')
    expect(fetchMock).toHaveBeenCalledWith('/api/session')
    vi.advanceTimersByTime(60_000)
    expect(FakeWebSocket.instances).toHaveLength(1)
  })

  it('pauses while offline and reconnects at once when the network returns', () => {
    const store = useChatStore()
    store.connect()
    latest().accept()
    window.dispatchEvent(new Event('offline'))
    expect(latest().closedByClient).toBe(1000)
    expect(store.offline).toBe(true)
    expect(store.status).toBe('reconnecting')
    vi.advanceTimersByTime(60_000)
    expect(FakeWebSocket.instances).toHaveLength(1)
    window.dispatchEvent(new Event('online'))
    expect(FakeWebSocket.instances).toHaveLength(2)
    expect(store.offline).toBe(false)
  })

  it('catches each joined room up from its last seq after a reconnect, without duplicates', async () => {
    const store = useChatStore()
    store.setHistory('general', [message(1), message(2)])
    store.join('general')
    store.connect()
    latest().accept()
    latest().deliver({ type: 'joined', room: 'general', lastSeq: 2 })
    latest().serverClose(1006)
    vi.advanceTimersByTime(20_000)
    historyPages.push({ messages: [message(3), message(4), message(5)], lastSeq: 6 }, { messages: [message(6)], lastSeq: 6 })
    latest().accept()
    // Message 5 arrives live while the catch-up runs and is also in the page: it must show once.
    latest().deliver({ type: 'joined', room: 'general', lastSeq: 6 }, { type: 'chat', ...message(5) })
    await vi.waitFor(() => expect(store.messagesOf('general').map(item => item.seq)).toEqual([1, 2, 3, 4, 5, 6]))
    expect(historyCalls()).toEqual([
      ['/api/rooms/general/messages', { query: { after: 2, limit: 100 } }],
      ['/api/rooms/general/messages', { query: { after: 5, limit: 100 } }],
    ])
  })

  it('loads the newest page of a room it has no history for', async () => {
    const store = useChatStore()
    store.join('plans')
    store.connect()
    historyPages.push({ messages: [message(40, { room: 'plans' })], lastSeq: 40 })
    latest().accept()
    latest().deliver({ type: 'joined', room: 'plans', lastSeq: 40 })
    await vi.waitFor(() => expect(store.messagesOf('plans').map(item => item.seq)).toEqual([40]))
    expect(fetchMock).toHaveBeenCalledWith('/api/rooms/plans/messages', { query: { limit: 100 } })
  })
})

describe('protocol 2: resume, heartbeats, close codes, rate limits', () => {
  it('refreshes the room list on every welcome, so rooms created while away appear', async () => {
    fetchMock.mockImplementation(async () => ({ rooms: [{ name: 'general', createdAt: 1, createdBy: null }, { name: 'while-away', createdAt: 2, createdBy: 'bob' }] }))
    const store = useChatStore()
    store.connect()
    latest().accept()
    await vi.advanceTimersByTimeAsync(1)
    expect(fetchMock).toHaveBeenCalledWith('/api/rooms')
    expect(store.rooms.map(room => room.name)).toEqual(['general', 'while-away'])
  })

  it('resumes a loaded room with join {after: last seq}', () => {
    const store = useChatStore()
    store.setHistory('general', [message(1), message(2), message(3)])
    store.join('general')
    store.connect()
    latest().accept()
    expect(latest().sent).toEqual([{ type: 'join', room: 'general', after: 3 }])
  })

  it('takes the replayed messages and needs no REST catch-up when the server recovered the room', async () => {
    const store = useChatStore()
    store.setHistory('general', [message(1)])
    store.join('general')
    store.connect()
    latest().accept()
    latest().deliver({ type: 'chat', ...message(2) }, { type: 'chat', ...message(3) }, { type: 'joined', room: 'general', lastSeq: 3, recovered: true })
    await vi.advanceTimersByTimeAsync(1)
    expect(store.messagesOf('general').map(item => item.seq)).toEqual([1, 2, 3])
    expect(historyCalls()).toEqual([])
  })

  it('reloads the newest page when the server could not recover the room', async () => {
    const store = useChatStore()
    store.setHistory('general', [message(1)])
    store.join('general')
    store.connect()
    historyPages.push({ messages: [message(900), message(901)], lastSeq: 901 })
    latest().accept()
    latest().deliver({ type: 'joined', room: 'general', lastSeq: 901, recovered: false })
    await vi.waitFor(() => expect(store.messagesOf('general').map(item => item.seq)).toEqual([900, 901]))
    expect(fetchMock).toHaveBeenCalledWith('/api/rooms/general/messages', { query: { limit: 100 } })
  })

  it('gives up on a socket silent for two heartbeat intervals and reconnects', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const store = useChatStore()
    store.connect()
    latest().accept() // heartbeatMs: 25 s
    vi.advanceTimersByTime(49_000)
    latest().deliver({ type: 'heartbeat', ts: 1 })
    vi.advanceTimersByTime(49_000)
    expect(FakeWebSocket.instances).toHaveLength(1)
    vi.advanceTimersByTime(1_000)
    expect(latest().closedByClient).toBe(4000)
    expect(store.status).toBe('reconnecting')
    vi.advanceTimersByTime(1)
    expect(FakeWebSocket.instances).toHaveLength(2)
  })

  it.each([1001, 1006, 1011, 1012, 1013])('reconnects after close code %i', (code) => {
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const store = useChatStore()
    store.connect()
    latest().accept()
    latest().serverClose(code)
    vi.advanceTimersByTime(1)
    expect(FakeWebSocket.instances).toHaveLength(2)
    expect(store.needsSignIn).toBe(false)
  })

  it.each([1002, 1003, 1007, 1009])('stops after close code %i, which a retry would repeat, and says so', (code) => {
    const store = useChatStore()
    store.connect()
    latest().accept()
    latest().serverClose(code)
    vi.advanceTimersByTime(60_000)
    expect(FakeWebSocket.instances).toHaveLength(1)
    expect(store.status).toBe('closed')
    expect(store.lastError).toContain(String(code))
  })

  it('keeps a rate-limited message pending and sends it again after retryAfter', () => {
    const store = useChatStore()
    store.connect()
    latest().accept()
    const item = store.send('general', 'slow down')
    latest().deliver({ type: 'error', code: 'rate_limited', message: 'Too many events.', ref: item.clientId, retryAfter: 300 })
    expect(store.outbox[0]!.state).toBe('pending')
    const sentBefore = latest().sent.length
    vi.advanceTimersByTime(299)
    expect(latest().sent).toHaveLength(sentBefore)
    vi.advanceTimersByTime(1)
    expect(latest().sent.at(-1)).toEqual({ type: 'chat', room: 'general', text: 'slow down', clientId: item.clientId })
  })
})

describe('storage outages', () => {
  it('keeps a message refused as unavailable pending and sends it again', () => {
    const store = useChatStore()
    store.connect()
    latest().accept()
    const item = store.send('general', 'when the database is back')
    latest().deliver({ type: 'error', code: 'unavailable', message: 'Storage is unreachable.', ref: item.clientId })
    expect(store.outbox[0]!.state).toBe('pending')
    const sentBefore = latest().sent.length
    vi.advanceTimersByTime(2000)
    expect(latest().sent).toHaveLength(sentBefore + 1)
    expect(latest().sent.at(-1)).toMatchObject({ type: 'chat', clientId: item.clientId })
  })
})

describe('paging back through history', () => {
  it('loads the page before the oldest message and stops at the first one', async () => {
    const store = useChatStore()
    store.setHistory('general', [message(51), message(52)])
    expect(store.hasOlder('general')).toBe(true)
    historyPages.push({ messages: Array.from({ length: 50 }, (_, index) => message(index + 1)), lastSeq: 52 })
    expect(await store.loadOlder('general')).toBe(true)
    expect(historyCalls().at(-1)).toEqual(['/api/rooms/general/messages', { query: { before: 51, limit: 50 } }])
    expect(store.messagesOf('general').map(item => item.seq)).toEqual(Array.from({ length: 52 }, (_, index) => index + 1))
    expect(store.hasOlder('general')).toBe(false)
    expect(await store.loadOlder('general')).toBe(false)
  })

  it('knows a short last page is the beginning of the room', async () => {
    const store = useChatStore()
    store.setHistory('general', [message(30)])
    historyPages.push({ messages: [message(28), message(29)], lastSeq: 30 })
    await store.loadOlder('general')
    expect(store.hasOlder('general')).toBe(false)
  })
})

describe('presence and typing', () => {
  const bob = { id: 'u2', name: 'bob' }
  const carol = { id: 'u3', name: 'carol' }

  it('keeps a room\'s presence from the snapshot and the deltas', () => {
    const store = useChatStore()
    store.connect()
    latest().accept()
    latest().deliver({ type: 'presence', room: 'general', snapshot: true, users: [{ user: carol, state: 'online' }, { user, state: 'online' }] })
    latest().deliver({ type: 'presence', room: 'general', snapshot: false, users: [{ user: bob, state: 'online' }] })
    latest().deliver({ type: 'presence', room: 'general', snapshot: false, users: [{ user: carol, state: 'away' }] })
    expect(store.presenceByRoom.general).toEqual([{ user, state: 'online' }, { user: bob, state: 'online' }, { user: carol, state: 'away' }])
    latest().deliver({ type: 'presence', room: 'general', snapshot: false, users: [{ user: bob, state: 'offline' }] })
    expect(store.presenceByRoom.general!.map(entry => entry.user.name)).toEqual(['alice', 'carol'])
  })

  it('shows others typing, never this user, and clears a typist when their message arrives', () => {
    const store = useChatStore()
    store.connect()
    latest().accept()
    latest().deliver({ type: 'typing', room: 'general', user: bob, active: true }, { type: 'typing', room: 'general', user, active: true })
    expect(store.typingByRoom.general).toEqual([bob])
    latest().deliver({ type: 'chat', ...message(1, { user: bob }) })
    expect(store.typingByRoom.general).toEqual([])
  })

  it('sends typing at most every 2 s, and again right after a message', () => {
    const store = useChatStore()
    store.connect()
    latest().accept()
    const typingFrames = () => latest().sent.filter(event => (event as { type: string }).type === 'typing').length
    store.notifyTyping('general')
    vi.advanceTimersByTime(1999)
    store.notifyTyping('general')
    expect(typingFrames()).toBe(1)
    vi.advanceTimersByTime(1)
    store.notifyTyping('general')
    expect(typingFrames()).toBe(2)
    store.send('general', 'hi')
    store.notifyTyping('general')
    expect(typingFrames()).toBe(3)
  })

  it('tells the server when the tab is hidden, again after every reconnect', () => {
    const store = useChatStore()
    store.connect()
    latest().accept()
    store.setVisible(false)
    expect(latest().sent.at(-1)).toEqual({ type: 'visibility', visible: false })
    latest().serverClose(1006)
    vi.advanceTimersByTime(1000)
    latest().accept()
    expect(latest().sent).toContainEqual({ type: 'visibility', visible: false })
  })
})

describe('unread counts and read markers', () => {
  const rooms = [{ name: 'general', createdAt: 1, createdBy: null }, { name: 'plans', createdAt: 2, createdBy: 'bob' }]
  const list = { rooms, lastSeq: { general: 10, plans: 7 }, read: { general: 10, plans: 4 } }

  it('counts unread from the room list and follows every room from its listed seq, loading no history for it', async () => {
    const store = useChatStore()
    store.connect()
    latest().accept()
    store.setRooms(rooms, list)
    expect(latest().sent).toContainEqual({ type: 'join', room: 'plans', after: 7 })
    expect(store.unreadCount('plans')).toBe(3)
    expect(store.unreadCount('general')).toBe(0)
    expect(store.totalUnread).toBe(3)
    latest().deliver({ type: 'joined', room: 'plans', lastSeq: 7, recovered: true }, { type: 'chat', ...message(8, { room: 'plans' }) })
    await vi.advanceTimersByTimeAsync(1)
    expect(store.unreadCount('plans')).toBe(4)
    expect(historyCalls()).toEqual([])
  })

  it('marks the open room read up to its newest message, and takes markers from other tabs', () => {
    const store = useChatStore()
    store.connect()
    latest().accept()
    store.setRooms(rooms, list)
    store.join('plans')
    store.markRead('plans')
    expect(latest().sent.at(-1)).toEqual({ type: 'read', room: 'plans', seq: 7 })
    expect(store.unreadCount('plans')).toBe(0)
    const sent = latest().sent.length
    store.markRead('plans')
    expect(latest().sent).toHaveLength(sent)
    latest().deliver({ type: 'chat', ...message(11) }, { type: 'read', room: 'general', seq: 11 })
    expect(store.unreadCount('general')).toBe(0)
    // Leaving the screen keeps the room followed: no leave is sent.
    store.leave('plans')
    expect(latest().sent.some(event => (event as { type: string }).type === 'leave')).toBe(false)
  })
})

describe('edits, deletes and reactions', () => {
  it('asks the server and shows the updated message in place', () => {
    const store = useChatStore()
    store.setHistory('general', [message(1), message(2, { user })])
    store.connect()
    latest().accept()
    store.editMessage('general', 'm2', 'fixed')
    store.toggleReaction('general', 'm1', '👍')
    store.deleteMessage('general', 'm2')
    expect(latest().sent.slice(-3)).toEqual([
      { type: 'edit', room: 'general', id: 'm2', text: 'fixed' },
      { type: 'react', room: 'general', id: 'm1', emoji: '👍' },
      { type: 'delete', room: 'general', id: 'm2' },
    ])
    latest().deliver({ type: 'update', message: { ...message(2, { user }), text: 'fixed', editedAt: 5 } })
    latest().deliver({ type: 'update', message: { ...message(1), reactions: [{ emoji: '👍', userIds: ['u1'] }] } })
    expect(store.messagesOf('general').map(item => [item.seq, item.text, item.editedAt, item.reactions?.[0]?.emoji])).toEqual([
      [1, 't1', undefined, '👍'],
      [2, 'fixed', 5, undefined],
    ])
  })
})

describe('the room list', () => {
  it('never loses a room to an older list', () => {
    const store = useChatStore()
    store.setRooms([{ name: 'general', createdAt: 1, createdBy: null }])
    store.connect()
    latest().accept()
    latest().deliver({ type: 'room', room: { name: 'fresh', createdAt: 2, createdBy: 'bob' } })
    store.setRooms([{ name: 'general', createdAt: 1, createdBy: null }])
    expect(store.rooms.map(room => room.name)).toEqual(['fresh', 'general'])
  })
})

describe('join and leave lines', () => {
  it('keeps the latest of each room', () => {
    const store = useChatStore()
    store.connect()
    latest().accept()
    const bob = { id: 'u2', name: 'bob' }
    for (let index = 0; index < 60; index++) latest().deliver({ type: 'system', room: 'general', kind: index % 2 ? 'leave' : 'join', user: bob, ts: index })
    expect(store.noticesByRoom.general).toHaveLength(50)
    expect(store.noticesByRoom.general!.at(-1)).toMatchObject({ kind: 'leave', user: bob, ts: 59 })
  })
})

describe('unread for a newcomer', () => {
  it('counts nothing in rooms never read, until new messages arrive', () => {
    const store = useChatStore()
    store.setRooms([{ name: 'general', createdAt: 1, createdBy: null }], { lastSeq: { general: 120 }, read: {} })
    expect(store.unreadCount('general')).toBe(0)
    store.connect()
    latest().accept()
    latest().deliver({ type: 'chat', ...message(121) })
    expect(store.unreadCount('general')).toBe(1)
  })
})
