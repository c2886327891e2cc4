import { describe, expect, it } from 'vitest'
import { messageHref, messageLink } from '#shared/message-link'

describe('messageLink', () => {
  it('points at a message\'s place in its room', () => {
    expect(messageLink({ room: 'general', seq: 42 })).toEqual({ path: '/rooms/general', query: { at: '42' } })
    expect(messageHref({ room: 'dm-a-b', seq: 7 })).toBe('/rooms/dm-a-b?at=7')
  })

  it('opens the thread of a reply sent to its thread only, which the room\'s timeline does not show', () => {
    expect(messageLink({ room: 'general', seq: 43, threadId: 'm1' })).toEqual({ path: '/rooms/general', query: { thread: 'm1' } })
    expect(messageHref({ room: 'general', seq: 43, threadId: 'm1' })).toBe('/rooms/general?thread=m1')
  })

  it('keeps a thread reply also sent to the room at its place in the room', () => {
    expect(messageLink({ room: 'general', seq: 44, threadId: 'm1', alsoToRoom: true })).toEqual({ path: '/rooms/general', query: { at: '44' } })
  })
})
