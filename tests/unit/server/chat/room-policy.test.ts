import { describe, expect, it } from 'vitest'
import type { Room } from '#shared/protocol'
import { RoomPolicy } from '#server/utils/chat/room-policy'

/** A storage that counts its room lookups: the cost a refusal's timing would show. */
function countingStorage(rooms: Record<string, { room: Room, members: string[] }>) {
  let lookups = 0
  return {
    lookups: () => lookups,
    storage: {
      getRoom: async (name: string) => {
        lookups++
        return rooms[name]?.room ?? null
      },
      roomMembers: async (name: string) => rooms[name]?.members ?? [],
    },
  }
}

describe('RoomPolicy', () => {
  const secret = { room: { name: 'dm-ab', createdAt: 1, createdBy: 'a', kind: 'dm' as const }, members: ['a', 'b'] }

  it('refuses a non-member exactly as an unknown room, with the same storage lookup each time', async () => {
    const { storage, lookups } = countingStorage({ 'dm-ab': secret })
    const policy = new RoomPolicy(storage)
    expect(await policy.require('dm-ab', 'a')).toMatchObject({ kind: 'dm' })
    const before = lookups()
    await expect(policy.require('dm-ab', 'eve')).rejects.toMatchObject({ code: 'unknown_room' })
    await expect(policy.require('dm-ab', 'eve')).rejects.toMatchObject({ code: 'unknown_room' })
    const forKnown = lookups() - before
    await expect(policy.require('dm-xy', 'eve')).rejects.toMatchObject({ code: 'unknown_room' })
    await expect(policy.require('dm-xy', 'eve')).rejects.toMatchObject({ code: 'unknown_room' })
    expect(forKnown).toBe(lookups() - before - forKnown)
    // A member's answer stays in memory.
    const afterRefusals = lookups()
    await policy.require('dm-ab', 'b')
    expect(lookups()).toBe(afterRefusals)
  })
})
