import { beforeEach, describe, expect, it } from 'vitest'
import { mountSuspended } from '@nuxt/test-utils/runtime'
import type { VueWrapper } from '@vue/test-utils'
import OutboxItem from '~/components/OutboxItem.vue'
import { useOutboxStore } from '~/stores/outbox'
import type { OutboxItem as Item } from '~/stores/outbox'

const pending: Item = { clientId: 'c-pending', room: 'general', text: 'on its way', createdAt: 1, state: 'pending' }
const failed: Item = { clientId: 'c-failed', room: 'general', text: 'refused', createdAt: 2, state: 'failed', error: 'A message is at most 4000 characters.' }

function button(wrapper: VueWrapper, name: string) {
  const found = wrapper.findAll('button').find(candidate => candidate.text() === name)
  if (!found) throw new Error(`no ${name} button`)
  return found
}

describe('OutboxItem', () => {
  beforeEach(() => {
    useOutboxStore().outbox = [pending, failed]
  })

  it('shows a pending message as being sent, with nothing to act on', async () => {
    const wrapper = await mountSuspended(OutboxItem, { props: { item: pending } })
    expect(wrapper.get('[data-testid="outbox-item"]').attributes('data-state')).toBe('pending')
    expect(wrapper.get('[data-testid="pending"]').text()).toBe('Sending…')
    expect(wrapper.text()).toContain('on its way')
    expect(wrapper.findAll('button')).toHaveLength(0)
  })

  it('shows why a failed message was not sent, as an alert', async () => {
    const wrapper = await mountSuspended(OutboxItem, { props: { item: failed } })
    expect(wrapper.get('[data-testid="outbox-item"]').attributes('data-state')).toBe('failed')
    expect(wrapper.get('[role="alert"]').text()).toBe('Not sent: A message is at most 4000 characters.')
    expect(wrapper.find('[data-testid="pending"]').exists()).toBe(false)
  })

  it('Retry puts the message back in the queue, under the same clientId', async () => {
    const wrapper = await mountSuspended(OutboxItem, { props: { item: failed } })
    await button(wrapper, 'Retry').trigger('click')
    expect(useOutboxStore().outbox.find(item => item.clientId === 'c-failed')).toMatchObject({ state: 'pending', error: undefined })
  })

  it('Discard removes the message from the outbox', async () => {
    const wrapper = await mountSuspended(OutboxItem, { props: { item: failed } })
    await button(wrapper, 'Discard').trigger('click')
    expect(useOutboxStore().outbox.map(item => item.clientId)).toEqual(['c-pending'])
  })
})
