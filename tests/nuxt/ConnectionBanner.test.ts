import { beforeEach, describe, expect, it } from 'vitest'
import { mountSuspended } from '@nuxt/test-utils/runtime'
import ConnectionBanner from '~/components/ConnectionBanner.vue'
import { useConnectionStore } from '~/stores/connection'

describe('ConnectionBanner', () => {
  beforeEach(() => {
    const connection = useConnectionStore()
    connection.status = 'idle'
    connection.reconnectAt = null
    connection.offline = false
    connection.needsSignIn = false
  })

  async function banner() {
    const wrapper = await mountSuspended(ConnectionBanner)
    return { wrapper, region: wrapper.get('[data-testid="connection-status"]'), connection: useConnectionStore() }
  }

  it('is a live region that exists before it has anything to say, and is empty once connected', async () => {
    const { wrapper, region, connection } = await banner()
    expect(region.attributes('role')).toBe('status')
    connection.status = 'open'
    await wrapper.vm.$nextTick()
    expect(region.text()).toBe('')
  })

  it('says it is connecting until the socket is welcomed', async () => {
    const { wrapper, region, connection } = await banner()
    expect(region.text()).toBe('Connecting…')
    connection.status = 'connecting'
    await wrapper.vm.$nextTick()
    expect(region.text()).toBe('Connecting…')
  })

  it('counts down to the next reconnect attempt', async () => {
    const { wrapper, region, connection } = await banner()
    connection.status = 'reconnecting'
    connection.reconnectAt = Date.now() + 4_500
    await wrapper.vm.$nextTick()
    expect(region.text()).toBe('Reconnecting in 5 s…')
    expect(region.classes()).toContain('connection-banner-reconnecting')
  })

  it('says messages wait while the browser is offline', async () => {
    const { wrapper, region, connection } = await banner()
    connection.status = 'reconnecting'
    connection.offline = true
    await wrapper.vm.$nextTick()
    expect(region.text()).toBe('You are offline. Messages will be sent when you are back.')
    expect(region.classes()).toContain('connection-banner-offline')
  })

  it('offers to sign in again when the session ended', async () => {
    const { wrapper, region, connection } = await banner()
    connection.status = 'closed'
    connection.offline = true
    connection.needsSignIn = true
    await wrapper.vm.$nextTick()
    expect(region.text()).toBe('Your session ended. Sign in again.')
    expect(region.get('a').attributes('href')).toBe('/')
  })
})
