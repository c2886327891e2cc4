import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { PushSubscriptionRecord } from '#server/utils/storage/push-subscription-types'
import type { ChatStorage } from '#server/utils/storage/types'
import { openPostgres, openSqlite, postgresReachable } from './two-instances'
import type { Opened } from './two-instances'

type NewSubscription = Omit<PushSubscriptionRecord, 'lastUsedAt'>

const subscription = (id: string, userId: string, createdAt: number, endpoint = `https://push.example.com/${id}`): NewSubscription => ({
  id, userId, endpoint, p256dh: `p256dh-of-${id}`, auth: `auth-of-${id}`, device: 'Chrome on Linux', createdAt,
})

function describePushStorage(name: string, open: () => Promise<Opened>): void {
  describe(`${name} push subscription storage`, () => {
    let opened: Opened
    let storage: ChatStorage
    let other: ChatStorage
    beforeEach(async () => {
      opened = await open()
      ;[storage, other] = opened.storages
    })
    afterEach(() => opened.cleanup())

    it('keeps one subscription per device, oldest first, readable by another instance', async () => {
      expect(await storage.addPushSubscription(subscription('s2', 'alice', 20), 0)).toEqual({ ok: true, subscription: { ...subscription('s2', 'alice', 20), lastUsedAt: null } })
      await storage.addPushSubscription(subscription('s1', 'alice', 10), 0)
      await storage.addPushSubscription(subscription('s3', 'bob', 5), 0)
      expect((await other.pushSubscriptionsOf('alice')).map(row => row.id)).toEqual(['s1', 's2'])
      expect(await other.pushSubscriptionsOf('nobody')).toEqual([])
    })

    it('renews a known endpoint in place: same id, new keys, and a new owner when another user subscribes that browser', async () => {
      await storage.addPushSubscription(subscription('s1', 'alice', 10), 0)
      const renewed = await other.addPushSubscription({ ...subscription('s9', 'alice', 99, 'https://push.example.com/s1'), p256dh: 'new-key' }, 0)
      expect(renewed).toMatchObject({ ok: true, subscription: { id: 's1', p256dh: 'new-key', createdAt: 10 } })
      await storage.addPushSubscription(subscription('s8', 'bob', 100, 'https://push.example.com/s1'), 0)
      expect(await storage.pushSubscriptionsOf('alice')).toEqual([])
      expect((await storage.pushSubscriptionsOf('bob')).map(row => row.id)).toEqual(['s1'])
    })

    it('refuses a device past the per-user limit, but renewing one already there still works', async () => {
      await storage.addPushSubscription(subscription('s1', 'alice', 1), 2)
      await storage.addPushSubscription(subscription('s2', 'alice', 2), 2)
      expect(await storage.addPushSubscription(subscription('s3', 'alice', 3), 2)).toEqual({ ok: false, reason: 'limit' })
      expect(await storage.addPushSubscription(subscription('s1', 'alice', 4), 2)).toMatchObject({ ok: true })
      expect(await storage.addPushSubscription(subscription('s3', 'bob', 3), 2)).toMatchObject({ ok: true })
      expect((await storage.pushSubscriptionsOf('alice')).map(row => row.id)).toEqual(['s1', 's2'])
    })

    it('lets only one of two simultaneous subscriptions past the limit, across instances', async () => {
      await storage.addPushSubscription(subscription('s1', 'alice', 1), 2)
      const outcomes = await Promise.all([
        storage.addPushSubscription(subscription('s2', 'alice', 2), 2),
        other.addPushSubscription(subscription('s3', 'alice', 3), 2),
      ])
      expect(outcomes.map(outcome => outcome.ok).sort()).toEqual([false, true])
      expect(await storage.pushSubscriptionsOf('alice')).toHaveLength(2)
    })

    it('removes only the owner\'s subscription; a gone endpoint is dropped whoever held it', async () => {
      await storage.addPushSubscription(subscription('s1', 'alice', 1), 0)
      await storage.addPushSubscription(subscription('s2', 'alice', 2), 0)
      expect(await storage.removePushSubscription('bob', 's1')).toBe(false)
      expect(await storage.removePushSubscription('alice', 'missing')).toBe(false)
      expect(await other.removePushSubscription('alice', 's1')).toBe(true)
      await other.removePushEndpoint('https://push.example.com/s2')
      expect(await storage.pushSubscriptionsOf('alice')).toEqual([])
    })

    it('records when a subscription was last pushed to', async () => {
      await storage.addPushSubscription(subscription('s1', 'alice', 1), 0)
      await storage.markPushSubscriptionUsed('s1', 1234)
      expect((await other.pushSubscriptionsOf('alice'))[0]?.lastUsedAt).toBe(1234)
    })

    it('forgets a deleted account\'s subscriptions', async () => {
      const account = await storage.createAccount({ id: 'u1', username: 'carol', usernameKey: 'carol', displayName: 'Carol', role: 'member', passwordHash: null, now: 1, ownerIfFirst: false })
      expect(account).toBeTruthy()
      await storage.addPushSubscription(subscription('s1', 'u1', 1), 0)
      await storage.deleteAccount('u1', 2)
      expect(await other.pushSubscriptionsOf('u1')).toEqual([])
    })
  })
}

describePushStorage('SQLite', openSqlite)

if (await postgresReachable()) {
  describePushStorage('PostgreSQL', openPostgres)
}
else {
  // As in postgres.test.ts: a laptop without PostgreSQL passes with a warning, CI must run the suite.
  it('PostgreSQL push subscription storage needs a reachable PostgreSQL', () => {
    console.warn(`PostgreSQL not reachable: push subscription storage for PostgreSQL not run (set TEST_DATABASE_URL)`)
    expect(process.env.CI, 'CI must run the PostgreSQL push subscription storage tests').toBeFalsy()
  })
}
