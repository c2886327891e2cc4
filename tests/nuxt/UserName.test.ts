import { afterEach, describe, expect, it } from 'vitest'
import { enableAutoUnmount } from '@vue/test-utils'
import { mountSuspended } from '@nuxt/test-utils/runtime'
import UserName from '~/components/UserName.vue'

enableAutoUnmount(afterEach)

describe('UserName', () => {
  it('isolates the display name, shows the @username when asked and always in the tooltip', async () => {
    // U+202E (right-to-left override) inside a name must not turn the text after it around.
    const user = { id: 'u1', name: 'evil\u202Eeman', username: 'evil' }
    const wrapper = await mountSuspended(UserName, { props: { user, handle: true } })
    expect(wrapper.get('bdi.user-name-display').text()).toBe('evil\u202Eeman')
    expect(wrapper.get('[data-testid="user-handle"]').element.tagName).toBe('BDI')
    expect(wrapper.get('[data-testid="user-handle"]').text()).toBe('@evil')
    expect(wrapper.get('[data-testid="user-name"]').attributes('title')).toBe('evil\u202Eeman (@evil)')
    const plain = await mountSuspended(UserName, { props: { user } })
    expect(plain.find('[data-testid="user-handle"]').exists()).toBe(false)
    expect(plain.get('[data-testid="user-name"]').attributes('title')).toBe('evil\u202Eeman (@evil)')
  })

  it('marks a guest visibly', async () => {
    const wrapper = await mountSuspended(UserName, { props: { user: { id: 'g', name: 'Bo', username: 'bo', guest: true } } })
    expect(wrapper.get('[data-testid="guest-badge"]').text()).toBe('guest')
    expect(wrapper.text()).toBe('Bo guest')
    const member = await mountSuspended(UserName, { props: { user: { id: 'm', name: 'Bo', username: 'bo2' } } })
    expect(member.find('[data-testid="guest-badge"]').exists()).toBe(false)
  })

  it('sets a deleted account apart, without its old username', async () => {
    const user = { id: 'd', name: 'Deleted user', username: 'kim', deleted: true as const }
    const wrapper = await mountSuspended(UserName, { props: { user, handle: true } })
    expect(wrapper.get('[data-testid="user-name"]').classes()).toContain('user-name-deleted')
    expect(wrapper.text()).toBe('Deleted user')
    expect(wrapper.get('[data-testid="user-name"]').attributes('title')).toBe('Deleted user')
  })
})
