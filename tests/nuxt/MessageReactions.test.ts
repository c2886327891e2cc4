import { afterEach, describe, expect, it } from 'vitest'
import { enableAutoUnmount } from '@vue/test-utils'
import { mountSuspended } from '@nuxt/test-utils/runtime'
import MessageReactions from '~/components/MessageReactions.vue'

enableAutoUnmount(afterEach)

const reactions = [
  { emoji: '👍', userIds: ['ada', 'bob'] },
  { emoji: '🎉', userIds: ['bob'] },
]

function renderReactions(userId: string | undefined) {
  return mountSuspended(MessageReactions, { props: { reactions, userId } })
}

describe('MessageReactions', () => {
  it('shows each emoji with its count, read out as "emoji count"', async () => {
    const wrapper = await renderReactions('ada')
    const chips = wrapper.findAll('[data-testid="reaction"]')
    expect(chips.map(chip => chip.text())).toEqual(['👍 2', '🎉 1'])
    expect(chips.map(chip => chip.attributes('aria-label'))).toEqual(['👍 2', '🎉 1'])
  })

  it('shows as pressed the reactions the viewer gave, and only those', async () => {
    const wrapper = await renderReactions('ada')
    expect(wrapper.findAll('button').map(chip => chip.attributes('aria-pressed'))).toEqual(['true', 'false'])
  })

  it('presses nothing for a viewer who is not signed in', async () => {
    const wrapper = await renderReactions(undefined)
    expect(wrapper.findAll('button').map(chip => chip.attributes('aria-pressed'))).toEqual(['false', 'false'])
  })

  it('emits toggle with the emoji of the chip clicked', async () => {
    const wrapper = await renderReactions('ada')
    await wrapper.findAll('button')[1]!.trigger('click')
    expect(wrapper.emitted('toggle')).toEqual([['🎉']])
  })
})
