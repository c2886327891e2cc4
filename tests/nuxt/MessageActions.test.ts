import { afterEach, describe, expect, it } from 'vitest'
import { enableAutoUnmount } from '@vue/test-utils'
import { mountSuspended } from '@nuxt/test-utils/runtime'
import MessageActions from '~/components/MessageActions.vue'

function renderActions(own: boolean, moderate = false, pin: { pinned?: boolean, unpin?: boolean } = {}) {
  // Attached to the document, so focus and keyboard moves behave as on the page.
  return mountSuspended(MessageActions, { props: { own, moderate, ...pin }, attachTo: document.body })
}

enableAutoUnmount(afterEach)

const labelsOf = (wrapper: Awaited<ReturnType<typeof renderActions>>) =>
  wrapper.findAll('button').map(button => button.attributes('aria-label'))

describe('MessageActions', () => {
  it('is a toolbar named for what it is', async () => {
    const wrapper = await renderActions(false)
    expect(wrapper.attributes('role')).toBe('toolbar')
    expect(wrapper.attributes('aria-label')).toBe('Message actions')
  })

  it('offers everyone the quick reactions and a pin, named for what they do', async () => {
    const wrapper = await renderActions(false)
    expect(labelsOf(wrapper)).toEqual(['React with 👍', 'React with 🎉', 'React with ❤️', 'React with 😂', 'Pin message for the room', 'React with another emoji'])
  })

  it('offers unpin on a pinned message only to who may take the pin back', async () => {
    const pinner = await renderActions(false, false, { pinned: true, unpin: true })
    expect(labelsOf(pinner).at(-2)).toBe('Unpin message')
    await pinner.get('[aria-label="Unpin message"]').trigger('click')
    expect(pinner.emitted('unpin')).toHaveLength(1)
    const bystander = await renderActions(false, false, { pinned: true })
    expect(labelsOf(bystander)).not.toContain('Unpin message')
    expect(labelsOf(bystander)).not.toContain('Pin message for the room')
    const unpinned = await renderActions(false)
    await unpinned.get('[aria-label="Pin message for the room"]').trigger('click')
    expect(unpinned.emitted('pin')).toHaveLength(1)
  })

  it('emits react with the emoji of the reaction clicked', async () => {
    const wrapper = await renderActions(false)
    await wrapper.get('[aria-label="React with 🎉"]').trigger('click')
    expect(wrapper.emitted('react')).toEqual([['🎉']])
  })

  it('offers edit and delete only to the author', async () => {
    const others = await renderActions(false)
    expect(others.text()).not.toMatch(/Edit|Delete/)
    const mine = await renderActions(true)
    expect(labelsOf(mine).slice(-3, -1)).toEqual(['Edit message', 'Delete message'])
    expect(mine.findAll('button').slice(-3, -1).map(button => button.text())).toEqual(['Edit', 'Delete'])
  })

  it('offers a moderator delete (not edit) on someone else\'s message, and the author no more than before', async () => {
    const moderating = await renderActions(false, true)
    expect(labelsOf(moderating).slice(5, -1)).toEqual(['Delete message as moderator'])
    await moderating.get('[aria-label="Delete message as moderator"]').trigger('click')
    expect(moderating.emitted('delete')).toHaveLength(1)
    const ownWhileModerating = await renderActions(true, true)
    expect(labelsOf(ownWhileModerating).slice(5, -1)).toEqual(['Edit message', 'Delete message'])
  })

  it('emits edit and delete from their buttons, and nothing else', async () => {
    const wrapper = await renderActions(true)
    await wrapper.get('[aria-label="Edit message"]').trigger('click')
    expect(wrapper.emitted('edit')).toHaveLength(1)
    expect(wrapper.emitted('delete')).toBeUndefined()
    await wrapper.get('[aria-label="Delete message"]').trigger('click')
    expect(wrapper.emitted('delete')).toHaveLength(1)
    expect(wrapper.emitted('react')).toBeUndefined()
  })

  it('is one Tab stop, on the first button until another is used', async () => {
    const wrapper = await renderActions(true)
    const tabIndexes = () => wrapper.findAll('button').map(button => button.attributes('tabindex'))
    expect(tabIndexes()).toEqual(['0', '-1', '-1', '-1', '-1', '-1', '-1', '-1'])
    await wrapper.get('[aria-label="Edit message"]').trigger('focus')
    expect(tabIndexes()).toEqual(['-1', '-1', '-1', '-1', '-1', '0', '-1', '-1'])
    await wrapper.get('[aria-label="React with another emoji"]').trigger('focusin')
    expect(tabIndexes()).toEqual(['-1', '-1', '-1', '-1', '-1', '-1', '-1', '0'])
  })

  it('moves focus with the arrow keys, wrapping around, and to either end with Home and End', async () => {
    const wrapper = await renderActions(true)
    const buttons = wrapper.findAll('button')
    const focusedLabel = () => document.activeElement?.getAttribute('aria-label')
    buttons[0]!.element.focus()
    await buttons[0]!.trigger('keydown', { key: 'ArrowRight' })
    expect(focusedLabel()).toBe('React with 🎉')
    await wrapper.trigger('keydown', { key: 'ArrowLeft' })
    await wrapper.trigger('keydown', { key: 'ArrowLeft' })
    expect(focusedLabel()).toBe('React with another emoji')
    await wrapper.trigger('keydown', { key: 'ArrowLeft' })
    expect(focusedLabel()).toBe('Delete message')
    await wrapper.trigger('keydown', { key: 'ArrowRight' })
    await wrapper.trigger('keydown', { key: 'ArrowRight' })
    expect(focusedLabel()).toBe('React with 👍')
    await wrapper.trigger('keydown', { key: 'End' })
    expect(focusedLabel()).toBe('React with another emoji')
    await wrapper.trigger('keydown', { key: 'Home' })
    expect(focusedLabel()).toBe('React with 👍')
  })
})

describe('MessageActions with replies', () => {
  it('offers Reply and Thread after the quick reactions, as toolbar buttons, and emits each', async () => {
    const wrapper = await mountSuspended(MessageActions, { props: { own: false, replies: true }, attachTo: document.body })
    expect(wrapper.findAll('button').map(button => button.attributes('aria-label')).slice(4, 6)).toEqual(['Reply to message', 'Reply in thread'])
    await wrapper.get('[aria-label="Reply to message"]').trigger('click')
    await wrapper.get('[aria-label="Reply in thread"]').trigger('click')
    expect(wrapper.emitted('reply')).toHaveLength(1)
    expect(wrapper.emitted('thread')).toHaveLength(1)
    // Still one Tab stop: every other button is out of the Tab order.
    expect(wrapper.findAll('button[tabindex="0"]')).toHaveLength(1)
  })
})
