import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { enableAutoUnmount, flushPromises } from '@vue/test-utils'
import { mountSuspended, registerEndpoint } from '@nuxt/test-utils/runtime'
import { createError } from 'h3'
import type { AuthMethods } from '~/utils/auth-methods'
import SignInPage from '~/pages/index.vue'

enableAutoUnmount(afterEach)

let methods: AuthMethods
registerEndpoint('/api/auth/methods', () => methods)
registerEndpoint('/api/session', { method: 'GET', handler: () => { throw createError({ statusCode: 401 }) } })

async function mountPage(route = '/') {
  clearNuxtData()
  const wrapper = await mountSuspended(SignInPage, { route })
  await flushPromises()
  return wrapper
}

const passkeySignIn = (wrapper: Awaited<ReturnType<typeof mountPage>>) =>
  wrapper.findAll('button').filter(button => button.text() === 'Sign in with a passkey')

describe('sign-in page', () => {
  beforeEach(() => {
    methods = { password: true, passkeys: true, oidc: false, guests: true }
  })

  it('offers passkey sign-in beside signing in, and passkey sign-up beside creating an account', async () => {
    const wrapper = await mountPage()
    await wrapper.findAll('[role="tab"]')[1]!.trigger('click')
    expect(passkeySignIn(wrapper)).toHaveLength(1)
    expect(wrapper.find('form[aria-label="Sign up with a passkey"]').exists()).toBe(false)
    await wrapper.findAll('[role="tab"]')[2]!.trigger('click')
    expect(wrapper.find('form[aria-label="Sign up with a passkey"]').exists()).toBe(true)
    expect(passkeySignIn(wrapper)).toHaveLength(0)
  })

  it('shows no passkey controls when the server does not offer passkeys', async () => {
    methods = { ...methods, passkeys: false }
    const wrapper = await mountPage()
    for (const tab of wrapper.findAll('[role="tab"]')) {
      await tab.trigger('click')
      expect(wrapper.text()).not.toContain('passkey')
    }
  })

  it('links to single sign-on only when the server offers it', async () => {
    expect((await mountPage()).find('a[href="/auth/oidc"]').exists()).toBe(false)
    methods = { ...methods, oidc: true }
    expect((await mountPage()).get('a[href="/auth/oidc"]').text()).toBe('Sign in with SSO')
  })
})
