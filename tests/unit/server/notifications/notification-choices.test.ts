import { beforeEach, describe, expect, it } from 'vitest'
import type { ServerEvent } from '#shared/protocol'
import { MUTED_FOREVER } from '#shared/notification-levels'
import type { NotificationLevel } from '#shared/notification-levels'
import { ChatError } from '#server/utils/chat/chat-error'
import { RoomPolicy } from '#server/utils/chat/room-policy'
import { NotificationChoices } from '#server/utils/notifications/notification-choices'
import { createSqliteStorage } from '#server/utils/storage/sqlite'
import type { ChatStorage } from '#server/utils/storage/types'

const NOW = 1_750_000_000_000

describe('NotificationChoices over a real SQLite storage', () => {
  let storage: ChatStorage
  let sent: { userId: string, event: ServerEvent }[]
  let workspaceDefault: NotificationLevel
  let choices: NotificationChoices

  beforeEach(async () => {
    storage = createSqliteStorage(':memory:')
    await storage.createRoom('general', null)
    await storage.createRoom('secret', 'a', { kind: 'private', memberIds: ['a'] })
    await storage.createRoom('dm-a-b', 'a', { kind: 'dm', memberIds: ['a', 'b'] })
    sent = []
    workspaceDefault = 'all'
    choices = new NotificationChoices(storage, new RoomPolicy(storage), { toUser: (userId, event) => sent.push({ userId, event }) }, async () => workspaceDefault)
  })

  it('answers what the stored choice and the workspace default allow, the same for push and signal', async () => {
    expect(await choices.alertsOf('b', 'general', 'mention', NOW)).toMatchObject({ signal: true, push: true })
    await choices.choose('b', 'general', { level: 'all', mutedUntil: NOW + 1000 })
    expect(await choices.alertsOf('b', 'general', 'mention', NOW)).toMatchObject({ badge: 'none', signal: false, push: false })
    expect(await choices.alertsOf('b', 'general', 'mention', NOW + 1000)).toMatchObject({ signal: true, push: true })
    workspaceDefault = 'nothing'
    expect(await choices.alertsOf('a', 'general', 'mention', NOW)).toMatchObject({ badge: 'dot', signal: false, push: false })
    expect(await choices.alertsOf('b', 'dm-a-b', 'direct', NOW)).toMatchObject({ badge: 'count', signal: true, push: true })
  })

  it('tells only the chooser\'s connections, and describes the state with its default', async () => {
    const state = await choices.choose('b', 'dm-a-b', { level: 'nothing', mutedUntil: MUTED_FOREVER })
    expect(state).toEqual({ room: 'dm-a-b', level: 'nothing', mutedUntil: MUTED_FOREVER, effectiveLevel: 'nothing', defaultLevel: 'all' })
    expect(sent).toEqual([{ userId: 'b', event: { type: 'notification-choice', room: 'dm-a-b', level: 'nothing', mutedUntil: MUTED_FOREVER } }])
    expect(await choices.stateFor('b', 'dm-a-b')).toEqual(state)
  })

  it('refuses a non-member of a private room and an unknown room, storing and sending nothing', async () => {
    await expect(choices.choose('b', 'secret', { level: 'all', mutedUntil: null })).rejects.toThrow(ChatError)
    await expect(choices.stateFor('b', 'secret')).rejects.toMatchObject({ code: 'unknown_room' })
    await expect(choices.stateFor('b', 'ghost')).rejects.toMatchObject({ code: 'unknown_room' })
    expect(await storage.notificationChoices('b')).toEqual({})
    expect(sent).toEqual([])
  })
})
