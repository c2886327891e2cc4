import { describe, expect, it } from 'vitest'
import type { ChatMessage } from '#shared/protocol'
import { mentionToShow } from '~/utils/mention-toast'

const mention = (id: string, room: string, seq: number, extra: Partial<ChatMessage> = {}): ChatMessage =>
  ({ room, id, seq, user: { id: 'u2', name: 'bob', username: 'bob' }, text: '@alice', ts: seq, clientId: `c-${id}`, ...extra })
const noThreadUnread = () => false

describe('mentionToShow', () => {
  const newestFirst = [mention('m9', 'random', 9), mention('m5', 'plans', 5)]

  it('shows the newest unread mention of another room', () => {
    expect(mentionToShow(newestFirst, { roomOnScreen: 'general', readSeq: {}, unreadInThread: noThreadUnread, dismissed: [] })?.id).toBe('m9')
  })

  it('skips the room on screen, rooms read past the mention, and dismissed mentions', () => {
    expect(mentionToShow(newestFirst, { roomOnScreen: 'random', readSeq: {}, unreadInThread: noThreadUnread, dismissed: [] })?.id).toBe('m5')
    expect(mentionToShow(newestFirst, { roomOnScreen: null, readSeq: { random: 9 }, unreadInThread: noThreadUnread, dismissed: [] })?.id).toBe('m5')
    expect(mentionToShow(newestFirst, { roomOnScreen: null, readSeq: {}, unreadInThread: noThreadUnread, dismissed: ['m9', 'm5'] })).toBeUndefined()
  })

  it('keeps a mention in a reply sent to its thread alone until its thread is read, whatever the room read', () => {
    const inThread = mention('m12', 'random', 12, { threadId: 'm3' })
    const unread = new Set(['m12'])
    const context = { roomOnScreen: null, readSeq: { random: 12 }, unreadInThread: (reply: { id: string }) => unread.has(reply.id), dismissed: [] }
    expect(mentionToShow([inThread], context)?.id).toBe('m12')
    unread.delete('m12')
    expect(mentionToShow([inThread], context)).toBeUndefined()
    // Sent to the room as well, it is read with the room.
    expect(mentionToShow([{ ...inThread, alsoToRoom: true }], { ...context, unreadInThread: () => true })).toBeUndefined()
  })
})
