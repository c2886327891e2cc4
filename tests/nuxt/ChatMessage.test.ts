import { afterEach, describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import { enableAutoUnmount } from '@vue/test-utils'
import { mountSuspended, registerEndpoint } from '@nuxt/test-utils/runtime'
import ChatMessage from '~/components/ChatMessage.vue'
import type { ChatMessage as Message } from '#shared/protocol'
import { useMessagesStore } from '~/stores/messages'
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

  it('opens its editor when a composer asks for it, where that composer is, and only for its author', async () => {
    useSessionStore().signedIn({ user: ada, role: 'member' })
    const messages = useMessagesStore()
    const own: Message = { room: 'general', id: 'm7', seq: 7, user: ada, text: 'a typo', ts: 1_000, clientId: 'c7' }
    const inPanel = await mountSuspended(ChatMessage, { props: { message: own, inThread: true } })
    const inRoom = await mountSuspended(ChatMessage, { props: { message: own } })
    const theirs = await mountSuspended(ChatMessage, { props: { message: { ...own, id: 'm8', user: bob } } })
    messages.editRequested = { id: 'm8', inThread: false }
    await nextTick()
    expect(theirs.find('textarea[aria-label="Edit message"]').exists()).toBe(false)
    messages.editRequested = { id: 'm7', inThread: false }
    await nextTick()
    expect(inPanel.find('textarea[aria-label="Edit message"]').exists()).toBe(false)
    expect((inRoom.get('textarea[aria-label="Edit message"]').element as HTMLTextAreaElement).value).toBe('a typo')
    expect(messages.editRequested).toBeNull()
    // From the thread's composer: the panel's copy opens.
    inRoom.unmount()
    messages.editRequested = { id: 'm7', inThread: true }
    await nextTick()
    expect(inPanel.find('textarea[aria-label="Edit message"]').exists()).toBe(true)
    expect(messages.editRequested).toBeNull()
  })
})
