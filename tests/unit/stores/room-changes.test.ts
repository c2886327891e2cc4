import { describe, expect, it, vi } from 'vitest'
import { useConnectionStore } from '~/stores/connection'
import { useMessagesStore } from '~/stores/messages'
import { useRoomsStore } from '~/stores/rooms'
import { fetchMock, latest, message, useStoreTestEnvironment } from './support'

useStoreTestEnvironment()

const general = { name: 'general', createdAt: 1, createdBy: null }
const secret = { name: 'secret', createdAt: 2, createdBy: 'u2', kind: 'private' as const }
const list = { lastSeq: { general: 3, secret: 5 }, read: { general: 3, secret: 5 } }

function connected() {
  const store = useRoomsStore()
  useConnectionStore().connect()
  latest().accept()
  return store
}

describe('rooms that change or go away', () => {
  it('replaces a known room with the one a room event brings (a new topic, new members)', () => {
    const store = connected()
    store.setRooms([general, secret], list)
    latest().deliver({ type: 'room', room: { ...general, topic: 'Friday plans', slowModeSeconds: 30 } })
    expect(store.list).toEqual([{ ...general, topic: 'Friday plans', slowModeSeconds: 30 }, secret])
  })

  it('drops a room on room-removed: off the list and the screen, its timeline forgotten, and an older list does not bring it back', () => {
    const store = connected()
    const messages = useMessagesStore()
    store.setRooms([general, secret], list)
    store.showRoom('secret')
    messages.setHistory('secret', [message(5, { room: 'secret' })])
    latest().deliver({ type: 'room-removed', room: 'secret' })
    expect(store.list.map(room => room.name)).toEqual(['general'])
    expect(store.removed).toEqual(['secret'])
    expect(store.roomOnScreen).toBeNull()
    expect(messages.messagesOf('secret')).toEqual([])
    const joins = latest().sentOf('join').length
    store.setRooms([general, secret], list)
    expect(store.list.map(room => room.name)).toEqual(['general'])
    expect(latest().sentOf('join')).toHaveLength(joins)
  })

  it('drops a private room the refreshed list no longer has (removed while away), never a public one', async () => {
    const store = useRoomsStore()
    const plans = { name: 'plans', createdAt: 3, createdBy: null }
    store.setRooms([general, plans, secret], list)
    fetchMock.mockImplementation(async () => ({ rooms: [general], lastSeq: {}, read: {} }))
    useConnectionStore().connect()
    latest().accept()
    await vi.advanceTimersByTimeAsync(1)
    expect(fetchMock).toHaveBeenCalledWith('/api/rooms')
    expect(store.list.map(room => room.name)).toEqual(['general', 'plans'])
    expect(store.removed).toEqual(['secret'])
  })

  it('takes a room back when its user is added again', () => {
    const store = connected()
    store.setRooms([general, secret], list)
    latest().deliver({ type: 'room-removed', room: 'secret' })
    const joinsOfSecret = () => latest().sentOf('join').filter(event => event.room === 'secret').length
    const before = joinsOfSecret()
    latest().deliver({ type: 'room', room: secret })
    expect(store.list.map(room => room.name)).toEqual(['general', 'secret'])
    expect(store.removed).toEqual([])
    expect(joinsOfSecret()).toBe(before + 1)
  })
})
