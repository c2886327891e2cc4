import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { h } from 'vue'
import { enableAutoUnmount, flushPromises } from '@vue/test-utils'
import { mountSuspended, registerEndpoint } from '@nuxt/test-utils/runtime'
import { createError, readBody, setResponseHeader } from 'h3'
import type { H3Event } from 'h3'
import SignInForm from '~/components/SignInForm.vue'

enableAutoUnmount(afterEach)

type Methods = { password: boolean, passkeys: boolean, oidc: boolean, guests: boolean }
const ALL: Methods = { password: true, passkeys: false, oidc: false, guests: true }
const ada = { id: 'u1', name: 'Ada', username: 'ada' }

let methods: Methods | null
let received: Record<string, unknown[]> = {}
let answer: (url: string, event: H3Event) => unknown

function record(url: string) {
  return async (event: H3Event) => {
    ;(received[url] ??= []).push(await readBody(event))
    return answer(url, event)
  }
}

registerEndpoint('/api/auth/methods', () => {
  if (!methods) throw createError({ statusCode: 404 })
  return methods
})
registerEndpoint('/api/session', { method: 'POST', handler: record('/api/session') })
registerEndpoint('/api/auth/login', { method: 'POST', handler: record('/api/auth/login') })
registerEndpoint('/api/auth/register', { method: 'POST', handler: record('/api/auth/register') })

function refusal(statusCode: number, code: string, message: string) {
  return createError({ statusCode, statusMessage: message, message, data: { code, message } })
}

const signedIn = vi.fn()

async function mountForm(route = '/') {
  clearNuxtData('auth-methods')
  const wrapper = await mountSuspended(SignInForm, { route, props: { onSignedIn: signedIn } })
  await flushPromises()
  return wrapper
}

const tabNames = (wrapper: Awaited<ReturnType<typeof mountForm>>) => wrapper.findAll('[role="tab"]').map(tab => tab.text())

describe('SignInForm', () => {
  beforeEach(() => {
    methods = ALL
    received = {}
    answer = () => ({ user: ada, role: 'member' })
    signedIn.mockReset()
  })

  it('offers joining as a guest first, then signing in and creating an account, when guests may join', async () => {
    const wrapper = await mountForm()
    expect(tabNames(wrapper)).toEqual(['Guest', 'Sign in', 'Create account'])
    expect(wrapper.find('[data-testid="guest-form"]').exists()).toBe(true)
    expect(wrapper.get('[role="tab"][aria-selected="true"]').text()).toBe('Guest')
  })

  it('has no guest way in when the workspace takes no guests', async () => {
    methods = { ...ALL, guests: false }
    const wrapper = await mountForm()
    expect(tabNames(wrapper)).toEqual(['Sign in', 'Create account'])
    expect(wrapper.find('[data-testid="guest-form"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="password-sign-in-form"]').exists()).toBe(true)
    expect(wrapper.text()).not.toContain('guest')
  })

  it('falls back to the password forms and guests when the server does not say', async () => {
    methods = null
    const wrapper = await mountForm()
    expect(tabNames(wrapper)).toEqual(['Guest', 'Sign in', 'Create account'])
  })

  it('signs in with a username and password and hands on the user and role', async () => {
    const wrapper = await mountForm()
    await wrapper.findAll('[role="tab"]')[1]!.trigger('click')
    await wrapper.get('#sign-in-username').setValue('  ada ')
    await wrapper.get('#sign-in-password').setValue('correct horse')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(received['/api/auth/login']).toEqual([{ username: 'ada', password: 'correct horse' }])
    await vi.waitFor(() => expect(signedIn).toHaveBeenCalled())
    expect(signedIn.mock.calls).toEqual([[{ user: ada, role: 'member' }]])
  })

  it('shows a refused sign-in in the server\'s own words, as an alert', async () => {
    answer = () => { throw refusal(401, 'invalid_credentials', 'Wrong username or password.') }
    const wrapper = await mountForm()
    await wrapper.findAll('[role="tab"]')[1]!.trigger('click')
    await wrapper.get('#sign-in-username').setValue('ada')
    await wrapper.get('#sign-in-password').setValue('nope nope')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    await vi.waitFor(() => expect(wrapper.find('[role="alert"]').exists()).toBe(true))
    expect(wrapper.get('[role="alert"]').text()).toBe('Wrong username or password.')
    expect(signedIn).not.toHaveBeenCalled()
  })

  it('says when to try again after too many attempts (Retry-After)', async () => {
    answer = (_url, event) => {
      setResponseHeader(event, 'retry-after', 8)
      throw refusal(429, 'too_many_attempts', 'Too many failed sign-ins: wait a while before trying again.')
    }
    const wrapper = await mountForm()
    await wrapper.findAll('[role="tab"]')[1]!.trigger('click')
    await wrapper.get('#sign-in-username').setValue('ada')
    await wrapper.get('#sign-in-password').setValue('guess guess')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    await vi.waitFor(() => expect(wrapper.find('[role="alert"]').exists()).toBe(true))
    expect(wrapper.get('[role="alert"]').text())
      .toBe('Too many failed sign-ins: wait a while before trying again. You can try again in 8 seconds.')
  })

  it('opens on "Create account" from an invite link, and sends the invite along', async () => {
    answer = () => ({ user: ada, role: 'member' })
    const wrapper = await mountForm('/?invite=tok-123')
    expect(wrapper.get('[role="tab"][aria-selected="true"]').text()).toBe('Create account')
    expect(wrapper.find('[data-testid="invite-note"]').exists()).toBe(true)
    await wrapper.get('#sign-up-username').setValue('ada')
    await wrapper.get('#sign-up-display-name').setValue('Ada Lovelace')
    await wrapper.get('#sign-up-password').setValue('analytical engine')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(received['/api/auth/register']).toEqual([{ username: 'ada', displayName: 'Ada Lovelace', password: 'analytical engine', invite: 'tok-123' }])
    await vi.waitFor(() => expect(signedIn).toHaveBeenCalledTimes(1))
  })

  it('shows why an account cannot be created, as the server words it', async () => {
    answer = () => { throw refusal(409, 'name_taken', 'The username "ada" is taken, or looks like one that is.') }
    const wrapper = await mountForm()
    await wrapper.findAll('[role="tab"]')[2]!.trigger('click')
    await wrapper.get('#sign-up-username').setValue('ada')
    await wrapper.get('#sign-up-password').setValue('analytical engine')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    await vi.waitFor(() => expect(wrapper.find('[role="alert"]').exists()).toBe(true))
    expect(wrapper.get('[role="alert"]').text()).toBe('The username "ada" is taken, or looks like one that is.')
  })

  it('joins as a guest with only a name, and shows a refused name', async () => {
    answer = () => { throw refusal(403, 'guests_disabled', 'This workspace does not take guests: sign in with an account.') }
    const wrapper = await mountForm()
    await wrapper.get('#guest-name').setValue('Ada')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(received['/api/session']).toEqual([{ name: 'Ada' }])
    await vi.waitFor(() => expect(wrapper.find('[role="alert"]').exists()).toBe(true))
    expect(wrapper.get('[role="alert"]').text()).toBe('This workspace does not take guests: sign in with an account.')
  })

  it('tells the passkey slot the open tab, and the username only while the sign-in tab holds it', async () => {
    clearNuxtData('auth-methods')
    const wrapper = await mountSuspended(SignInForm, {
      slots: { passkey: ({ mode, username }: { mode?: string, username: string }) => h('output', `${mode}|${username}`) },
    })
    await flushPromises()
    expect(wrapper.get('output').text()).toBe('guest|')
    await wrapper.findAll('[role="tab"]')[1]!.trigger('click')
    await wrapper.get('#sign-in-username').setValue('ada')
    expect(wrapper.get('output').text()).toBe('sign-in|ada')
    await wrapper.findAll('[role="tab"]')[2]!.trigger('click')
    expect(wrapper.get('output').text()).toBe('sign-up|')
  })

  it('moves between the tabs with the arrow keys', async () => {
    const wrapper = await mountForm()
    await wrapper.get('[role="tab"][aria-selected="true"]').trigger('keydown', { key: 'ArrowRight' })
    expect(wrapper.get('[role="tab"][aria-selected="true"]').text()).toBe('Sign in')
    await wrapper.get('[role="tab"][aria-selected="true"]').trigger('keydown', { key: 'ArrowLeft' })
    await wrapper.get('[role="tab"][aria-selected="true"]').trigger('keydown', { key: 'ArrowLeft' })
    expect(wrapper.get('[role="tab"][aria-selected="true"]').text()).toBe('Create account')
  })
})
