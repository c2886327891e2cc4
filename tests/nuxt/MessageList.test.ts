import { afterEach, describe, expect, it } from 'vitest'
import { enableAutoUnmount } from '@vue/test-utils'
import { mountSuspended } from '@nuxt/test-utils/runtime'
import MessageList from '~/components/MessageList.vue'
import type { ChatMessage } from '#shared/protocol'
import { useMessagesStore } from '~/stores/messages'
import { useRoomsStore } from '~/stores/rooms'
import { useSessionStore } from '~/stores/session'

enableAutoUnmount(afterEach)

const ada = { id: 'u1', name: 'Ada', username: 'ada' }
const bob = { id: 'u2', name: 'Bob', username: 'bob' }
const message = (seq: number, user = ada): ChatMessage => ({ room: 'general', id: `m${seq}`, seq, user, text: `message ${seq}`, ts: seq * 1000, clientId: `c${seq}` })

/** Bob opens #general having read up to `readSeq` of its `held` messages. */
async function openAsBob(readSeq: number, held: number) {
  useSessionStore().signedIn({ user: bob, role: 'member' })
  useRoomsStore().readSeq = { general: readSeq }
  useMessagesStore().setHistory('general', Array.from({ length: held }, (_, index) => message(index + 1)))
  return mountSuspended(MessageList, { props: { room: 'general' } })
}

/** The seq of the message right after the divider, or null when there is none. */
const dividerBefore = (wrapper: Awaited<ReturnType<typeof openAsBob>>) =>
  wrapper.find('[data-testid="new-messages"] + [data-testid="message"]').attributes('data-seq') ?? null

describe('MessageList\'s "new messages" divider', () => {
  it('does not appear for a message that arrives while the reader has the room open', async () => {
    const wrapper = await openAsBob(2, 2)
    expect(wrapper.find('[data-testid="new-messages"]').exists()).toBe(false)
    useMessagesStore().addMessages('general', [message(3)])
    await nextTick()
    expect(wrapper.findAll('[data-testid="message"]')).toHaveLength(3)
    expect(wrapper.find('[data-testid="new-messages"]').exists()).toBe(false)
  })

  it('stays above what was unread at opening while more arrives', async () => {
    const wrapper = await openAsBob(1, 3)
    expect(dividerBefore(wrapper)).toBe('2')
    useMessagesStore().addMessages('general', [message(4)])
    await nextTick()
    expect(wrapper.findAll('[data-testid="new-messages"]')).toHaveLength(1)
    expect(dividerBefore(wrapper)).toBe('2')
  })
})
