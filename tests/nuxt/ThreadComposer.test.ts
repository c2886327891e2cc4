import { beforeEach, describe, expect, it } from 'vitest'
import { mountSuspended } from '@nuxt/test-utils/runtime'
import ThreadComposer from '~/components/ThreadComposer.vue'
import { useOutboxStore } from '~/stores/outbox'

describe('ThreadComposer', () => {
  beforeEach(() => {
    useOutboxStore().outbox = []
  })

  async function mountComposer() {
    const wrapper = await mountSuspended(ThreadComposer, { props: { room: 'general', rootId: 'root-1' } })
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
})
