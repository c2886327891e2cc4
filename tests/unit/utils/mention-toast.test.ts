import { describe, expect, it } from 'vitest'
import type { ChatMessage } from '#shared/protocol'
import { mentionToShow } from '~/utils/mention-toast'

const mention = (id: string, room: string, seq: number): ChatMessage =>
  ({ room, id, seq, user: { id: 'u2', name: 'bob', username: 'bob' }, text: '@alice', ts: seq, clientId: `c-${id}` })

describe('mentionToShow', () => {
  const newestFirst = [mention('m9', 'random', 9), mention('m5', 'plans', 5)]

  it('shows the newest unread mention of another room', () => {
    expect(mentionToShow(newestFirst, { roomOnScreen: 'general', readSeq: {}, dismissed: [] })?.id).toBe('m9')
  })

  it('skips the room on screen, rooms read past the mention, and dismissed mentions', () => {
    expect(mentionToShow(newestFirst, { roomOnScreen: 'random', readSeq: {}, dismissed: [] })?.id).toBe('m5')
    expect(mentionToShow(newestFirst, { roomOnScreen: null, readSeq: { random: 9 }, dismissed: [] })?.id).toBe('m5')
    expect(mentionToShow(newestFirst, { roomOnScreen: null, readSeq: {}, dismissed: ['m9', 'm5'] })).toBeUndefined()
  })
})
