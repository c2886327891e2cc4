import { afterEach, describe, expect, it } from 'vitest'
import { enableAutoUnmount } from '@vue/test-utils'
import { mountSuspended } from '@nuxt/test-utils/runtime'
import PasskeySsoLink from '~/components/PasskeySsoLink.vue'

enableAutoUnmount(afterEach)

describe('PasskeySsoLink', () => {
  it('links to single sign-on when the server offers it', async () => {
    const wrapper = await mountSuspended(PasskeySsoLink, { props: { offered: true } })
    expect(wrapper.get('a').attributes('href')).toBe('/auth/oidc')
    expect(wrapper.get('a').text()).toBe('Sign in with SSO')
  })

  it('shows nothing when it is not offered', async () => {
    const wrapper = await mountSuspended(PasskeySsoLink, { props: { offered: false } })
    expect(wrapper.find('a').exists()).toBe(false)
    expect(wrapper.text()).toBe('')
  })

  it('explains a refusal the server sent back, even once SSO is off, and ignores a code it does not know', async () => {
    const refused = await mountSuspended(PasskeySsoLink, { props: { offered: false }, route: '/?sso_error=suspended' })
    expect(refused.get('[role="alert"]').text()).toBe('Single sign-on failed: This account is suspended.')
    refused.unmount()
    const forged = await mountSuspended(PasskeySsoLink, { props: { offered: true }, route: '/?sso_error=<b>gotcha</b>' })
    expect(forged.find('[role="alert"]').exists()).toBe(false)
  })
})
