import { afterEach, describe, expect, it, vi } from 'vitest'
import { enableAutoUnmount, flushPromises } from '@vue/test-utils'
import { mountSuspended, registerEndpoint } from '@nuxt/test-utils/runtime'
import PasskeyManager from '~/components/PasskeyManager.vue'

enableAutoUnmount(afterEach)

const cleanups: (() => void)[] = []
afterEach(() => {
  cleanups.splice(0).forEach(cleanup => cleanup())
  clearNuxtData('account-passkeys')
})

const laptop = { id: 'bGFwdG9w', name: 'Chrome on Linux', createdAt: Date.UTC(2026, 0, 2), lastUsedAt: null, backedUp: false }
const phone = { id: 'cGhvbmU', name: 'Safari on iOS', createdAt: Date.UTC(2026, 0, 3), lastUsedAt: Date.UTC(2026, 0, 4), backedUp: true }

describe('PasskeyManager', () => {
  it('lists the account\'s passkeys and removes the one asked for', async () => {
    let stored = [laptop, phone]
    const removed: string[] = []
    cleanups.push(registerEndpoint('/api/account/passkeys', () => ({ passkeys: stored })))
    cleanups.push(registerEndpoint(`/api/account/passkeys/${laptop.id}`, {
      method: 'DELETE',
      handler: () => {
        removed.push(laptop.id)
        stored = [phone]
        return null
      },
    }))
    const wrapper = await mountSuspended(PasskeyManager)
    const items = wrapper.findAll('[data-testid="passkey"]')
    expect(items.map(item => item.find('span').text())).toEqual(['Chrome on Linux', 'Safari on iOS'])
    expect(items[1]!.text()).toContain('synced')
    await wrapper.get('button[aria-label="Remove passkey Chrome on Linux"]').trigger('click')
    await flushPromises()
    expect(removed).toEqual([laptop.id])
    // The list is fetched again after the removal.
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="passkey"]')).toHaveLength(1))
    expect(wrapper.get('[data-testid="passkey"] span').text()).toBe('Safari on iOS')
  })

  it('shows the server\'s reason when it keeps the last passkey', async () => {
    cleanups.push(registerEndpoint('/api/account/passkeys', () => ({ passkeys: [phone] })))
    cleanups.push(registerEndpoint(`/api/account/passkeys/${phone.id}`, {
      method: 'DELETE',
      handler: () => {
        throw createError({ statusCode: 409, data: { code: 'last_credential', message: 'That is your only way to sign in.' } })
      },
    }))
    const wrapper = await mountSuspended(PasskeyManager)
    await wrapper.get('button[aria-label="Remove passkey Safari on iOS"]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[role="alert"]').text()).toBe('That is your only way to sign in.')
    expect(wrapper.findAll('[data-testid="passkey"]')).toHaveLength(1)
  })

  it('says so when there are none yet', async () => {
    cleanups.push(registerEndpoint('/api/account/passkeys', () => ({ passkeys: [] })))
    const wrapper = await mountSuspended(PasskeyManager)
    expect(wrapper.text()).toContain('No passkeys yet')
    expect(wrapper.get('button').text()).toBe('Add a passkey')
  })
})
