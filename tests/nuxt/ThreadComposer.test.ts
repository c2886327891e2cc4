import { beforeEach, describe, expect, it } from 'vitest'
import { mountSuspended } from '@nuxt/test-utils/runtime'
import ThreadComposer from '~/components/ThreadComposer.vue'
import { useConnectionStore } from '~/stores/connection'
import { useDraftsStore } from '~/stores/drafts'
import { useOutboxStore } from '~/stores/outbox'
import { useMessagesStore } from '~/stores/messages'
import { useSessionStore } from '~/stores/session'
import { useThreadsStore } from '~/stores/threads'

describe('ThreadComposer', () => {
  beforeEach(() => {
    useOutboxStore().outbox = []
    useDraftsStore().forgetAll()
  })

  async function mountComposer(rootId = 'root-1') {
    const wrapper = await mountSuspended(ThreadComposer, { props: { room: 'general', rootId } })
    return { wrapper, field: wrapper.get('[data-testid="thread-input"]'), outbox: useOutboxStore() }
  }

  it('sends a reply into the thread, and into the room too when the box is ticked', async () => {
    const { wrapper, field, outbox } = await mountComposer()
    await field.setValue('  in the thread  ')
    await wrapper.get('form').trigger('submit')
    await wrapper.get('[data-testid="thread-also-to-room"]').setValue(true)
    await field.setValue('and the room')
    await wrapper.get('form').trigger('submit')
    expect(outbox.outbox.map(item => [item.text, item.reply, item.attachments])).toEqual([
      ['in the thread', { threadId: 'root-1' }, undefined],
      ['and the room', { threadId: 'root-1', alsoToRoom: true }, undefined],
    ])
  })

  it('offers the Attach button, and sends no blank reply without files', async () => {
    const { wrapper, field, outbox } = await mountComposer()
    expect(wrapper.find('button[aria-label="Attach files to the reply"]').exists()).toBe(true)
    expect(wrapper.find('input[type="file"][data-testid="attach-input"]').exists()).toBe(true)
    await field.setValue('   ')
    await wrapper.get('form').trigger('submit')
    expect(outbox.outbox).toEqual([])
    expect(wrapper.get('button[type="submit"]').attributes('disabled')).toBeDefined()
  })

  it('keeps what was typed for one thread there: another thread starts empty, and the first has it back', async () => {
    const first = await mountComposer('root-1')
    await first.field.setValue('half a thought for the first')
    first.wrapper.unmount()
    const second = await mountComposer('root-2')
    expect((second.field.element as HTMLTextAreaElement).value).toBe('')
    await second.field.setValue('for the second')
    await second.wrapper.get('form').trigger('submit')
    expect(second.outbox.outbox.map(item => [item.text, item.reply])).toEqual([['for the second', { threadId: 'root-2' }]])
    second.wrapper.unmount()
    const again = await mountComposer('root-1')
    expect((again.field.element as HTMLTextAreaElement).value).toBe('half a thought for the first')
  })

  it('forgets every draft on sign-out', async () => {
    const { wrapper, field } = await mountComposer()
    await field.setValue('not for the next person')
    wrapper.unmount()
    useConnectionStore().disconnect()
    const next = await mountComposer()
    expect((next.field.element as HTMLTextAreaElement).value).toBe('')
  })

  it('edits your last reply in the thread on Arrow Up in the empty field', async () => {
    const ada = { id: 'u1', name: 'Ada', username: 'ada' }
    const bob = { id: 'u2', name: 'Bob', username: 'bob' }
    useSessionStore().signedIn({ user: ada, role: 'member' })
    const reply = (id: string, seq: number, user = ada) => ({ room: 'general', id, seq, user, text: id, ts: seq, clientId: id, threadId: 'root-1' })
    useThreadsStore().repliesByRoot = { 'root-1': [reply('r1', 2), reply('r2', 3, bob)] }
    const messages = useMessagesStore()
    messages.editRequested = null
    const { field } = await mountComposer()
    const element = field.element as HTMLTextAreaElement
    const press = (init: KeyboardEventInit) => {
      const event = new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init })
      element.dispatchEvent(event)
      return event.defaultPrevented
    }
    await field.setValue('typing')
    expect(press({ key: 'ArrowUp' })).toBe(false)
    await field.setValue('')
    expect(press({ key: 'ArrowUp' })).toBe(true)
    expect(messages.editRequested).toEqual({ id: 'r1', inThread: true })
  })
})
