import { describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { nextTick } from 'vue'
import type { ClientEvent } from '#shared/protocol'
import { useConnectionStore } from '~/stores/connection'
import { useMessagesStore } from '~/stores/messages'
import { useOutboxStore } from '~/stores/outbox'
import { useRoomsStore } from '~/stores/rooms'
import { PROTOCOL_VERSION } from '#shared/protocol'
import { bob, FakeWebSocket, latest, message, useStoreTestEnvironment, user } from './support'

useStoreTestEnvironment()

function connected() {
  const connection = useConnectionStore()
  const outbox = useOutboxStore()
  connection.connect()
  latest().accept()
  return { connection, outbox, messages: useMessagesStore() }
}

const chatTexts = (socket: FakeWebSocket) => socket.sentOf('chat').map(event => event.text)

/**
 * Plays the server's side of `chat` frames on one socket: while `storageUp()` is false each one is refused
 * as `unavailable`; otherwise it is stored (once per clientId, in arrival order) and acked.
 */
function playServer(socket: FakeWebSocket, storageUp: () => boolean) {
  const stored: string[] = []
  const seen = new Map<string, number>()
  let answered = 0
  function answer(): void {
    while (answered < socket.sent.length) {
      const event: ClientEvent = socket.sent[answered++]!
      if (event.type !== 'chat') continue
      if (!storageUp()) {
        socket.deliver({ type: 'error', code: 'unavailable', message: 'Storage is unreachable.', ref: event.clientId })
        continue
      }
      if (!seen.has(event.clientId)) {
        stored.push(event.text)
        seen.set(event.clientId, stored.length)
      }
      const seq = seen.get(event.clientId)!
      socket.deliver(
        { type: 'chat', ...message(seq, { user, text: event.text, clientId: event.clientId }) },
        { type: 'ack', clientId: event.clientId, id: `m${seq}`, seq, ts: seq },
      )
    }
  }
  return { stored, answer }
}

describe('the outbox', () => {
  it('keeps a message written while disconnected as pending and sends it after the joins on reconnect', () => {
    const connection = useConnectionStore()
    const outbox = useOutboxStore()
    useRoomsStore().showRoom('general')
    const item = outbox.send('general', 'hello')
    expect(outbox.outboxOf('general')).toEqual([expect.objectContaining({ text: 'hello', state: 'pending' })])
    connection.connect()
    latest().accept()
    expect(latest().sent).toEqual([
      { type: 'join', room: 'general' },
      { type: 'chat', room: 'general', text: 'hello', clientId: item.clientId },
    ])
  })

  it('turns pending into sent on the ack, showing the message once', () => {
    const { outbox, messages } = connected()
    const item = outbox.send('general', 'hi')
    expect(latest().sent.at(-1)).toEqual({ type: 'chat', room: 'general', text: 'hi', clientId: item.clientId })
    const own = message(7, { user, text: 'hi', clientId: item.clientId })
    latest().deliver({ type: 'chat', ...own }, { type: 'ack', clientId: item.clientId, id: own.id, seq: 7, ts: 7 })
    expect(outbox.outbox).toEqual([])
    expect(messages.messagesOf('general')).toEqual([own])
  })

  it('shows an acked message even when its chat event was not received', () => {
    const { outbox, messages } = connected()
    const item = outbox.send('general', 'only acked')
    latest().deliver({ type: 'ack', clientId: item.clientId, id: 'm9', seq: 9, ts: 9 })
    expect(messages.messagesOf('general')).toEqual([{ room: 'general', id: 'm9', seq: 9, user, text: 'only acked', ts: 9, clientId: item.clientId }])
  })

  it('marks a message failed on an error, retries it under the same clientId, and discards it', () => {
    const { connection, outbox } = connected()
    const item = outbox.send('general', 'x'.repeat(10))
    latest().deliver({ type: 'error', code: 'not_joined', message: 'Join the room first.', ref: item.clientId })
    expect(outbox.outbox).toEqual([expect.objectContaining({ state: 'failed', error: 'Join the room first.' })])
    outbox.retry(item.clientId)
    expect(outbox.outbox[0]!.state).toBe('pending')
    expect(latest().sent.at(-1)).toMatchObject({ type: 'chat', clientId: item.clientId })
    latest().deliver({ type: 'error', code: 'not_joined', message: 'Join the room first.', ref: item.clientId })
    outbox.discard(item.clientId)
    expect(outbox.outbox).toEqual([])
    // A refusal of an outbox message is shown on the message, not as a page-wide error.
    expect(connection.lastError).toBeNull()
  })

  it('does not show a pending message twice when history brings its stored copy', () => {
    const { outbox, messages } = connected()
    const item = outbox.send('general', 'in history already')
    messages.setHistory('general', [message(4, { user, text: 'in history already', clientId: item.clientId })])
    expect(outbox.outboxOf('general')).toEqual([])
  })
})

describe('refusals for the moment', () => {
  it('keeps a rate-limited message pending and sends it again after retryAfter', () => {
    const { outbox } = connected()
    const item = outbox.send('general', 'slow down')
    latest().deliver({ type: 'error', code: 'rate_limited', message: 'Too many events.', ref: item.clientId, retryAfter: 300 })
    expect(outbox.outbox[0]!.state).toBe('pending')
    const sentBefore = latest().sent.length
    vi.advanceTimersByTime(299)
    expect(latest().sent).toHaveLength(sentBefore)
    vi.advanceTimersByTime(1)
    expect(latest().sent.at(-1)).toEqual({ type: 'chat', room: 'general', text: 'slow down', clientId: item.clientId })
  })

  it('keeps a message refused as unavailable pending and sends it again', () => {
    const { outbox } = connected()
    const item = outbox.send('general', 'when the database is back')
    latest().deliver({ type: 'error', code: 'unavailable', message: 'Storage is unreachable.', ref: item.clientId })
    expect(outbox.outbox[0]!.state).toBe('pending')
    const sentBefore = latest().sent.length
    vi.advanceTimersByTime(2000)
    expect(latest().sent).toHaveLength(sentBefore + 1)
    expect(latest().sent.at(-1)).toMatchObject({ type: 'chat', clientId: item.clientId })
  })
})

describe('one message after another, in the order they were written', () => {
  it('stores messages in the order they were typed across a storage outage', () => {
    const { outbox } = connected()
    let storageUp = false
    const server = playServer(latest(), () => storageUp)
    outbox.send('general', 'd1')
    server.answer()
    outbox.send('general', 'd2')
    server.answer()
    vi.advanceTimersByTime(500)
    storageUp = true
    // Written once storage is back, while d1 and d2 still wait for their retry.
    outbox.send('general', 'd3')
    server.answer()
    for (let tick = 0; tick < 10 && outbox.outbox.length > 0; tick++) {
      vi.advanceTimersByTime(500)
      server.answer()
    }
    expect(server.stored).toEqual(['d1', 'd2', 'd3'])
    expect(outbox.outbox).toEqual([])
  })

  it('sends the next message only once the one before is acked', () => {
    const { outbox } = connected()
    const first = outbox.send('general', 'one')
    const second = outbox.send('general', 'two')
    outbox.send('general', 'three')
    expect(chatTexts(latest())).toEqual(['one'])
    latest().deliver({ type: 'ack', clientId: first.clientId, id: 'm1', seq: 1, ts: 1 })
    expect(chatTexts(latest())).toEqual(['one', 'two'])
    latest().deliver({ type: 'ack', clientId: second.clientId, id: 'm2', seq: 2, ts: 2 })
    expect(chatTexts(latest())).toEqual(['one', 'two', 'three'])
  })

  it('holds the rest behind a rate-limited message', () => {
    const { outbox } = connected()
    const first = outbox.send('general', 'one')
    outbox.send('general', 'two')
    latest().deliver({ type: 'error', code: 'rate_limited', message: 'Too many events.', ref: first.clientId, retryAfter: 300 })
    vi.advanceTimersByTime(299)
    expect(chatTexts(latest())).toEqual(['one'])
    vi.advanceTimersByTime(1)
    expect(chatTexts(latest())).toEqual(['one', 'one'])
    latest().deliver({ type: 'ack', clientId: first.clientId, id: 'm1', seq: 1, ts: 1 })
    expect(chatTexts(latest())).toEqual(['one', 'one', 'two'])
  })

  it('moves on to the next message when one is refused for good', () => {
    const { outbox } = connected()
    const first = outbox.send('general', 'one')
    outbox.send('general', 'two')
    latest().deliver({ type: 'error', code: 'text_too_long', message: 'Too long.', ref: first.clientId })
    expect(chatTexts(latest())).toEqual(['one', 'two'])
    expect(outbox.outbox.map(item => item.state)).toEqual(['failed', 'pending'])
  })

  it('sends the pending messages again in order after a reconnect', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const { outbox } = connected()
    const first = outbox.send('general', 'one')
    const second = outbox.send('general', 'two')
    outbox.send('general', 'three')
    latest().serverClose(1006)
    vi.advanceTimersByTime(1)
    latest().accept()
    expect(chatTexts(latest())).toEqual(['one'])
    latest().deliver({ type: 'ack', clientId: first.clientId, id: 'm1', seq: 1, ts: 1 })
    latest().deliver({ type: 'ack', clientId: second.clientId, id: 'm2', seq: 2, ts: 2 })
    expect(chatTexts(latest())).toEqual(['one', 'two', 'three'])
  })

  it('sends the head again when the frame limit refuses it without naming it (ref null), and the rest after it', () => {
    const { outbox } = connected()
    const socket = latest()
    outbox.send('general', 'first')
    outbox.send('general', 'second')
    expect(chatTexts(socket)).toEqual(['first'])
    socket.deliver({ type: 'error', code: 'rate_limited', message: 'Too many events.', ref: null, retryAfter: 300 })
    vi.advanceTimersByTime(300)
    expect(chatTexts(socket)).toEqual(['first', 'first'])
    const head = socket.sentOf('chat')[1]!
    socket.deliver({ type: 'ack', clientId: head.clientId, id: 'm1', seq: 1, ts: 1 })
    expect(chatTexts(socket)).toEqual(['first', 'first', 'second'])
  })

  it('does not send the last user\'s unsent message under the next user signed in on the same tab', () => {
    const { connection, outbox } = connected()
    // alice signed out in another tab: her sockets close with 1008; she writes before noticing.
    latest().serverClose(1008)
    outbox.send('general', 'written by alice')
    expect(outbox.outbox).toHaveLength(1)
    // bob signs in on this tab.
    connection.connect()
    latest().readyState = FakeWebSocket.OPEN
    latest().deliver({ type: 'welcome', user: bob, version: PROTOCOL_VERSION, heartbeatMs: 25_000, limits: { maxRoomsPerConnection: 50 } })
    expect(chatTexts(latest())).toEqual([])
    expect(outbox.outbox).toEqual([])
  })
})

describe('the outbox across a reload', () => {
  it('keeps unsent messages per user and sends them once the next page is welcomed', async () => {
    const kept = new Map<string, string>()
    vi.stubGlobal('localStorage', {
      getItem: (key: string) => kept.get(key) ?? null,
      setItem: (key: string, value: string) => void kept.set(key, value),
      removeItem: (key: string) => void kept.delete(key),
    })
    const first = connected()
    latest().close()
    first.outbox.send('general', 'written offline')
    await nextTick()
    expect(JSON.parse(kept.get(`banter:outbox:${user.id}`)!)).toMatchObject([{ text: 'written offline', state: 'pending' }])
    expect(kept.has(`banter:outbox:${bob.id}`)).toBe(false)

    // The reload: a new page with empty stores is welcomed and sends what the last one kept.
    setActivePinia(createPinia())
    connected()
    expect(chatTexts(latest())).toEqual(['written offline'])
  })
})
