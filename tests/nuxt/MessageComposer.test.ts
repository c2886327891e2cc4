import { beforeEach, describe, expect, it } from 'vitest'
import { mountSuspended } from '@nuxt/test-utils/runtime'
import { nextTick } from 'vue'
import MessageComposer from '~/components/MessageComposer.vue'
import { useDraftsStore } from '~/stores/drafts'
import { useOutboxStore } from '~/stores/outbox'
import { useMessagesStore } from '~/stores/messages'
import { useSessionStore } from '~/stores/session'
import { useThreadsStore } from '~/stores/threads'

/** Presses a key in the field as a browser would, and tells whether the component stopped the default (a newline). */
function press(field: HTMLTextAreaElement, init: KeyboardEventInit): { defaultPrevented: boolean } {
  const event = new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init })
  field.dispatchEvent(event)
  return { defaultPrevented: event.defaultPrevented }
}

describe('MessageComposer', () => {
  beforeEach(() => {
    useOutboxStore().outbox = []
    useDraftsStore().forgetAll()
  })

  async function mountComposer(room = 'general') {
    const wrapper = await mountSuspended(MessageComposer, { props: { room } })
    const field = wrapper.get('textarea')
    return { wrapper, field, element: field.element as HTMLTextAreaElement, outbox: useOutboxStore() }
  }

  it('sends the trimmed text on Enter and empties the field', async () => {
    const { field, element, outbox } = await mountComposer()
    await field.setValue('  hello there  ')
    expect(press(element, { key: 'Enter' }).defaultPrevented).toBe(true)
    await nextTick()
    expect(outbox.outbox.map(item => [item.room, item.text, item.state])).toEqual([['general', 'hello there', 'pending']])
    expect(element.value).toBe('')
  })

  it('leaves Shift+Enter to the browser, which writes a new line', async () => {
    const { field, element, outbox } = await mountComposer()
    await field.setValue('first line')
    expect(press(element, { key: 'Enter', shiftKey: true }).defaultPrevented).toBe(false)
    expect(outbox.outbox).toEqual([])
    expect(element.value).toBe('first line')
  })

  it('does not send on the Enter that confirms an IME composition', async () => {
    const { field, element, outbox } = await mountComposer()
    await field.setValue('にほんご')
    expect(press(element, { key: 'Enter', isComposing: true }).defaultPrevented).toBe(false)
    // Safari ends a composition with keyCode 229 and isComposing already false.
    expect(press(element, { key: 'Enter', keyCode: 229 }).defaultPrevented).toBe(false)
    expect(outbox.outbox).toEqual([])
    expect(element.value).toBe('にほんご')
  })

  it('sends nothing blank, and the Send button says so', async () => {
    const { wrapper, field, element, outbox } = await mountComposer()
    await field.setValue('   ')
    press(element, { key: 'Enter' })
    expect(outbox.outbox).toEqual([])
    expect(wrapper.get('button[type="submit"]').attributes('disabled')).toBeDefined()
  })

  it('keeps each room\'s draft: another room starts empty, and the first room has its text back', async () => {
    const general = await mountComposer('general')
    await general.field.setValue('a draft for general')
    general.wrapper.unmount()
    const random = await mountComposer('random')
    expect(random.element.value).toBe('')
    random.wrapper.unmount()
    expect((await mountComposer('general')).element.value).toBe('a draft for general')
  })

  it('edits your last message on Arrow Up in an empty field, and leaves the key alone otherwise', async () => {
    const ada = { id: 'u1', name: 'Ada', username: 'ada' }
    useSessionStore().signedIn({ user: ada, role: 'member' })
    const messages = useMessagesStore()
    messages.editRequested = null
    messages.addMessages('general', [
      { room: 'general', id: 'm1', seq: 1, user: ada, text: 'mine', ts: 1, clientId: 'c1' },
      { room: 'general', id: 'm2', seq: 2, user: { id: 'u2', name: 'Bob', username: 'bob' }, text: 'theirs', ts: 2, clientId: 'c2' },
    ])
    const { field, element } = await mountComposer()
    await field.setValue('typing')
    expect(press(element, { key: 'ArrowUp' }).defaultPrevented).toBe(false)
    expect(messages.editRequested).toBeNull()
    await field.setValue('')
    expect(press(element, { key: 'ArrowUp', shiftKey: true }).defaultPrevented).toBe(false)
    expect(press(element, { key: 'ArrowUp' }).defaultPrevented).toBe(true)
    expect(messages.editRequested).toEqual({ id: 'm1', inThread: false })

    // A message still on its way is the last one: the key edits nothing until it is stored.
    messages.editRequested = null
    await field.setValue('on its way')
    press(element, { key: 'Enter' })
    await nextTick()
    expect(useOutboxStore().outboxOf('general')).toHaveLength(1)
    expect(press(element, { key: 'ArrowUp' }).defaultPrevented).toBe(false)
    expect(messages.editRequested).toBeNull()
  })

  it('drops the reply being written on Escape, and leaves Escape alone without one', async () => {
    const threads = useThreadsStore()
    const quoted = { room: 'general', id: 'm9', seq: 9, user: { id: 'u2', name: 'Bob', username: 'bob' }, text: 'quoted', ts: 9, clientId: 'c9' }
    threads.replyTo('general', quoted)
    const { wrapper, element } = await mountComposer()
    expect(wrapper.find('[data-testid="replying-to"]').exists()).toBe(true)
    expect(press(element, { key: 'Escape', isComposing: true }).defaultPrevented).toBe(false)
    expect(press(element, { key: 'Escape' }).defaultPrevented).toBe(true)
    await nextTick()
    expect(wrapper.find('[data-testid="replying-to"]').exists()).toBe(false)
    expect(press(element, { key: 'Escape' }).defaultPrevented).toBe(false)
  })
})
