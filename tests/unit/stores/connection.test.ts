import { describe, expect, it, vi } from 'vitest'
import { STABLE_AFTER_MS, useConnectionStore } from '~/stores/connection'
import { useMessagesStore } from '~/stores/messages'
import { useRoomsStore } from '~/stores/rooms'
import { useSessionStore } from '~/stores/session'
import { FakeWebSocket, fetchMock, latest, message, useStoreTestEnvironment, user } from './support'

useStoreTestEnvironment()

describe('connecting', () => {
  it('opens wss://host/_ws, goes open on welcome and joins the wanted rooms', () => {
    const connection = useConnectionStore()
    useRoomsStore().showRoom('general')
    connection.connect()
    expect(connection.status).toBe('connecting')
    expect(latest().url.href).toBe('wss://chat.example/_ws')
    expect(latest().sent).toEqual([])
    latest().accept()
    expect(connection.status).toBe('open')
    expect(useSessionStore().user).toEqual(user)
    expect(latest().sent).toEqual([{ type: 'join', room: 'general' }])
  })

  it('handles several events in one frame', () => {
    const connection = useConnectionStore()
    const messages = useMessagesStore()
    const rooms = useRoomsStore()
    connection.connect()
    latest().accept()
    latest().deliver(
      { type: 'chat', ...message(1) },
      { type: 'chat', ...message(2) },
      { type: 'room', room: { name: 'plans', createdAt: 1, createdBy: 'bob' } },
    )
    expect(messages.messagesOf('general').map(item => item.seq)).toEqual([1, 2])
    expect(rooms.list.map(room => room.name)).toEqual(['plans'])
  })

  it('keeps the server\'s limits from the welcome', () => {
    const connection = useConnectionStore()
    connection.connect()
    latest().accept(12)
    expect(connection.limits).toEqual({ maxRoomsPerConnection: 12 })
  })
})

describe('errors', () => {
  it('shows an error that is about no message of the outbox', () => {
    const connection = useConnectionStore()
    connection.connect()
    latest().accept()
    latest().deliver({ type: 'error', code: 'bad_json', message: 'The frame is not valid JSON.', ref: null })
    expect(connection.lastError).toBe('The frame is not valid JSON.')
  })
})

describe('reconnecting', () => {
  it('waits a full-jitter delay that doubles from 0.5 s up to 20 s', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999)
    const connection = useConnectionStore()
    connection.connect()
    const ceilings = [500, 1000, 2000, 4000, 8000, 16000, 20000, 20000]
    for (const ceiling of ceilings) {
      const before = FakeWebSocket.instances.length
      latest().serverClose(1006)
      expect(connection.status).toBe('reconnecting')
      const delay = connection.reconnectAt! - Date.now()
      expect(delay).toBe(Math.floor(0.999 * ceiling))
      vi.advanceTimersByTime(delay - 1)
      expect(FakeWebSocket.instances.length).toBe(before)
      vi.advanceTimersByTime(1)
      expect(FakeWebSocket.instances.length).toBe(before + 1)
    }
  })

  it('starts the backoff over after a stable connection, but not after a short one', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999)
    const connection = useConnectionStore()
    connection.connect()
    for (let drop = 0; drop < 3; drop++) {
      latest().serverClose(1006)
      vi.advanceTimersByTime(connection.reconnectAt! - Date.now())
    }
    latest().accept()
    vi.advanceTimersByTime(STABLE_AFTER_MS - 1)
    latest().serverClose(1006)
    expect(connection.reconnectAt! - Date.now()).toBe(Math.floor(0.999 * 4000))
    vi.advanceTimersByTime(connection.reconnectAt! - Date.now())
    latest().accept()
    vi.advanceTimersByTime(STABLE_AFTER_MS)
    latest().serverClose(1006)
    expect(connection.reconnectAt! - Date.now()).toBe(Math.floor(0.999 * 500))
  })

  it('does not reconnect after a 1008 close and asks to sign in again', () => {
    const connection = useConnectionStore()
    connection.connect()
    latest().accept()
    latest().serverClose(1008)
    expect(connection.status).toBe('closed')
    expect(connection.needsSignIn).toBe(true)
    vi.advanceTimersByTime(60_000)
    expect(FakeWebSocket.instances).toHaveLength(1)
  })

  it('does not reconnect after sign-out', () => {
    const connection = useConnectionStore()
    connection.connect()
    latest().accept()
    connection.disconnect()
    expect(latest().closedByClient).toBe(1000)
    latest().serverClose(1000)
    vi.advanceTimersByTime(60_000)
    expect(FakeWebSocket.instances).toHaveLength(1)
    expect(connection.status).toBe('closed')
    expect(connection.needsSignIn).toBe(false)
    expect(useSessionStore().user).toBeNull()
  })

  it('stops when a refused upgrade turns out to be a lost session', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999)
    fetchMock.mockRejectedValue(Object.assign(new Error('Unauthorized'), { statusCode: 401 }))
    const connection = useConnectionStore()
    connection.connect()
    latest().serverClose(1006)
    // Lets the session check settle, well before the 499 ms reconnect is due.
    await vi.advanceTimersByTimeAsync(1)
    expect(connection.needsSignIn).toBe(true)
    expect(connection.status).toBe('closed')
    expect(fetchMock).toHaveBeenCalledWith('/api/session')
    vi.advanceTimersByTime(60_000)
    expect(FakeWebSocket.instances).toHaveLength(1)
  })

  it('pauses while offline and reconnects at once when the network returns', () => {
    const connection = useConnectionStore()
    connection.connect()
    latest().accept()
    window.dispatchEvent(new Event('offline'))
    expect(latest().closedByClient).toBe(1000)
    expect(connection.offline).toBe(true)
    expect(connection.status).toBe('reconnecting')
    vi.advanceTimersByTime(60_000)
    expect(FakeWebSocket.instances).toHaveLength(1)
    window.dispatchEvent(new Event('online'))
    expect(FakeWebSocket.instances).toHaveLength(2)
    expect(connection.offline).toBe(false)
  })
})

describe('heartbeats and close codes', () => {
  it('gives up on a socket silent for two heartbeat intervals and reconnects', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const connection = useConnectionStore()
    connection.connect()
    latest().accept() // heartbeatMs: 25 s
    vi.advanceTimersByTime(49_000)
    latest().deliver({ type: 'heartbeat', ts: 1 })
    vi.advanceTimersByTime(49_000)
    expect(FakeWebSocket.instances).toHaveLength(1)
    vi.advanceTimersByTime(1_000)
    expect(latest().closedByClient).toBe(4000)
    expect(connection.status).toBe('reconnecting')
    vi.advanceTimersByTime(1)
    expect(FakeWebSocket.instances).toHaveLength(2)
  })

  it.each([1001, 1006, 1011, 1012, 1013])('reconnects after close code %i', (code) => {
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const connection = useConnectionStore()
    connection.connect()
    latest().accept()
    latest().serverClose(code)
    vi.advanceTimersByTime(1)
    expect(FakeWebSocket.instances).toHaveLength(2)
    expect(connection.needsSignIn).toBe(false)
  })

  it.each([1002, 1003, 1007, 1009])('stops after close code %i, which a retry would repeat, and says so', (code) => {
    const connection = useConnectionStore()
    connection.connect()
    latest().accept()
    latest().serverClose(code)
    vi.advanceTimersByTime(60_000)
    expect(FakeWebSocket.instances).toHaveLength(1)
    expect(connection.status).toBe('closed')
    expect(connection.lastError).toContain(String(code))
  })
})

describe('a send that never drops an event', () => {
  it('keeps what is sent while the socket is down and sends it after the next welcome\'s joins', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const connection = useConnectionStore()
    useRoomsStore().showRoom('general')
    connection.connect()
    latest().accept()
    latest().serverClose(1006)
    connection.send({ type: 'delete', room: 'general', id: 'm1' })
    expect(connection.sendNow({ type: 'typing', room: 'general' })).toBe(false)
    vi.advanceTimersByTime(1)
    latest().accept()
    expect(latest().sent).toEqual([{ type: 'join', room: 'general' }, { type: 'delete', room: 'general', id: 'm1' }])
  })

  it('forgets what was waiting on sign-out', () => {
    const connection = useConnectionStore()
    connection.send({ type: 'delete', room: 'general', id: 'm1' })
    connection.disconnect()
    connection.connect()
    latest().accept()
    expect(latest().sent).toEqual([])
  })
})
