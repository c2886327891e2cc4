import { describe, expect, it } from 'vitest'
import { ChatError } from '#server/utils/chat/chat-error'
import { UploadSlots } from '#server/utils/files/upload-slots'

const refusalOf = (take: () => unknown) => {
  try {
    take()
  }
  catch (error) {
    return error instanceof ChatError ? { code: error.code, retryAfter: error.retryAfter } : error
  }
  return null
}

describe('upload slots', () => {
  it('holds each user to their share and the instance to its cap, and a slot given back twice counts once', () => {
    const slots = new UploadSlots(3, 2)
    const aliceFirst = slots.take('alice')
    slots.take('alice')
    expect(refusalOf(() => slots.take('alice'))).toEqual({ code: 'rate_limited', retryAfter: 2000 })
    const bob = slots.take('bob')
    expect(refusalOf(() => slots.take('carol'))).toEqual({ code: 'unavailable', retryAfter: 2000 })
    expect(slots.inFlight).toBe(3)

    aliceFirst()
    aliceFirst()
    expect(slots.inFlight).toBe(2)
    slots.take('carol')
    expect(refusalOf(() => slots.take('dave'))).toEqual({ code: 'unavailable', retryAfter: 2000 })
    bob()
    expect(refusalOf(() => slots.take('alice'))).toBeNull()
  })
})
