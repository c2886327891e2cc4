import { describe, expect, it, vi } from 'vitest'
import { useConnectionStore } from '~/stores/connection'
import { useMessagesStore } from '~/stores/messages'
import { useRoomsStore } from '~/stores/rooms'
import { fetchMock, historyCalls, historyPages, latest, message, useStoreTestEnvironment, user } from './support'

useStoreTestEnvironment()

/** The stores a room on screen uses: its timeline, the room list that joins it, and the connection. */
function onScreen(room: string, history?: ReturnType<typeof message>[]) {
  const connection = useConnectionStore()
  const messages = useMessagesStore()
  const rooms = useRoomsStore()
  if (history) messages.setHistory(room, history)
  rooms.showRoom(room)
  return { connection, messages, rooms }
}

describe('catching up after a reconnect', () => {
  it('catches each joined room up from its last seq after a reconnect, without duplicates', async () => {
    const { connection, messages } = onScreen('general', [message(1), message(2)])
    connection.connect()
    latest().accept()
    latest().deliver({ type: 'joined', room: 'general', lastSeq: 2 })
    latest().serverClose(1006)
    vi.advanceTimersByTime(20_000)
    historyPages.push({ messages: [message(3), message(4), message(5)], lastSeq: 6 }, { messages: [message(6)], lastSeq: 6 })
    latest().accept()
    // Message 5 arrives live while the catch-up runs and is also in the page: it must show once.
    latest().deliver({ type: 'joined', room: 'general', lastSeq: 6 }, { type: 'chat', ...message(5) })
    await vi.waitFor(() => expect(messages.messagesOf('general').map(item => item.seq)).toEqual([1, 2, 3, 4, 5, 6]))
    expect(historyCalls()).toEqual([
      ['/api/rooms/general/messages', { query: { after: 2, limit: 100 } }],
      ['/api/rooms/general/messages', { query: { after: 5, limit: 100 } }],
    ])
  })

  it('loads the newest page of a room it has no history for', async () => {
    const { connection, messages } = onScreen('plans')
    connection.connect()
    historyPages.push({ messages: [message(40, { room: 'plans' })], lastSeq: 40 })
    latest().accept()
    latest().deliver({ type: 'joined', room: 'plans', lastSeq: 40 })
    await vi.waitFor(() => expect(messages.messagesOf('plans').map(item => item.seq)).toEqual([40]))
    expect(fetchMock).toHaveBeenCalledWith('/api/rooms/plans/messages', { query: { limit: 100 } })
  })

  it('resumes a loaded room with join {after: last seq}', () => {
    const { connection } = onScreen('general', [message(1), message(2), message(3)])
    connection.connect()
    latest().accept()
    expect(latest().sent).toEqual([{ type: 'join', room: 'general', after: 3 }])
  })

  it('takes the replayed messages and needs no REST catch-up when the server recovered the room', async () => {
    const { connection, messages } = onScreen('general', [message(1)])
    connection.connect()
    latest().accept()
    latest().deliver({ type: 'chat', ...message(2) }, { type: 'chat', ...message(3) }, { type: 'joined', room: 'general', lastSeq: 3, recovered: true })
    await vi.advanceTimersByTimeAsync(1)
    expect(messages.messagesOf('general').map(item => item.seq)).toEqual([1, 2, 3])
    expect(historyCalls()).toEqual([])
  })

  it('reloads the newest page when the server could not recover the room', async () => {
    const { connection, messages } = onScreen('general', [message(1)])
    connection.connect()
    historyPages.push({ messages: [message(900), message(901)], lastSeq: 901 })
    latest().accept()
    latest().deliver({ type: 'joined', room: 'general', lastSeq: 901, recovered: false })
    await vi.waitFor(() => expect(messages.messagesOf('general').map(item => item.seq)).toEqual([900, 901]))
    expect(fetchMock).toHaveBeenCalledWith('/api/rooms/general/messages', { query: { limit: 100 } })
  })
})

describe('paging back through history', () => {
  it('loads the page before the oldest message and stops at the first one', async () => {
    const messages = useMessagesStore()
    messages.setHistory('general', [message(51), message(52)])
    expect(messages.hasOlder('general')).toBe(true)
    historyPages.push({ messages: Array.from({ length: 50 }, (_, index) => message(index + 1)), lastSeq: 52 })
    expect(await messages.loadOlder('general')).toBe(true)
    expect(historyCalls().at(-1)).toEqual(['/api/rooms/general/messages', { query: { before: 51, limit: 50 } }])
    expect(messages.messagesOf('general').map(item => item.seq)).toEqual(Array.from({ length: 52 }, (_, index) => index + 1))
    expect(messages.hasOlder('general')).toBe(false)
    expect(await messages.loadOlder('general')).toBe(false)
  })

  it('knows a short last page is the beginning of the room', async () => {
    const messages = useMessagesStore()
    messages.setHistory('general', [message(30)])
    historyPages.push({ messages: [message(28), message(29)], lastSeq: 30 })
    await messages.loadOlder('general')
    expect(messages.hasOlder('general')).toBe(false)
  })
})

describe('edits, deletes and reactions', () => {
  it('asks the server and shows the updated message in place', () => {
    const connection = useConnectionStore()
    const messages = useMessagesStore()
    messages.setHistory('general', [message(1), message(2, { user })])
    connection.connect()
    latest().accept()
    messages.editMessage('general', 'm2', 'fixed')
    messages.toggleReaction('general', 'm1', '👍')
    messages.deleteMessage('general', 'm2')
    expect(latest().sent.slice(-3)).toEqual([
      { type: 'edit', room: 'general', id: 'm2', text: 'fixed' },
      { type: 'react', room: 'general', id: 'm1', emoji: '👍' },
      { type: 'delete', room: 'general', id: 'm2' },
    ])
    latest().deliver({ type: 'update', message: { ...message(2, { user }), text: 'fixed', editedAt: 5 } })
    latest().deliver({ type: 'update', message: { ...message(1), reactions: [{ emoji: '👍', userIds: ['u1'] }] } })
    expect(messages.messagesOf('general').map(item => [item.seq, item.text, item.editedAt, item.reactions?.[0]?.emoji])).toEqual([
      [1, 't1', undefined, '👍'],
      [2, 'fixed', 5, undefined],
    ])
  })

  it('keeps edits, deletes, reactions and read markers made while the socket is down, and sends them after the reconnect\'s joins', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const { connection, messages, rooms } = onScreen('general', [message(1), message(2, { user })])
    rooms.setRooms([{ name: 'general', createdAt: 1, createdBy: null }], { lastSeq: { general: 2 }, read: { general: 1 } })
    connection.connect()
    latest().accept()
    const lost = latest()
    lost.serverClose(1006)
    messages.editMessage('general', 'm2', 'fixed')
    messages.toggleReaction('general', 'm1', '👍')
    messages.deleteMessage('general', 'm2')
    rooms.markRead('general')
    vi.advanceTimersByTime(1000)
    expect(lost.sent.filter(event => event.type !== 'join')).toEqual([])
    expect(latest()).not.toBe(lost)
    latest().accept()
    expect(latest().sent).toEqual([
      { type: 'join', room: 'general', after: 2 },
      { type: 'read', room: 'general', seq: 2 },
      { type: 'edit', room: 'general', id: 'm2', text: 'fixed' },
      { type: 'react', room: 'general', id: 'm1', emoji: '👍' },
      { type: 'delete', room: 'general', id: 'm2' },
    ])
  })
})

describe('edits on their way', () => {
  it('shows an edit at once while the socket is down, sends it once back, and settles on the update', () => {
    const { connection, messages } = onScreen('general', [message(1)])
    const original = messages.messagesOf('general')[0]!
    messages.editMessage('general', original.id, 'fixed text')
    expect(messages.pendingEdits).toEqual({ [original.id]: 'fixed text' })
    connection.connect()
    latest().accept()
    expect(latest().sent.filter(event => event.type === 'edit')).toEqual([{ type: 'edit', room: 'general', id: original.id, text: 'fixed text' }])
    expect(messages.pendingEdits).toEqual({ [original.id]: 'fixed text' })
    latest().deliver({ type: 'update', message: { ...original, text: 'fixed text', editedAt: 5 } })
    expect(messages.pendingEdits).toEqual({})
    expect(messages.messagesOf('general')[0]!.text).toBe('fixed text')
  })

  it('keeps the pending text through other changes to the message, and drops it when the edit is refused', () => {
    const { connection, messages } = onScreen('general', [message(1)])
    connection.connect()
    latest().accept()
    const original = messages.messagesOf('general')[0]!
    messages.editMessage('general', original.id, 'too late')
    // A reaction's update carries the old text, and a refusal of something else names something else.
    latest().deliver({ type: 'update', message: { ...original, reactions: [{ emoji: '👍', userIds: ['u2'] }] } })
    latest().deliver({ type: 'error', code: 'rate_limited', message: 'slow down', ref: 'some-client-id', retryAfter: 100 })
    expect(messages.pendingEdits).toEqual({ [original.id]: 'too late' })
    // The server names the refused edit's message in `ref`.
    latest().deliver({ type: 'error', code: 'forbidden', message: 'Not yours.', ref: original.id })
    expect(messages.pendingEdits).toEqual({})
  })
})
