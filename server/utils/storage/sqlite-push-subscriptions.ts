import type Database from 'better-sqlite3'
import type { PushSubscriptionAdd, PushSubscriptionRecord, PushSubscriptionStorage } from './push-subscription-types'

interface PushSubscriptionRow {
  id: string
  user_id: string
  endpoint: string
  p256dh: string
  auth: string
  device: string
  created_at: number
  last_used_at: number | null
}

const toSubscription = (row: PushSubscriptionRow): PushSubscriptionRecord => ({
  id: row.id,
  userId: row.user_id,
  endpoint: row.endpoint,
  p256dh: row.p256dh,
  auth: row.auth,
  device: row.device,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
})

/** Web Push subscriptions, in SQLite. */
export function createSqlitePushSubscriptions(db: Database.Database): PushSubscriptionStorage {
  const statements = {
    byEndpoint: db.prepare<[string], PushSubscriptionRow>('SELECT * FROM push_subscriptions WHERE endpoint = ?'),
    countOfUser: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM push_subscriptions WHERE user_id = ?'),
    insert: db.prepare('INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh, auth, device, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    renew: db.prepare('UPDATE push_subscriptions SET user_id = ?, p256dh = ?, auth = ?, device = ? WHERE endpoint = ?'),
    ofUser: db.prepare<[string], PushSubscriptionRow>('SELECT * FROM push_subscriptions WHERE user_id = ? ORDER BY created_at, id'),
    remove: db.prepare('DELETE FROM push_subscriptions WHERE id = ? AND user_id = ?'),
    removeEndpoint: db.prepare('DELETE FROM push_subscriptions WHERE endpoint = ?'),
    markUsed: db.prepare('UPDATE push_subscriptions SET last_used_at = ? WHERE id = ?'),
  }

  // One transaction: the count and the insert cannot be split by a second subscription of the same user.
  const add = db.transaction((subscription: Parameters<PushSubscriptionStorage['addPushSubscription']>[0], maxPerUser: number): PushSubscriptionAdd => {
    const { id, userId, endpoint, p256dh, auth, device, createdAt } = subscription
    const existing = statements.byEndpoint.get(endpoint)
    if (existing) {
      const moves = existing.user_id !== userId
      if (moves && maxPerUser > 0 && statements.countOfUser.get(userId)!.n >= maxPerUser) return { ok: false, reason: 'limit' }
      statements.renew.run(userId, p256dh, auth, device, endpoint)
      return { ok: true, subscription: toSubscription(statements.byEndpoint.get(endpoint)!) }
    }
    if (maxPerUser > 0 && statements.countOfUser.get(userId)!.n >= maxPerUser) return { ok: false, reason: 'limit' }
    statements.insert.run(id, userId, endpoint, p256dh, auth, device, createdAt)
    return { ok: true, subscription: toSubscription(statements.byEndpoint.get(endpoint)!) }
  })

  return {
    async addPushSubscription(subscription, maxPerUser) {
      return add.immediate(subscription, maxPerUser)
    },
    async pushSubscriptionsOf(userId) {
      return statements.ofUser.all(userId).map(toSubscription)
    },
    async removePushSubscription(userId, id) {
      return statements.remove.run(id, userId).changes === 1
    },
    async removePushEndpoint(endpoint) {
      statements.removeEndpoint.run(endpoint)
    },
    async markPushSubscriptionUsed(id, now) {
      statements.markUsed.run(now, id)
    },
  }
}
