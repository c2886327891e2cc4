import { describe, expect, it, vi } from 'vitest'
import { useActivityStore } from '~/stores/activity'
import { useConnectionStore } from '~/stores/connection'
import { useOutboxStore } from '~/stores/outbox'
import { bob, latest, message, useStoreTestEnvironment, user } from './support'

useStoreTestEnvironment()

function connected() {
  const connection = useConnectionStore()
  const activity = useActivityStore()
  connection.connect()
  latest().accept()
  return { connection, activity }
}

describe('presence and typing', () => {
  const carol = { id: 'u3', name: 'carol', username: 'carol' }

  it('keeps a room\'s presence from the snapshot and the deltas', () => {
    const { activity } = connected()
    latest().deliver({ type: 'presence', room: 'general', snapshot: true, users: [{ user: carol, state: 'online' }, { user, state: 'online' }] })
    latest().deliver({ type: 'presence', room: 'general', snapshot: false, users: [{ user: bob, state: 'online' }] })
    latest().deliver({ type: 'presence', room: 'general', snapshot: false, users: [{ user: carol, state: 'away' }] })
    expect(activity.presenceByRoom.general).toEqual([{ user, state: 'online' }, { user: bob, state: 'online' }, { user: carol, state: 'away' }])
    latest().deliver({ type: 'presence', room: 'general', snapshot: false, users: [{ user: bob, state: 'offline' }] })
    expect(activity.presenceByRoom.general!.map(entry => entry.user.name)).toEqual(['alice', 'carol'])
  })

  it('shows others typing, never this user, and clears a typist when their message arrives', () => {
    const { activity } = connected()
    latest().deliver({ type: 'typing', room: 'general', user: bob, active: true }, { type: 'typing', room: 'general', user, active: true })
    expect(activity.typingByRoom.general).toEqual([bob])
    latest().deliver({ type: 'chat', ...message(1, { user: bob }) })
    expect(activity.typingByRoom.general).toEqual([])
  })

  it('sends typing at most every 2 s, and again right after a message', () => {
    const { activity } = connected()
    const outbox = useOutboxStore()
    const typingFrames = () => latest().sentOf('typing').length
    activity.notifyTyping('general')
    vi.advanceTimersByTime(1999)
    activity.notifyTyping('general')
    expect(typingFrames()).toBe(1)
    vi.advanceTimersByTime(1)
    activity.notifyTyping('general')
    expect(typingFrames()).toBe(2)
    outbox.send('general', 'hi')
    activity.notifyTyping('general')
    expect(typingFrames()).toBe(3)
  })

  it('tells the server when the tab is hidden, again after every reconnect', () => {
    const { activity } = connected()
    activity.setVisible(false)
    expect(latest().sent.at(-1)).toEqual({ type: 'visibility', visible: false })
    latest().serverClose(1006)
    vi.advanceTimersByTime(1000)
    latest().accept()
    expect(latest().sent).toContainEqual({ type: 'visibility', visible: false })
  })
})

describe('join and leave lines', () => {
  it('keeps the latest of each room', () => {
    const { activity } = connected()
    for (let index = 0; index < 60; index++) latest().deliver({ type: 'system', room: 'general', kind: index % 2 ? 'leave' : 'join', user: bob, ts: index })
    expect(activity.noticesByRoom.general).toHaveLength(50)
    expect(activity.noticesByRoom.general!.at(-1)).toMatchObject({ kind: 'leave', user: bob, ts: 59 })
  })

  it('tells nobody of their own comings and goings, from this tab or another', () => {
    const { activity } = connected()
    latest().deliver({ type: 'system', room: 'general', kind: 'join', user, ts: 1 }, { type: 'system', room: 'general', kind: 'join', user: bob, ts: 2 })
    latest().deliver({ type: 'system', room: 'general', kind: 'leave', user, ts: 3 })
    expect(activity.noticesByRoom.general!.map(notice => [notice.kind, notice.user.id])).toEqual([['join', bob.id]])
  })
})

describe('mentions', () => {
  it('remembers mentions newest first, and the ones the user dismissed', () => {
    const { activity } = connected()
    const first = message(3, { room: 'random', text: '@alice one' })
    const second = message(4, { room: 'random', text: '@alice two' })
    latest().deliver({ type: 'notification', message: first }, { type: 'notification', message: second })
    expect(activity.mentionsReceived.map(item => item.id)).toEqual(['m4', 'm3'])
    activity.dismissMention('m4')
    expect(activity.dismissedMentions).toEqual(['m4'])
  })

  it('opens a clicked notification\'s message with the newest room page\'s opener, even after the previous page lets go', () => {
    const shown: { title: string, onclick: (() => void) | null, close: () => void }[] = []
    vi.stubGlobal('Notification', Object.assign(function (title: string) {
      const notification = { title, onclick: null, close: () => {} }
      shown.push(notification)
      return notification
    }, { permission: 'granted' }))
    vi.stubGlobal('document', Object.assign(new EventTarget(), { visibilityState: 'hidden' }))
    const focus = vi.fn()
    vi.stubGlobal('window', Object.assign(new EventTarget(), { focus }))
    const assign = vi.fn()
    vi.stubGlobal('location', { href: 'https://chat.example/rooms/general', assign })
    const { activity } = connected()
    const [onRoomA, onRoomB] = [vi.fn(), vi.fn()]
    // Moving from room A to room B: B's page mounts before A's unmounts.
    activity.openMentionsWith(onRoomA)
    activity.openMentionsWith(onRoomB)
    activity.releaseMentions(onRoomA)
    const mention = message(5, { room: 'random', text: '@alice look' })
    latest().deliver({ type: 'notification', message: mention })
    shown[0]!.onclick!()
    expect(onRoomB).toHaveBeenCalledWith(mention)
    expect(onRoomA).not.toHaveBeenCalled()
    expect(focus).toHaveBeenCalled()
    // No room page at all: the message's page is loaded.
    activity.releaseMentions(onRoomB)
    latest().deliver({ type: 'notification', message: message(6, { room: 'random', threadId: 'm1', text: '@alice here' }) })
    shown[1]!.onclick!()
    expect(assign).toHaveBeenCalledWith('/rooms/random?thread=m1')
  })
})
