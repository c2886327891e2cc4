import { afterEach, describe, expect, it } from 'vitest'
import { enableAutoUnmount } from '@vue/test-utils'
import { mountSuspended, registerEndpoint } from '@nuxt/test-utils/runtime'
import PasskeySsoLink from '~/components/PasskeySsoLink.vue'

enableAutoUnmount(afterEach)

let unregister: () => void = () => {}
afterEach(() => {
  unregister()
  clearNuxtData('auth-methods')
})

const methods = (oidc: boolean) => {
  unregister = registerEndpoint('/api/auth/methods', () => ({ password: true, passkeys: true, oidc, guests: true }))
}

describe('PasskeySsoLink', () => {
  it('links to single sign-on when the server has it configured', async () => {
    methods(true)
    const wrapper = await mountSuspended(PasskeySsoLink)
    expect(wrapper.get('a').attributes('href')).toBe('/auth/oidc')
    expect(wrapper.get('a').text()).toBe('Sign in with SSO')
  })

  it('shows nothing when it is not configured', async () => {
    methods(false)
    const wrapper = await mountSuspended(PasskeySsoLink)
    expect(wrapper.find('a').exists()).toBe(false)
    expect(wrapper.text()).toBe('')
  })

  it('explains a refusal the server sent back, and ignores a code it does not know', async () => {
    methods(true)
    const refused = await mountSuspended(PasskeySsoLink, { route: '/?sso_error=suspended' })
    expect(refused.get('[role="alert"]').text()).toBe('Single sign-on failed: This account is suspended.')
    refused.unmount()
    const forged = await mountSuspended(PasskeySsoLink, { route: '/?sso_error=<b>gotcha</b>' })
    expect(forged.find('[role="alert"]').exists()).toBe(false)
  })
})
