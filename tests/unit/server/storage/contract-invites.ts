import { beforeEach, describe, expect, it } from 'vitest'
import type { ChatStorage } from '#server/utils/storage/types'
import type { NewInvite } from '#server/utils/storage/invite-types'
import type { StorageUnderTest } from './contract'

const invite = (id: string, extra: Partial<NewInvite> = {}): NewInvite => ({
  id, tokenHash: `hash-${id}`, createdBy: 'owner', createdAt: 1000, expiresAt: 10_000, maxUses: 1, ...extra,
})

/** Invite links as every storage must keep them; runs inside the storage contract (a fresh storage per case). */
export function describeInvites(current: () => StorageUnderTest): void {
  describe('invites', () => {
    let storage: ChatStorage
    beforeEach(() => {
      storage = current().storage
    })

    it('stores an invite and lists it without its token hash, newest first', async () => {
      const first = await storage.createInvite(invite('i1', { maxUses: 3 }))
      expect(first).toEqual({ id: 'i1', createdBy: 'owner', createdAt: 1000, expiresAt: 10_000, maxUses: 3, uses: 0, revokedAt: null })
      await storage.createInvite(invite('i2', { createdAt: 2000 }))
      const listed = await storage.listInvites()
      expect(listed.map(entry => entry.id)).toEqual(['i2', 'i1'])
      expect(JSON.stringify(listed)).not.toContain('hash-')
    })

    it('refuses a second invite with the same token hash', async () => {
      await storage.createInvite(invite('i1'))
      await expect(storage.createInvite(invite('i2', { tokenHash: 'hash-i1' }))).rejects.toThrow()
    })

    it('counts uses up to max_uses and no further', async () => {
      await storage.createInvite(invite('i1', { maxUses: 2 }))
      expect(await storage.redeemInvite('hash-i1', 5000)).toBe(true)
      expect(await storage.redeemInvite('hash-i1', 5000)).toBe(true)
      expect(await storage.redeemInvite('hash-i1', 5000)).toBe(false)
      expect((await storage.listInvites())[0]?.uses).toBe(2)
    })

    it('refuses an unknown, expired or revoked invite', async () => {
      await storage.createInvite(invite('i1', { maxUses: 5 }))
      await storage.createInvite(invite('i2', { maxUses: 5 }))
      expect(await storage.redeemInvite('hash-nope', 5000)).toBe(false)
      expect(await storage.redeemInvite('hash-i1', 10_000)).toBe(false)
      expect(await storage.redeemInvite('hash-i1', 9_999)).toBe(true)
      expect(await storage.revokeInvite('i2', 6000)).toBe(true)
      expect(await storage.revokeInvite('i2', 7000)).toBe(false)
      expect(await storage.revokeInvite('nope', 7000)).toBe(false)
      expect(await storage.redeemInvite('hash-i2', 6500)).toBe(false)
      const revoked = (await storage.listInvites()).find(entry => entry.id === 'i2')
      expect(revoked).toMatchObject({ revokedAt: 6000, uses: 0 })
    })

    it('gives the last use of an invite to exactly one of many sign-ups racing on two instances', async () => {
      const other = await current().openAnother()
      await storage.createInvite(invite('i1', { maxUses: 3 }))
      const writers = [storage, other]
      const results = await Promise.all(Array.from({ length: 20 }, (_, index) => writers[index % 2]!.redeemInvite('hash-i1', 5000)))
      expect(results.filter(Boolean)).toHaveLength(3)
      expect((await other.listInvites())[0]?.uses).toBe(3)
    })
  })
}
