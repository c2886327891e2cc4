import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { enableAutoUnmount, flushPromises } from '@vue/test-utils'
import { mountSuspended, registerEndpoint } from '@nuxt/test-utils/runtime'
import { createError, readBody } from 'h3'
import type { H3Event } from 'h3'
import AccountDelete from '~/components/AccountDelete.vue'
import AccountNames from '~/components/AccountNames.vue'
import AccountPassword from '~/components/AccountPassword.vue'
import AccountSessions from '~/components/AccountSessions.vue'
import AccountPage from '~/pages/account.vue'
import { useSessionStore } from '~/stores/session'

enableAutoUnmount(afterEach)

const ada = { id: 'u1', name: 'Ada', username: 'ada' }
const calls: Array<{ method: string, url: string, body?: unknown }> = []
let reply: (event: H3Event) => unknown

async function note(event: H3Event, url: string) {
  calls.push({ method: event.method, url, ...(event.method !== 'GET' && { body: await readBody(event).catch(() => undefined) }) })
  return reply(event)
}

function refusal(statusCode: number, code: string, message: string) {
  return createError({ statusCode, statusMessage: message, message, data: { code, message } })
}

const sessionList = [
  { id: 'a'.repeat(64), device: 'Chrome on Linux', ip: '10.0.0.1', createdAt: 1, lastSeenAt: Date.now(), expiresAt: 2, current: true },
  { id: 'b'.repeat(64), device: 'Firefox on Android', ip: '10.0.0.2', createdAt: 1, lastSeenAt: Date.now() - 60_000, expiresAt: 2, current: false },
]
let sessionsNow = sessionList
let accountRole: 'member' | 'guest' = 'member'

registerEndpoint('/api/account', {
  method: 'PATCH',
  handler: async (event) => {
    await note(event, '/api/account')
    return reply(event)
  },
})
registerEndpoint('/api/account', {
  method: 'GET',
  handler: () => ({
    user: accountRole === 'guest' ? { ...ada, guest: true } : ada,
    account: { username: 'ada', displayName: 'Ada', role: accountRole, createdAt: 1, hasPassword: accountRole !== 'guest', singleSignOn: false },
  }),
})
registerEndpoint('/api/account/passkeys', { method: 'GET', handler: () => ({ passkeys: [{ id: 'a2V5', name: 'Chrome on Linux', createdAt: 1, lastUsedAt: null, backedUp: true }] }) })
registerEndpoint('/api/account/password', { method: 'PUT', handler: event => note(event, '/api/account/password') })
registerEndpoint('/api/account/sessions', { method: 'GET', handler: () => ({ sessions: sessionsNow }) })
// The other device's session, by its exact address (registerEndpoint matches whole paths).
registerEndpoint(`/api/account/sessions/${sessionList[1]!.id}`, {
  method: 'DELETE',
  handler: () => {
    calls.push({ method: 'DELETE', url: `/api/account/sessions/${sessionList[1]!.id}` })
    sessionsNow = sessionsNow.filter(entry => entry.id !== sessionList[1]!.id)
    return null
  },
})

beforeEach(() => {
  calls.length = 0
  sessionsNow = sessionList
  accountRole = 'member'
  reply = () => ({})
})

describe('AccountNames', () => {
  it('sends only what changed and puts the new names in the session store', async () => {
    useSessionStore().signedIn({ user: ada, role: 'member' })
    reply = () => ({ user: { ...ada, name: 'Ada Lovelace' } })
    const wrapper = await mountSuspended(AccountNames, { props: { username: 'ada', displayName: 'Ada' } })
    await wrapper.get('#account-display-name').setValue('Ada Lovelace')
    await wrapper.get('form').trigger('submit')
    await vi.waitFor(() => expect(wrapper.find('[role="status"]').exists()).toBe(true))
    expect(calls).toEqual([{ method: 'PATCH', url: '/api/account', body: { displayName: 'Ada Lovelace' } }])
    expect(useSessionStore().user).toEqual({ ...ada, name: 'Ada Lovelace' })
  })

  it('shows a taken username as the server words it, and keeps the old names', async () => {
    useSessionStore().signedIn({ user: ada, role: 'member' })
    reply = () => { throw refusal(409, 'name_taken', 'The username "bob" is taken, or looks like one that is.') }
    const wrapper = await mountSuspended(AccountNames, { props: { username: 'ada', displayName: 'Ada' } })
    await wrapper.get('#account-username').setValue('bob')
    await wrapper.get('form').trigger('submit')
    await vi.waitFor(() => expect(wrapper.find('[role="alert"]').exists()).toBe(true))
    expect(wrapper.get('[role="alert"]').text()).toBe('The username "bob" is taken, or looks like one that is.')
    expect(useSessionStore().user).toEqual(ada)
  })
})

describe('AccountPassword', () => {
  it('asks for the current password when there is one, and says how many other sessions were signed out', async () => {
    reply = () => ({ endedSessions: 2 })
    const wrapper = await mountSuspended(AccountPassword, { props: { hasPassword: true } })
    await wrapper.get('#account-current-password').setValue('old one here')
    await wrapper.get('#account-new-password').setValue('a brand new one')
    await wrapper.get('form').trigger('submit')
    await vi.waitFor(() => expect(wrapper.find('[role="status"]').exists()).toBe(true))
    expect(calls).toEqual([{ method: 'PUT', url: '/api/account/password', body: { password: 'a brand new one', current: 'old one here' } }])
    expect(wrapper.get('[role="status"]').text()).toBe('Password changed. 2 other sessions were signed out.')
  })

  it('sets a first password without asking for a current one, and shows a refusal', async () => {
    reply = () => { throw refusal(400, 'weak_password', 'Choose a password of at least 8 characters.') }
    const wrapper = await mountSuspended(AccountPassword, { props: { hasPassword: false } })
    expect(wrapper.find('#account-current-password').exists()).toBe(false)
    await wrapper.get('#account-new-password').setValue('short')
    await wrapper.get('form').trigger('submit')
    await vi.waitFor(() => expect(wrapper.find('[role="alert"]').exists()).toBe(true))
    expect(calls[0]!.body).toEqual({ password: 'short' })
    expect(wrapper.get('[role="alert"]').text()).toBe('Choose a password of at least 8 characters.')
  })
})

describe('AccountSessions', () => {
  it('lists each session with device, address and "This device", and ends another one', async () => {
    const wrapper = await mountSuspended(AccountSessions)
    await flushPromises()
    const rows = wrapper.findAll('[data-testid="account-session"]')
    expect(rows.map(row => row.text())).toEqual([
      expect.stringMatching(/^Chrome on Linux\s*This device\s*10\.0\.0\.1 · last seen/),
      expect.stringMatching(/^Firefox on Android\s*10\.0\.0\.2 · last seen/),
    ])
    // Only other devices can be ended one by one; this one signs out with the page's own button.
    expect(rows[0]!.find('button').exists()).toBe(false)
    await rows[1]!.get('button').trigger('click')
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="account-session"]')).toHaveLength(1))
    expect(calls).toEqual([{ method: 'DELETE', url: `/api/account/sessions/${'b'.repeat(64)}` }])
  })
})

describe('AccountDelete', () => {
  it('says what happens to the messages before anything is deleted, and asks for the password', async () => {
    const wrapper = await mountSuspended(AccountDelete, { props: { hasPassword: true } })
    expect(wrapper.text()).toContain('Your messages stay in their rooms, shown as written by “Deleted user”.')
    expect(wrapper.find('#account-delete-password').exists()).toBe(false)
    await wrapper.get('button').trigger('click')
    expect(wrapper.find('#account-delete-password').exists()).toBe(true)
  })
})

describe('account page', () => {
  it('shows a member the password form, their role, and their passkeys', async () => {
    const wrapper = await mountSuspended(AccountPage)
    await flushPromises()
    expect(wrapper.get('[data-testid="account-role"]').text()).toBe('Member')
    expect(wrapper.find('[data-testid="account-password"]').exists()).toBe(true)
    const place = wrapper.get('[data-testid="passkeys-place"]')
    expect(place.findAll('[data-testid="passkey"]').map(item => item.find('span').text())).toEqual(['Chrome on Linux'])
    expect(place.get('button:not([aria-label])').text()).toBe('Add a passkey')
    expect(wrapper.find('[data-testid="guest-note"]').exists()).toBe(false)
  })

  it('gives a guest a note instead of password and passkeys, and still lets them rename', async () => {
    accountRole = 'guest'
    const wrapper = await mountSuspended(AccountPage)
    await flushPromises()
    expect(wrapper.find('[data-testid="guest-note"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="account-password"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="passkeys-place"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="account-names"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="guest-badge"]').exists()).toBe(true)
  })
})
