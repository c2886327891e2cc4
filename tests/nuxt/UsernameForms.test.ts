import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { enableAutoUnmount } from '@vue/test-utils'
import { mountSuspended, registerEndpoint } from '@nuxt/test-utils/runtime'
import { readBody } from 'h3'
import CreateRoomForm from '~/components/CreateRoomForm.vue'
import StartDirectMessage from '~/components/StartDirectMessage.vue'

enableAutoUnmount(afterEach)

const bodies: Record<string, unknown[]> = { dms: [], rooms: [] }
const room = (name: string) => ({ name, createdAt: 1, createdBy: 'u1' })

registerEndpoint('/api/dms', { method: 'POST', handler: async (event) => {
  bodies.dms!.push(await readBody(event))
  return { room: { ...room('dm-1'), kind: 'dm' } }
} })
registerEndpoint('/api/rooms', { method: 'POST', handler: async (event) => {
  bodies.rooms!.push(await readBody(event))
  return { room: { ...room('plans'), kind: 'private' } }
} })

beforeEach(() => {
  bodies.dms = []
  bodies.rooms = []
})

describe('usernames, not display names, pick people', () => {
  it('opens a direct message by username, with or without the @', async () => {
    const wrapper = await mountSuspended(StartDirectMessage)
    await wrapper.get('input').setValue(' @Ada ')
    await wrapper.get('form').trigger('submit')
    await vi.waitFor(() => expect(bodies.dms).toEqual([{ username: 'Ada' }]))
  })

  it('sends a private room\'s members as usernames', async () => {
    const wrapper = await mountSuspended(CreateRoomForm)
    await wrapper.get('#create-room-name').setValue('plans')
    await wrapper.get('input[type="checkbox"]').setValue(true)
    await wrapper.get('#create-room-members').setValue('@ada, bob  @carol')
    await wrapper.get('form').trigger('submit')
    await vi.waitFor(() => expect(bodies.rooms).toEqual([{ name: 'plans', private: true, members: ['ada', 'bob', 'carol'] }]))
  })
})
