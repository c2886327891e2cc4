import { afterEach, describe, expect, it, vi } from 'vitest'
import { enableAutoUnmount } from '@vue/test-utils'
import { mountSuspended, registerEndpoint } from '@nuxt/test-utils/runtime'
import { createError, readBody } from 'h3'
import { MUTED_FOREVER } from '#shared/notification-levels'
import RoomNotifications from '~/components/RoomNotifications.vue'
import RoomList from '~/components/RoomList.vue'
import { useNotificationsStore } from '~/stores/notifications'
import { useRoomsStore } from '~/stores/rooms'

enableAutoUnmount(afterEach)

const saved: unknown[] = []
let refuse = false
registerEndpoint('/api/rooms/plans/notifications', {
  method: 'PUT',
  handler: async (event) => {
    if (refuse) throw createError({ statusCode: 403, statusMessage: 'no', data: { code: 'forbidden', message: 'You are not in this room.' } })
    const body = await readBody<{ level: string | null, mutedUntil: number | null }>(event)
    saved.push(body)
    return { room: 'plans', ...body, defaultLevel: 'all', effectiveLevel: body.level ?? 'all' }
  },
})

afterEach(() => {
  saved.length = 0
  refuse = false
  useNotificationsStore().choices = {}
})

describe('RoomNotifications', () => {
  it('offers the default (named), the three levels, and saves a level', async () => {
    const notifications = useNotificationsStore()
    notifications.workspaceDefault = 'mentions'
    const wrapper = await mountSuspended(RoomNotifications, { props: { room: 'plans' } })
    const level = wrapper.get('[data-testid="notification-level"]')
    expect(level.findAll('option').map(option => option.text())).toEqual(['Default (Mentions only)', 'All messages', 'Mentions only', 'Nothing'])
    await level.setValue('nothing')
    await vi.waitFor(() => expect(notifications.choices.plans).toEqual({ level: 'nothing', mutedUntil: null }))
    expect(saved).toEqual([{ level: 'nothing', mutedUntil: null }])
  })

  it('mutes for an hour, shows the end, and unmutes keeping the level', async () => {
    const notifications = useNotificationsStore()
    notifications.choices = { plans: { level: 'all', mutedUntil: null } }
    const wrapper = await mountSuspended(RoomNotifications, { props: { room: 'plans' } })
    const before = Date.now()
    await wrapper.get('[data-testid="mute"]').setValue('1h')
    await vi.waitFor(() => expect(wrapper.get('[data-testid="mute"]').text()).toMatch(/Muted until/))
    const until = (saved[0] as { mutedUntil: number }).mutedUntil
    expect(until).toBeGreaterThanOrEqual(before + 3_600_000)
    expect(saved[0]).toMatchObject({ level: 'all' })
    await wrapper.get('[data-testid="mute"]').setValue('off')
    await vi.waitFor(() => expect(wrapper.get('[data-testid="mute"]').text()).toMatch(/^Not muted/))
    expect(saved[1]).toEqual({ level: 'all', mutedUntil: null })
  })

  it('shows a refusal and keeps what was chosen before', async () => {
    refuse = true
    const wrapper = await mountSuspended(RoomNotifications, { props: { room: 'plans' } })
    await wrapper.get('[data-testid="notification-level"]').setValue('all')
    await vi.waitFor(() => expect(wrapper.find('[role="alert"]').exists()).toBe(true))
    expect(wrapper.get('[role="alert"]').text()).toContain('You are not in this room.')
    expect(useNotificationsStore().choices).toEqual({})
  })
})

describe('RoomList with notification levels', () => {
  it('shows a muted room\'s icon with its end and no count, and a dot for a mentions-only room', async () => {
    const notifications = useNotificationsStore()
    notifications.workspaceDefault = 'all'
    notifications.now = Date.now()
    notifications.choices = { plans: { level: null, mutedUntil: MUTED_FOREVER }, quiet: { level: 'mentions', mutedUntil: null } }
    const rooms = useRoomsStore()
    rooms.setRooms(['general', 'plans', 'quiet'].map(name => ({ name, createdAt: 1, createdBy: null })), {
      lastSeq: { general: 5, plans: 5, quiet: 5 }, read: { general: 1, plans: 1, quiet: 1 },
    })
    const wrapper = await mountSuspended(RoomList, { props: { current: 'elsewhere' } })
    const items = wrapper.findAll('li')
    expect(items[0]!.get('[data-testid="unread"]').text()).toBe('4')
    expect(items[1]!.get('[data-testid="muted"]').attributes('aria-label')).toBe('Muted until unmuted')
    expect(items[1]!.find('[data-testid="unread"]').exists()).toBe(false)
    expect(items[1]!.find('[data-testid="unread-dot"]').exists()).toBe(false)
    expect(items[2]!.find('[data-testid="unread"]').exists()).toBe(false)
    expect(items[2]!.find('[data-testid="unread-dot"]').exists()).toBe(true)
  })
})
