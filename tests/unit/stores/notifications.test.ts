import { describe, expect, it, vi } from 'vitest'
import { MUTED_FOREVER } from '#shared/notification-levels'
import { useActivityStore } from '~/stores/activity'
import { useConnectionStore } from '~/stores/connection'
import { useNotificationsStore } from '~/stores/notifications'
import { useRoomsStore } from '~/stores/rooms'
import { bob, fetchMock, latest, message, useStoreTestEnvironment } from './support'

useStoreTestEnvironment()

const rooms = [{ name: 'general', createdAt: 1, createdBy: null }, { name: 'plans', createdAt: 2, createdBy: 'bob' }]
const list = { rooms, lastSeq: { general: 10, plans: 10 }, read: { general: 4, plans: 4 } }

/** Connected, with the server's answer to GET /api/notifications read. */
async function connected(choices: Record<string, { level: string | null, mutedUntil: number | null }> = {}, workspaceDefault = 'all') {
  fetchMock.mockImplementation(async (url: string) => url === '/api/notifications' ? { workspaceDefault, choices } : { rooms: [] })
  const connection = useConnectionStore()
  const store = useRoomsStore()
  const activity = useActivityStore()
  const notifications = useNotificationsStore()
  connection.connect()
  latest().accept()
  await vi.waitFor(() => expect(fetchMock).toHaveBeenCalledWith('/api/notifications'))
  await vi.advanceTimersByTimeAsync(1)
  store.setRooms(rooms, list)
  return { rooms: store, activity, notifications }
}

const mentionIn = (room: string, seq: number) => message(seq, { room, user: bob, text: 'hey @alice' })

describe('notification levels on the client', () => {
  it('a muted room shows no count, no @ badge and no toast for a mention; another room does', async () => {
    const { rooms: store, activity } = await connected({ plans: { level: null, mutedUntil: MUTED_FOREVER } })
    const muted = mentionIn('plans', 11)
    const loud = mentionIn('general', 11)
    latest().deliver({ type: 'notification', message: muted }, { type: 'notification', message: loud })
    expect(store.unreadCount('plans')).toBe(0)
    expect(store.hasUncountedUnread('plans')).toBe(false)
    expect(store.mentionCount('plans')).toBe(0)
    expect(store.unreadCount('general')).toBe(6)
    expect(store.mentionCount('general')).toBe(1)
    expect(activity.mentionsReceived.map(item => item.room)).toEqual(['general'])
  })

  it('mentions only: the room shows a dot, its mentions count; nothing: only a dot, no mention badge', async () => {
    const { rooms: store, activity } = await connected({ general: { level: 'mentions', mutedUntil: null }, plans: { level: 'nothing', mutedUntil: null } })
    latest().deliver({ type: 'notification', message: mentionIn('general', 11) }, { type: 'notification', message: mentionIn('plans', 11) })
    expect(store.unreadCount('general')).toBe(0)
    expect(store.hasUncountedUnread('general')).toBe(true)
    expect(store.mentionCount('general')).toBe(1)
    expect(store.hasUncountedUnread('plans')).toBe(true)
    expect(store.mentionCount('plans')).toBe(0)
    expect(activity.mentionsReceived.map(item => item.room)).toEqual(['general'])
  })

  it('follows a choice made in another tab at once, and a mute that ends brings the badges back', async () => {
    const { rooms: store, notifications } = await connected({}, 'all')
    expect(store.unreadCount('plans')).toBe(6)
    const until = Date.now() + 60_000
    latest().deliver({ type: 'notification-choice', room: 'plans', level: null, mutedUntil: until })
    expect(store.unreadCount('plans')).toBe(0)
    expect(notifications.mutedUntil('plans')).toBe(until)
    await vi.advanceTimersByTimeAsync(90_000)
    expect(notifications.mutedUntil('plans')).toBeNull()
    expect(store.unreadCount('plans')).toBe(6)
    latest().deliver({ type: 'notification-choice', room: 'plans', level: null, mutedUntil: null })
    expect(notifications.choices).toEqual({})
  })

  it('a workspace default of nothing leaves direct messages counting', async () => {
    const { rooms: store } = await connected({}, 'nothing')
    store.setRooms([...rooms, { name: 'dm-a-b', createdAt: 3, createdBy: 'bob', kind: 'dm' }], { ...list, lastSeq: { ...list.lastSeq, 'dm-a-b': 3 }, read: { ...list.read, 'dm-a-b': 1 } })
    expect(store.unreadCount('general')).toBe(0)
    expect(store.unreadCount('dm-a-b')).toBe(2)
  })
})
