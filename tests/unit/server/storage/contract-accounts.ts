import { beforeEach, describe, expect, it } from 'vitest'
import type { ChatStorage } from '#server/utils/storage/types'
import type { NewAccount } from '#server/utils/storage/account-types'
import type { StorageUnderTest } from './contract'

const account = (id: string, username: string, extra: Partial<NewAccount> = {}): NewAccount => ({
  id, username, usernameKey: username.toLowerCase(), displayName: username, role: 'member', passwordHash: null, now: 1, ownerIfFirst: false, ...extra,
})

/**
 * Accounts, sessions, settings, sign-in failures and the audit log, as every storage must keep them. Runs inside
 * the storage contract, which gives each case a fresh storage; `current` returns that case's storage.
 */
export function describeAccounts(current: () => StorageUnderTest): void {
  describe('accounts', () => {
    let storage: ChatStorage
    beforeEach(() => {
      storage = current().storage
    })

    it('gives a username key to one account only', async () => {
      expect(await storage.createAccount(account('a', 'alice'))).toMatchObject({ id: 'a', username: 'alice', role: 'member', hasPassword: false })
      expect(await storage.createAccount(account('b', 'ALICE'))).toBeNull()
      expect((await storage.accountByUsernameKey('alice'))?.id).toBe('a')
    })

    it('makes the first account with ownerIfFirst the owner, and only that one, even when two race', async () => {
      const other = await current().openAnother()
      const [first, second] = await Promise.all([
        storage.createAccount(account('a', 'alice', { ownerIfFirst: true })),
        other.createAccount(account('b', 'bob', { ownerIfFirst: true })),
      ])
      expect([first?.role, second?.role].sort()).toEqual(['member', 'owner'])
      expect((await storage.createAccount(account('c', 'carol', { ownerIfFirst: true })))?.role).toBe('member')
    })

    it('changes names, refusing a username key another account holds', async () => {
      await storage.createAccount(account('a', 'alice'))
      await storage.createAccount(account('b', 'bob'))
      expect(await storage.updateAccount('b', { username: { value: 'Alice', key: 'alice' } })).toBe('taken')
      expect(await storage.updateAccount('b', { username: { value: 'robert', key: 'robert' }, displayName: 'Robert' })).toBe('ok')
      expect(await storage.usersByUsernameKeys(['robert', 'nobody'])).toEqual([{ id: 'b', name: 'Robert', username: 'robert' }])
      expect(await storage.updateAccount('zz', { displayName: 'x' })).toBe('not_found')
    })

    it('shows a guest as a guest and a deleted account as "Deleted user", keeping its username reserved', async () => {
      await storage.createAccount(account('g', 'visitor', { role: 'guest' }))
      await storage.createAccount(account('d', 'leaving'))
      await storage.createSession({ idHash: 'h1', userId: 'd', createdAt: 1, expiresAt: 10_000, device: '', ip: '' })
      await storage.deleteAccount('d', 5)
      const users = await storage.usersByIds(['g', 'd', 'zz'])
      expect(users.sort((x, y) => x.id.localeCompare(y.id))).toEqual([
        { id: 'd', name: 'Deleted user', username: 'leaving', deleted: true },
        { id: 'g', name: 'visitor', username: 'visitor', guest: true },
      ])
      expect(await storage.usersByUsernameKeys(['leaving'])).toEqual([])
      expect(await storage.createAccount(account('x', 'leaving'))).toBeNull()
      expect((await storage.sessionByHash('h1'))?.revokedAt).toBe(5)
    })

    it('keeps password hashes out of accounts and answers them on request', async () => {
      await storage.createAccount(account('a', 'alice', { passwordHash: 'scrypt-hash' }))
      const found = await storage.accountById('a')
      expect(found?.hasPassword).toBe(true)
      expect(JSON.stringify(found)).not.toContain('scrypt-hash')
      expect(await storage.passwordHashOf('a')).toBe('scrypt-hash')
    })

    it('links an OIDC subject to one account only', async () => {
      await storage.createAccount(account('a', 'alice'))
      await storage.createAccount(account('b', 'bob'))
      expect(await storage.linkOidcSubject('a', 'issuer|sub-1')).toBe(true)
      expect(await storage.linkOidcSubject('b', 'issuer|sub-1')).toBe(false)
      expect((await storage.accountByOidcSubject('issuer|sub-1'))?.id).toBe('a')
    })

    it('converts a legacy cookie once per account', async () => {
      await storage.createAccount(account('g', 'visitor', { role: 'guest' }))
      expect(await storage.claimLegacyConversion('g', 1)).toBe(true)
      expect(await storage.claimLegacyConversion('g', 2)).toBe(false)
    })
  })

  describe('sessions', () => {
    let storage: ChatStorage
    beforeEach(async () => {
      storage = current().storage
      await storage.createAccount(account('a', 'alice'))
      for (const [index, idHash] of ['s1', 's2', 's3'].entries()) {
        await storage.createSession({ idHash, userId: 'a', createdAt: index + 1, expiresAt: 1000, device: `device ${index}`, ip: '127.0.0.1' })
      }
      await storage.createSession({ idHash: 'old', userId: 'a', createdAt: 0, expiresAt: 50, device: '', ip: '' })
    })

    it('lists live sessions newest first, leaving out expired ones', async () => {
      expect((await storage.listSessions('a', 100)).map(session => session.idHash)).toEqual(['s3', 's2', 's1'])
    })

    it('revokes one session, all but one, or all, answering what it revoked', async () => {
      expect(await storage.revokeSessions('a', 100, { only: 's1' })).toEqual(['s1'])
      expect(await storage.revokeSessions('a', 100, { only: 's1' })).toEqual([])
      expect(await storage.revokeSessions('b', 100, { only: 's2' })).toEqual([])
      expect(await storage.revokeSessions('a', 100, { except: 's3' })).toEqual(['s2'])
      expect((await storage.sessionByHash('s3'))?.revokedAt).toBeNull()
      expect(await storage.revokeSessions('a', 100)).toEqual(['s3'])
      expect(await storage.listSessions('a', 100)).toEqual([])
    })

    it('touches a session and its user', async () => {
      await storage.touchSession('s1', 77)
      expect((await storage.sessionByHash('s1'))?.lastSeenAt).toBe(77)
      expect((await storage.accountById('a'))?.lastSeenAt).toBe(77)
    })
  })

  describe('settings, sign-in failures and the audit log', () => {
    let storage: ChatStorage
    beforeEach(() => {
      storage = current().storage
    })

    it('keeps settings', async () => {
      expect(await storage.getSetting('guests')).toBeNull()
      await storage.setSetting('guests', 'off')
      await storage.setSetting('guests', 'on')
      expect(await storage.getSetting('guests')).toBe('on')
    })

    it('counts failures, locks by count, and forgets on clear; concurrent failures all count', async () => {
      const other = await current().openAnother()
      await Promise.all(Array.from({ length: 10 }, (_, index) => (index % 2 ? other : storage).recordAuthFailure('user:x', 100, count => count * 10)))
      expect(await storage.authFailures('user:x')).toMatchObject({ count: 10 })
      expect((await storage.recordAuthFailure('user:x', 200, count => count * 10)).lockedUntil).toBe(310)
      await storage.clearAuthFailures('user:x')
      expect(await storage.authFailures('user:x')).toBeNull()
    })

    it('lists audit entries newest first, paged by id', async () => {
      for (const index of [1, 2, 3]) {
        await storage.appendAudit({ id: `id-${index}`, ts: index, actorId: 'a', action: 'user.banned', targetType: 'user', targetId: `u${index}`, details: { index } })
      }
      expect((await storage.listAudit(2)).map(entry => entry.targetId)).toEqual(['u3', 'u2'])
      expect(await storage.listAudit(5, 'id-2')).toEqual([{ id: 'id-1', ts: 1, actorId: 'a', action: 'user.banned', targetType: 'user', targetId: 'u1', details: { index: 1 } }])
    })
  })
}
