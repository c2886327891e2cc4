import { afterEach, describe, expect, it } from 'vitest'
import { enableAutoUnmount } from '@vue/test-utils'
import { mountSuspended, registerEndpoint } from '@nuxt/test-utils/runtime'
import ChatMessage from '~/components/ChatMessage.vue'
import type { ChatMessage as Message } from '#shared/protocol'
import { useSessionStore } from '~/stores/session'
import { useThreadsStore } from '~/stores/threads'

enableAutoUnmount(afterEach)

const ada = { id: 'u1', name: 'Ada', username: 'ada' }
const bob = { id: 'u2', name: 'Bob', username: 'bob' }
const deletedRoot: Message = {
  room: 'general', id: 'm1', seq: 1, user: ada, text: '', ts: 1_000, clientId: 'c1', deletedAt: 2_000,
  thread: { count: 2, lastReplyAt: 1_500, repliers: [bob] },
}
// The server still answers for a deleted root's thread.
registerEndpoint('/api/rooms/general/messages/m1/thread', () => ({ room: 'general', root: deletedRoot, messages: [] }))

describe('ChatMessage', () => {
  it('keeps a deleted root\'s thread summary under its tombstone, and it still opens the thread', async () => {
    useSessionStore().signedIn({ user: bob, role: 'member' })
    const wrapper = await mountSuspended(ChatMessage, { props: { message: deletedRoot } })
    expect(wrapper.get('[data-testid="tombstone"]').text()).toBe('This message was deleted.')
    expect(wrapper.get('[data-testid="thread-count"]').text()).toBe('2 replies')
    await wrapper.get('[data-testid="thread-summary"]').trigger('click')
    expect(useThreadsStore().open).toEqual({ room: 'general', rootId: 'm1' })
  })

  it('shows no summary of its own in the thread panel, deleted or not', async () => {
    const wrapper = await mountSuspended(ChatMessage, { props: { message: deletedRoot, inThread: true } })
    expect(wrapper.find('[data-testid="thread-summary"]').exists()).toBe(false)
  })
})
