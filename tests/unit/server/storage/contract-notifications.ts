import { beforeEach, describe, expect, it } from 'vitest'
import type { ChatStorage } from '#server/utils/storage/types'
import { MUTED_FOREVER } from '#shared/notification-levels'
import type { StorageUnderTest } from './contract'

/**
 * Notification levels and mutes, as every storage must keep them. Runs inside the storage contract, which gives
 * each case a fresh storage with a public room `general`.
 */
export function describeNotificationChoices(current: () => StorageUnderTest): void {
  describe('notification choices', () => {
    let storage: ChatStorage
    beforeEach(() => {
      storage = current().storage
    })

    it('starts with none: everyone follows the defaults', async () => {
      expect(await storage.notificationChoice('a', 'general')).toBeNull()
      expect(await storage.notificationChoices('a')).toEqual({})
    })

    it('stores a level and a mute per user and room, and replaces them', async () => {
      await storage.createRoom('other', null)
      await storage.setNotificationChoice('a', 'general', { level: 'nothing', mutedUntil: null })
      await storage.setNotificationChoice('a', 'other', { level: null, mutedUntil: MUTED_FOREVER })
      await storage.setNotificationChoice('b', 'general', { level: 'all', mutedUntil: 1_750_000_000_000 })
      expect(await storage.notificationChoices('a')).toEqual({
        general: { level: 'nothing', mutedUntil: null },
        other: { level: null, mutedUntil: MUTED_FOREVER },
      })
      expect(await storage.notificationChoice('b', 'general')).toEqual({ level: 'all', mutedUntil: 1_750_000_000_000 })
      await storage.setNotificationChoice('a', 'general', { level: 'mentions', mutedUntil: 5 })
      expect(await storage.notificationChoice('a', 'general')).toEqual({ level: 'mentions', mutedUntil: 5 })
    })

    it('forgets a choice that is back to the defaults', async () => {
      await storage.setNotificationChoice('a', 'general', { level: 'all', mutedUntil: null })
      await storage.setNotificationChoice('a', 'general', { level: null, mutedUntil: null })
      expect(await storage.notificationChoice('a', 'general')).toBeNull()
      expect(await storage.notificationChoices('a')).toEqual({})
    })

    it('refuses a choice for a room that does not exist', async () => {
      await expect(storage.setNotificationChoice('a', 'ghost', { level: 'all', mutedUntil: null })).rejects.toThrow('Unknown room: ghost')
      expect(await storage.notificationChoices('a')).toEqual({})
    })

    it('keeps choices across a restart', async () => {
      await storage.setNotificationChoice('a', 'general', { level: 'mentions', mutedUntil: MUTED_FOREVER })
      await storage.close()
      const restarted = await current().openAnother()
      expect(await restarted.notificationChoice('a', 'general')).toEqual({ level: 'mentions', mutedUntil: MUTED_FOREVER })
    })
  })
}
