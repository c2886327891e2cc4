import { afterEach, describe, expect, it } from 'vitest'
import { enableAutoUnmount } from '@vue/test-utils'
import { mountSuspended } from '@nuxt/test-utils/runtime'
import MessageEditor from '~/components/MessageEditor.vue'

enableAutoUnmount(afterEach)

async function editMessage(text: string) {
  // Attached to the document, so the editor can take focus as it does on the page.
  const wrapper = await mountSuspended(MessageEditor, { props: { text }, attachTo: document.body })
  return { wrapper, field: wrapper.get('textarea') }
}

describe('MessageEditor', () => {
  it('opens on the message text, focused and labelled', async () => {
    const { field } = await editMessage('first draft')
    expect(field.element.value).toBe('first draft')
    expect(field.attributes('aria-label')).toBe('Edit message')
    expect(document.activeElement).toBe(field.element)
  })

  it('saves the trimmed text on Enter', async () => {
    const { wrapper, field } = await editMessage('first draft')
    await field.setValue('  final text \n')
    await field.trigger('keydown', { key: 'Enter' })
    expect(wrapper.emitted('save')).toEqual([['final text']])
  })

  it('keeps editing on Shift+Enter and on an Enter that confirms an IME candidate', async () => {
    const { wrapper, field } = await editMessage('first draft')
    await field.setValue('changed')
    await field.trigger('keydown', { key: 'Enter', shiftKey: true })
    await field.trigger('keydown', { key: 'Enter', isComposing: true })
    await field.trigger('keydown', { key: 'Enter', keyCode: 229 })
    expect(wrapper.emitted('save')).toBeUndefined()
    expect(wrapper.emitted('cancel')).toBeUndefined()
  })

  it('cancels on Escape without saving', async () => {
    const { wrapper, field } = await editMessage('first draft')
    await field.setValue('changed my mind')
    await field.trigger('keydown', { key: 'Escape' })
    expect(wrapper.emitted('cancel')).toHaveLength(1)
    expect(wrapper.emitted('save')).toBeUndefined()
  })

  it('cancels rather than saves when the text did not change', async () => {
    const { wrapper, field } = await editMessage('first draft')
    await field.setValue('first draft  ')
    await field.trigger('keydown', { key: 'Enter' })
    expect(wrapper.emitted('cancel')).toHaveLength(1)
    expect(wrapper.emitted('save')).toBeUndefined()
  })

  it('will not save blank text: Enter does nothing and Save is disabled', async () => {
    const { wrapper, field } = await editMessage('first draft')
    await field.setValue('   ')
    await field.trigger('keydown', { key: 'Enter' })
    expect(wrapper.emitted('save')).toBeUndefined()
    expect(wrapper.emitted('cancel')).toBeUndefined()
    expect(wrapper.get('button[type="submit"]').attributes('disabled')).toBeDefined()
  })

  it('saves from the Save button and cancels from the Cancel button', async () => {
    const { wrapper, field } = await editMessage('first draft')
    await field.setValue('by mouse')
    await wrapper.get('form').trigger('submit')
    expect(wrapper.emitted('save')).toEqual([['by mouse']])
    await wrapper.get('button[type="button"]').trigger('click')
    expect(wrapper.emitted('cancel')).toHaveLength(1)
  })
})
