import { afterEach, describe, expect, it } from 'vitest'
import { enableAutoUnmount } from '@vue/test-utils'
import { mountSuspended } from '@nuxt/test-utils/runtime'
import { DEFAULT_ROOM } from '#shared/protocol'
import RoomNotFound from '~/components/RoomNotFound.vue'

enableAutoUnmount(afterEach)

describe('RoomNotFound', () => {
  it('names the missing room and links to the default one', async () => {
    const wrapper = await mountSuspended(RoomNotFound, { props: { room: 'nowhere' } })
    expect(wrapper.text()).toContain('#nowhere')
    expect(wrapper.get('a').attributes('href')).toBe(`/rooms/${DEFAULT_ROOM}`)
  })
})
