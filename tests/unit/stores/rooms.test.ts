import { describe, expect, it, vi } from 'vitest'
import type { Room } from '#shared/protocol'
import { useConnectionStore } from '~/stores/connection'
import { useMessagesStore } from '~/stores/messages'
import { useRoomsStore } from '~/stores/rooms'
import { READ_MARKER_WINDOW_MS } from '~/utils/read-markers'
import { bob, fetchMock, historyCalls, latest, message, user, useStoreTestEnvironment } from './support'

useStoreTestEnvironment()

const room = (name: string): Room => ({ name, createdAt: 1, createdBy: null })
const rooms = [{ name: 'general', createdAt: 1, createdBy: null }, { name: 'plans', createdAt: 2, createdBy: 'bob' }]
const list = { rooms, lastSeq: { general: 10, plans: 7 }, read: { general: 10, plans: 4 } }

function connected(maxRoomsPerConnection = 50) {
  const connection = useConnectionStore()
  const store = useRoomsStore()
  connection.connect()
  latest().accept(maxRoomsPerConnection)
  return { connection, rooms: store }
}

describe('the room list', () => {
  it('refreshes the room list on every welcome, so rooms created while away appear', async () => {
    fetchMock.mockImplementation(async () => ({ rooms: [{ name: 'general', createdAt: 1, createdBy: null }, { name: 'while-away', createdAt: 2, createdBy: 'bob' }], lastSeq: {}, read: {} }))
    const { rooms } = connected()
    await vi.advanceTimersByTimeAsync(1)
    expect(fetchMock).toHaveBeenCalledWith('/api/rooms')
    expect(rooms.list.map(room => room.name)).toEqual(['general', 'while-away'])
  })

  it('never loses a room to an older list', () => {
    const store = useRoomsStore()
    store.setRooms([{ name: 'general', createdAt: 1, createdBy: null }])
    useConnectionStore().connect()
    latest().accept()
    latest().deliver({ type: 'room', room: { name: 'fresh', createdAt: 2, createdBy: 'bob' } })
    store.setRooms([{ name: 'general', createdAt: 1, createdBy: null }])
    expect(store.list.map(room => room.name)).toEqual(['fresh', 'general'])
  })
})

describe('unread counts and read markers', () => {
  it('counts unread from the room list and follows every room from its listed seq, loading no history for it', async () => {
    const { rooms: store } = connected()
    store.setRooms(rooms, list)
    expect(latest().sent).toContainEqual({ type: 'join', room: 'plans', after: 7, follow: true })
    expect(store.unreadCount('plans')).toBe(3)
    expect(store.unreadCount('general')).toBe(0)
    expect(store.totalUnread).toBe(3)
    latest().deliver({ type: 'joined', room: 'plans', lastSeq: 7, recovered: true }, { type: 'chat', ...message(8, { room: 'plans' }) })
    await vi.advanceTimersByTimeAsync(1)
    expect(store.unreadCount('plans')).toBe(4)
    expect(historyCalls()).toEqual([])
  })

  it('leaves replies sent to a thread only out of the unread count, from the room list and live, once each', async () => {
    const { rooms: store } = connected()
    // plans: read up to 4, newest 7, and 6 was a reply to a thread only.
    store.setRooms(rooms, { ...list, threadOnly: { plans: [6] } })
    expect(store.unreadCount('plans')).toBe(2)
    latest().deliver(
      { type: 'joined', room: 'plans', lastSeq: 7, recovered: true },
      { type: 'chat', ...message(8, { room: 'plans', threadId: 'root-1' }) },
      { type: 'chat', ...message(9, { room: 'plans', threadId: 'root-1', alsoToRoom: true }) },
      { type: 'chat', ...message(8, { room: 'plans', threadId: 'root-1' }) },
    )
    await vi.advanceTimersByTimeAsync(1)
    // 8 (thread only, replayed twice) is left out; 9 went to the room too and counts.
    expect(store.unreadCount('plans')).toBe(3)
    // A second answer of the room list repeats 6 and adds nothing.
    store.setRooms(rooms, { ...list, lastSeq: { ...list.lastSeq, plans: 9 }, threadOnly: { plans: [6, 8] } })
    expect(store.unreadCount('plans')).toBe(3)
    store.markRead('plans')
    expect(store.unreadCount('plans')).toBe(0)
  })

  it('counts a room never read from where the server first saw it, and does not take that for a read', () => {
    const { rooms: store } = connected()
    // plans (newest 7) was never read: the server counts it from 2; general has neither, so it counts from now.
    store.setRooms(rooms, { ...list, read: {}, unreadFrom: { plans: 2 } })
    expect(store.unreadCount('plans')).toBe(5)
    expect(store.unreadCount('general')).toBe(0)
    store.showRoom('plans')
    store.markRead('plans')
    vi.advanceTimersByTime(READ_MARKER_WINDOW_MS)
    expect(latest().sent.filter(event => event.type === 'read')).toEqual([{ type: 'read', room: 'plans', seq: 7 }])
    expect(store.unreadCount('plans')).toBe(0)
  })

  it('counts from a first sight further on than the read marker: a newcomer back in a room they read before', () => {
    const { rooms: store } = connected()
    store.setRooms(rooms, { ...list, read: { general: 10, plans: 3 }, unreadFrom: { plans: 5 } })
    expect(store.unreadCount('plans')).toBe(2)
  })

  it('counts a private room this user is added to live from where the server started them, and forgets a read on removal', async () => {
    const { rooms: store } = connected()
    store.setRooms(rooms, list)
    const crew: Room = { name: 'crew', createdAt: 3, createdBy: 'bob', kind: 'private' }
    fetchMock.mockImplementation(async () => ({ rooms: [...rooms, crew], lastSeq: { ...list.lastSeq, crew: 12 }, read: list.read, unreadFrom: { crew: 10 } }))
    latest().deliver({ type: 'room', room: crew })
    await vi.advanceTimersByTimeAsync(1)
    expect(store.unreadCount('crew')).toBe(2)

    latest().deliver({ type: 'room-removed', room: 'plans' })
    expect(store.readSeq.plans).toBeUndefined()
    expect(store.readSeq.crew).toBe(10)
  })

  it('counts none of this user\'s own messages from another device where all before them was read, and tells the server', async () => {
    const { rooms: store } = connected()
    // general: all read (10), then a reply to a thread only (11) and the user's own message (12). plans: 3 unread.
    store.setRooms(rooms, { ...list, threadOnly: {} })
    latest().deliver(
      { type: 'joined', room: 'general', lastSeq: 10, recovered: true },
      { type: 'chat', ...message(11, { room: 'general', user: bob, threadId: 'root-1' }) },
      { type: 'chat', ...message(12, { room: 'general', user }) },
      { type: 'joined', room: 'plans', lastSeq: 7, recovered: true },
      { type: 'chat', ...message(8, { room: 'plans', user }) },
    )
    await vi.advanceTimersByTimeAsync(1)
    expect(store.unreadCount('general')).toBe(0)
    expect(store.unreadCount('plans')).toBe(4)
    vi.advanceTimersByTime(READ_MARKER_WINDOW_MS)
    expect(latest().sent.filter(event => event.type === 'read')).toEqual([{ type: 'read', room: 'general', seq: 12 }])
  })

  it('stores a marker for a room first seen with nothing new once it is read, so what comes later counts after a reload', () => {
    const { rooms: store } = connected()
    store.setRooms(rooms, { ...list, read: { general: 10 } })
    expect(store.unreadCount('plans')).toBe(0)
    store.showRoom('plans')
    store.markRead('plans')
    vi.advanceTimersByTime(READ_MARKER_WINDOW_MS)
    expect(latest().sent.filter(event => event.type === 'read')).toEqual([{ type: 'read', room: 'plans', seq: 7 }])
    store.markRead('plans')
    vi.advanceTimersByTime(READ_MARKER_WINDOW_MS)
    expect(latest().sent.filter(event => event.type === 'read')).toHaveLength(1)
  })

  it('marks the open room read up to its newest message, and takes markers from other tabs', () => {
    const { rooms: store } = connected()
    store.setRooms(rooms, list)
    store.showRoom('plans')
    store.markRead('plans')
    vi.advanceTimersByTime(READ_MARKER_WINDOW_MS)
    expect(latest().sent.at(-1)).toEqual({ type: 'read', room: 'plans', seq: 7 })
    expect(store.unreadCount('plans')).toBe(0)
    const sent = latest().sent.length
    store.markRead('plans')
    vi.advanceTimersByTime(READ_MARKER_WINDOW_MS)
    expect(latest().sent).toHaveLength(sent)
    latest().deliver({ type: 'chat', ...message(11) }, { type: 'read', room: 'general', seq: 11 })
    expect(store.unreadCount('general')).toBe(0)
    // Leaving the screen keeps the room followed: no leave is sent.
    store.hideRoom('plans')
    expect(latest().sent.some(event => event.type === 'leave')).toBe(false)
  })

  it('counts nothing in rooms never read, until new messages arrive', () => {
    const store = useRoomsStore()
    store.setRooms([{ name: 'general', createdAt: 1, createdBy: null }], { lastSeq: { general: 120 }, read: {} })
    expect(store.unreadCount('general')).toBe(0)
    useConnectionStore().connect()
    latest().accept()
    latest().deliver({ type: 'chat', ...message(121) })
    expect(store.unreadCount('general')).toBe(1)
  })

  it('tells the server once per window per room, with the newest seq read', () => {
    const { rooms: store } = connected()
    const messages = useMessagesStore()
    store.setRooms(rooms, list)
    store.showRoom('general')
    for (let seq = 11; seq <= 15; seq++) {
      latest().deliver({ type: 'chat', ...message(seq) })
      store.markRead('general')
    }
    expect(store.unreadCount('general')).toBe(0)
    expect(latest().sentOf('read')).toEqual([])
    vi.advanceTimersByTime(READ_MARKER_WINDOW_MS - 1)
    expect(latest().sentOf('read')).toEqual([])
    vi.advanceTimersByTime(1)
    expect(latest().sentOf('read')).toEqual([{ type: 'read', room: 'general', seq: 15 }])
    expect(messages.lastSeq('general')).toBe(15)
  })

  it('sends waiting read markers at once when the page is hidden', () => {
    const page = Object.assign(new EventTarget(), { visibilityState: 'visible' })
    vi.stubGlobal('document', page)
    const { rooms: store } = connected()
    store.setRooms(rooms, list)
    store.showRoom('plans')
    store.markRead('plans')
    expect(latest().sentOf('read')).toEqual([])
    page.visibilityState = 'hidden'
    page.dispatchEvent(new Event('visibilitychange'))
    expect(latest().sentOf('read')).toEqual([{ type: 'read', room: 'plans', seq: 7 }])
    vi.advanceTimersByTime(READ_MARKER_WINDOW_MS)
    expect(latest().sentOf('read')).toHaveLength(1)
  })
})

describe('present in the room on screen, following the others', () => {
  it('joins the room on screen without follow and every other room with follow', () => {
    const store = useRoomsStore()
    store.showRoom('general')
    store.setRooms(rooms, list)
    useConnectionStore().connect()
    latest().accept()
    expect(latest().sentOf('join')).toEqual([
      { type: 'join', room: 'general' },
      { type: 'join', room: 'plans', after: 7, follow: true },
    ])
  })

  it('becomes present in a followed room when it comes on screen, and steps back when it leaves', () => {
    const { rooms: store } = connected()
    store.setRooms(rooms, list)
    store.showRoom('plans')
    store.hideRoom('plans')
    expect(latest().sentOf('join').filter(event => event.room === 'plans')).toEqual([
      { type: 'join', room: 'plans', after: 7, follow: true },
      { type: 'join', room: 'plans', after: 7 },
      { type: 'join', room: 'plans', after: 7, follow: true },
    ])
  })

  it('follows a room created live', () => {
    connected()
    latest().deliver({ type: 'room', room: room('fresh') })
    expect(latest().sentOf('join')).toEqual([{ type: 'join', room: 'fresh', after: 0, follow: true }])
  })

  it('follows no more rooms than the server\'s limit allows, keeping one for the room on screen', () => {
    const names = Array.from({ length: 6 }, (_, index) => `room-${index}`)
    const { rooms: store } = connected(4)
    store.setRooms(names.map(room), { lastSeq: {}, read: {} })
    expect(latest().sentOf('join').map(event => event.room)).toEqual(['room-0', 'room-1', 'room-2'])
    store.showRoom('room-5')
    expect(latest().sentOf('join').map(event => event.room)).toEqual(['room-0', 'room-1', 'room-2', 'room-5'])
    // Opened, it is this user's room now: it keeps its place, and the last room followed only for being listed goes.
    store.hideRoom('room-5')
    expect(latest().sent.slice(-2)).toEqual([{ type: 'join', room: 'room-5', after: 0, follow: true }, { type: 'leave', room: 'room-2' }])
  })

  it('follows this user\'s own rooms before public rooms they never opened, however many of those appear', () => {
    const spam = Array.from({ length: 8 }, (_, index) => room(`aaa-${index}`))
    const own = [room('team'), { ...room('secret'), kind: 'private' as const }, room('general')]
    const { rooms: store } = connected(4)
    store.setRooms([...spam, ...own], { lastSeq: { team: 3 }, read: { team: 3 } })
    expect(latest().sentOf('join').map(event => event.room).sort()).toEqual(['general', 'secret', 'team'])
    // Rooms created live take no place of theirs either.
    latest().deliver({ type: 'room', room: room('aaa-live') })
    expect(latest().sentOf('join').map(event => event.room)).not.toContain('aaa-live')
    // On the next socket too.
    latest().serverClose(1012)
    vi.advanceTimersByTime(60_000)
    latest().accept(4)
    expect(latest().sentOf('join').map(event => event.room).sort()).toEqual(['general', 'secret', 'team'])
  })

  it('makes room for a room read on another device, leaving one only listed', () => {
    const { rooms: store } = connected(3)
    store.setRooms([room('aaa'), room('bbb'), room('zzz')], { lastSeq: {}, read: {} })
    expect(latest().sentOf('join').map(event => event.room)).toEqual(['aaa', 'bbb'])
    latest().deliver({ type: 'read', room: 'zzz', seq: 0 }, { type: 'room', room: room('ccc') })
    expect(latest().sent.slice(-2)).toEqual([{ type: 'leave', room: 'bbb' }, { type: 'join', room: 'zzz', after: 0, follow: true }])
  })

  it('takes the limit from every welcome', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0)
    const names = Array.from({ length: 6 }, (_, index) => `room-${index}`)
    const { rooms: store } = connected(3)
    store.setRooms(names.map(room), { lastSeq: {}, read: {} })
    expect(latest().sentOf('join')).toHaveLength(2)
    latest().serverClose(1012)
    vi.advanceTimersByTime(1)
    latest().accept(5)
    expect(latest().sentOf('join')).toHaveLength(4)
  })
})

describe('mentions', () => {
  it('counts unread mentions per room, cleared when the room is read', () => {
    const { rooms: store } = connected()
    store.setRooms(rooms, list)
    const mention = message(8, { room: 'plans', user: bob, text: 'hey @alice' })
    latest().deliver({ type: 'chat', ...mention }, { type: 'notification', message: mention })
    expect(store.mentionCount('plans')).toBe(1)
    expect(store.mentionCount('general')).toBe(0)
    latest().deliver({ type: 'read', room: 'plans', seq: 8 })
    expect(store.mentionCount('plans')).toBe(0)
  })

  it('counts the mentions the room list brings (a reload keeps "@N"), a live copy of one once, until read', () => {
    const { rooms: store } = connected()
    const mentions = { plans: [{ id: 'm5', seq: 5 }, { id: 'm6', seq: 6 }] }
    store.setRooms(rooms, { ...list, mentions })
    expect(store.mentionCount('plans')).toBe(2)
    const heard = message(6, { id: 'm6', room: 'plans', user: bob, text: '@alice again' })
    latest().deliver({ type: 'notification', message: heard })
    expect(store.mentionCount('plans')).toBe(2)
    latest().deliver({ type: 'read', room: 'plans', seq: 5 })
    expect(store.mentionCount('plans')).toBe(1)
    // The next list, read after the room was read, has none.
    store.setRooms(rooms, { ...list, read: { ...list.read, plans: 7 }, mentions: {} })
    expect(store.mentionCount('plans')).toBe(0)
  })

  it('counts a mention in a reply sent to its thread alone until the thread is read, not the room', () => {
    const { rooms: store } = connected()
    store.setRooms(rooms, list)
    const reply = message(8, { room: 'plans', user: bob, text: 'hey @alice', threadId: 'root' })
    // Only the mention arrives: this connection is not in the room.
    latest().deliver({ type: 'notification', message: reply })
    expect(store.mentionCount('plans')).toBe(1)
    latest().deliver({ type: 'read', room: 'plans', seq: 8 })
    expect(store.mentionCount('plans')).toBe(1)
    latest().deliver({ type: 'thread-read', room: 'plans', rootId: 'root', seq: 8 })
    expect(store.mentionCount('plans')).toBe(0)
  })
})
