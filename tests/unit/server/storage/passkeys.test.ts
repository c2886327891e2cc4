import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Passkey } from '#server/utils/storage/passkey-types'
import type { ChatStorage } from '#server/utils/storage/types'
import { openPostgres, openSqlite, postgresReachable } from './two-instances'
import type { Opened } from './two-instances'

const passkey = (id: string, userId: string, createdAt: number): Omit<Passkey, 'lastUsedAt'> => ({
  id,
  userId,
  publicKey: `key-of-${id}`,
  counter: 0,
  backedUp: id.endsWith('synced'),
  transports: ['internal', 'hybrid'],
  name: `Passkey ${id}`,
  createdAt,
})

function describePasskeyStorage(name: string, open: () => Promise<Opened>): void {
  describe(`${name} passkey storage`, () => {
    let opened: Opened
    let storage: ChatStorage
    let other: ChatStorage
    beforeEach(async () => {
      opened = await open()
      ;[storage, other] = opened.storages
    })
    afterEach(() => opened.cleanup())

    it('keeps several passkeys per user, oldest first, readable by another instance', async () => {
      expect(await storage.addPasskey(passkey('k2-synced', 'alice', 20))).toBe(true)
      expect(await storage.addPasskey(passkey('k1', 'alice', 10))).toBe(true)
      expect(await storage.addPasskey(passkey('k3', 'bob', 5))).toBe(true)
      expect((await other.passkeysOf('alice')).map(key => key.id)).toEqual(['k1', 'k2-synced'])
      expect(await other.passkeyById('k2-synced')).toEqual({ ...passkey('k2-synced', 'alice', 20), lastUsedAt: null })
      expect(await other.passkeyById('missing')).toBeNull()
      expect(await other.passkeysOf('nobody')).toEqual([])
    })

    it('refuses a credential id registered before, to anyone', async () => {
      expect(await storage.addPasskey(passkey('k1', 'alice', 1))).toBe(true)
      expect(await other.addPasskey(passkey('k1', 'bob', 2))).toBe(false)
      expect((await storage.passkeyById('k1'))?.userId).toBe('alice')
    })

    it('records each use: the new counter and when', async () => {
      await storage.addPasskey(passkey('k1', 'alice', 1))
      await storage.markPasskeyUsed('k1', 7, 1234)
      expect(await other.passkeyById('k1')).toMatchObject({ counter: 7, lastUsedAt: 1234 })
    })

    it('removes only the user\'s own passkey, and keeps the last one unless told it may go', async () => {
      await storage.addPasskey(passkey('k1', 'alice', 1))
      await storage.addPasskey(passkey('k2', 'alice', 2))
      expect(await storage.removePasskey('bob', 'k1', true)).toBe('not_found')
      expect(await storage.removePasskey('alice', 'missing', true)).toBe('not_found')
      expect(await storage.removePasskey('alice', 'k1', false)).toBe('ok')
      expect(await storage.removePasskey('alice', 'k2', false)).toBe('last_credential')
      expect((await storage.passkeysOf('alice')).map(key => key.id)).toEqual(['k2'])
      expect(await storage.removePasskey('alice', 'k2', true)).toBe('ok')
      expect(await storage.passkeysOf('alice')).toEqual([])
    })

    it('lets only one of two simultaneous removals of the last two passkeys through, across instances', async () => {
      await storage.addPasskey(passkey('k1', 'alice', 1))
      await storage.addPasskey(passkey('k2', 'alice', 2))
      const outcomes = await Promise.all([storage.removePasskey('alice', 'k1', false), other.removePasskey('alice', 'k2', false)])
      expect(outcomes.sort()).toEqual(['last_credential', 'ok'])
      expect(await storage.passkeysOf('alice')).toHaveLength(1)
    })

    it('hands a challenge out once, to any instance, and not after it expired', async () => {
      const now = Date.now()
      await storage.storeChallenge('authenticate:a1', 'challenge-1', now + 60_000)
      expect(await other.takeChallenge('authenticate:a1', now)).toBe('challenge-1')
      expect(await storage.takeChallenge('authenticate:a1', now)).toBeNull()
      await storage.storeChallenge('authenticate:a2', 'challenge-2', now + 1000)
      expect(await other.takeChallenge('authenticate:a2', now + 1000)).toBeNull()
      expect(await other.takeChallenge('never-stored', now)).toBeNull()
    })

    it('replaces a challenge stored again under the same key', async () => {
      const now = Date.now()
      await storage.storeChallenge('k', 'old', now + 60_000)
      await other.storeChallenge('k', 'new', now + 60_000)
      expect(await storage.takeChallenge('k', now)).toBe('new')
    })
  })
}

describePasskeyStorage('SQLite', openSqlite)

if (await postgresReachable()) {
  describePasskeyStorage('PostgreSQL', openPostgres)
}
else {
  // As in postgres.test.ts: a laptop without PostgreSQL passes with a warning, CI must run the suite.
  it('PostgreSQL passkey storage needs a reachable PostgreSQL', () => {
    console.warn(`PostgreSQL not reachable: passkey storage for PostgreSQL not run (set TEST_DATABASE_URL)`)
    expect(process.env.CI, 'CI must run the PostgreSQL passkey storage tests').toBeFalsy()
  })
}
