import { afterEach, describe, expect, it } from 'vitest'
import { enableAutoUnmount } from '@vue/test-utils'
import { clearNuxtData } from '#app'
import { mountSuspended, registerEndpoint } from '@nuxt/test-utils/runtime'
import AdminLink from '~/components/AdminLink.vue'

enableAutoUnmount(afterEach)
afterEach(() => clearNuxtData('admin-link-session'))

const signedInAs = (role: string) => registerEndpoint('/api/session', () => ({ user: { id: 'u', name: 'U', username: 'u' }, role }))

describe('AdminLink', () => {
  it.each(['owner', 'admin'])('links a %s to the admin page', async (role) => {
    signedInAs(role)
    const wrapper = await mountSuspended(AdminLink)
    expect(wrapper.get('a').attributes('href')).toBe('/admin')
  })

  it.each(['member', 'guest'])('shows a %s nothing', async (role) => {
    signedInAs(role)
    const wrapper = await mountSuspended(AdminLink)
    expect(wrapper.find('a').exists()).toBe(false)
  })
})
