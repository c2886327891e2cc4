import { afterEach, describe, expect, it } from 'vitest'
import { enableAutoUnmount } from '@vue/test-utils'
import { mountSuspended, registerEndpoint } from '@nuxt/test-utils/runtime'
import SeenBy from '~/components/SeenBy.vue'
import { useReceiptsStore } from '~/stores/receipts'
import { useRoomsStore } from '~/stores/rooms'
import { useSessionStore } from '~/stores/session'

enableAutoUnmount(afterEach)

const ada = { id: 'u1', name: 'Ada', username: 'ada' }
const bob = { id: 'u2', name: 'Bob', username: 'bob' }
const cy = { id: 'u3', name: 'Cy', username: 'cy' }
registerEndpoint('/api/rooms/dm-x/receipts', () => ({ receipts: [] }))
registerEndpoint('/api/rooms/team/receipts', () => ({ receipts: [] }))

describe('SeenBy', () => {
  it('says Seen in a direct message once the other person has read the newest message, and nothing before', async () => {
    useSessionStore().signedIn({ user: ada, role: 'member' })
    useRoomsStore().list = [{ name: 'dm-x', createdAt: 1, createdBy: ada.id, kind: 'dm', members: [ada, bob] }]
    const receipts = useReceiptsStore()
    receipts.receiptsByRoom = { 'dm-x': { [bob.id]: 4 } }
    const wrapper = await mountSuspended(SeenBy, { props: { room: 'dm-x', lastSeq: 5 } })
    expect(wrapper.find('[data-testid="seen-by"]').exists()).toBe(false)
    receipts.receiptsByRoom = { 'dm-x': { [bob.id]: 5 } }
    await nextTick()
    expect(wrapper.get('[data-testid="seen-by"]').text()).toBe('Seen')
  })

  it('names who has read it in a small private room, never the viewer', async () => {
    useSessionStore().signedIn({ user: ada, role: 'member' })
    useRoomsStore().list = [{ name: 'team', createdAt: 1, createdBy: ada.id, kind: 'private', members: [ada, bob, cy] }]
    useReceiptsStore().receiptsByRoom = { team: { [ada.id]: 9, [bob.id]: 9, [cy.id]: 3 } }
    const wrapper = await mountSuspended(SeenBy, { props: { room: 'team', lastSeq: 9 } })
    expect(wrapper.get('[data-testid="seen-by"]').text()).toBe('Seen by Bob (@bob)')
  })
})
