import type { Pool } from 'pg'
import { inTransaction } from './postgres-pool'
import type { PushSubscriptionAdd, PushSubscriptionRecord, PushSubscriptionStorage } from './push-subscription-types'

/** A `push_subscriptions` row as pg returns it: BIGINT arrives as a string. */
interface PushSubscriptionRow {
  id: string
  user_id: string
  endpoint: string
  p256dh: string
  auth: string
  device: string
  created_at: string
  last_used_at: string | null
}

const toSubscription = (row: PushSubscriptionRow): PushSubscriptionRecord => ({
  id: row.id,
  userId: row.user_id,
  endpoint: row.endpoint,
  p256dh: row.p256dh,
  auth: row.auth,
  device: row.device,
  createdAt: Number(row.created_at),
  lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
})

/** The statements, with the table name qualified by the (already checked and quoted) schema. */
function pushStatements(schema: string) {
  const table = `${schema}.push_subscriptions`
  return {
    // Per user, so two subscriptions of one user take turns over the count (a user with none has no row to lock).
    lockUser: 'SELECT pg_advisory_xact_lock(hashtext($1))',
    byEndpoint: `SELECT * FROM ${table} WHERE endpoint = $1 FOR UPDATE`,
    countOfUser: `SELECT COUNT(*)::int AS n FROM ${table} WHERE user_id = $1`,
    insert: `INSERT INTO ${table} (id, user_id, endpoint, p256dh, auth, device, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
      ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id, p256dh = excluded.p256dh, auth = excluded.auth, device = excluded.device
      RETURNING *`,
    ofUser: `SELECT * FROM ${table} WHERE user_id = $1 ORDER BY created_at, id COLLATE "C"`,
    remove: `DELETE FROM ${table} WHERE id = $1 AND user_id = $2`,
    removeEndpoint: `DELETE FROM ${table} WHERE endpoint = $1`,
    markUsed: `UPDATE ${table} SET last_used_at = $1 WHERE id = $2`,
  }
}

/** Web Push subscriptions, in PostgreSQL (shared by every instance). */
export function createPostgresPushSubscriptions(pool: Pool, schema: string): PushSubscriptionStorage {
  const sql = pushStatements(schema)
  return {
    addPushSubscription({ id, userId, endpoint, p256dh, auth, device, createdAt }, maxPerUser) {
      return inTransaction(pool, async (client): Promise<PushSubscriptionAdd> => {
        await client.query(sql.lockUser, [`push:${userId}`])
        const existing = (await client.query<PushSubscriptionRow>(sql.byEndpoint, [endpoint])).rows[0]
        const counts = !existing || existing.user_id !== userId
        if (counts && maxPerUser > 0) {
          const { rows } = await client.query<{ n: number }>(sql.countOfUser, [userId])
          if (rows[0]!.n >= maxPerUser) return { ok: false, reason: 'limit' }
        }
        const { rows } = await client.query<PushSubscriptionRow>(sql.insert, [id, userId, endpoint, p256dh, auth, device, createdAt])
        return { ok: true, subscription: toSubscription(rows[0]!) }
      })
    },
    async pushSubscriptionsOf(userId) {
      return (await pool.query<PushSubscriptionRow>(sql.ofUser, [userId])).rows.map(toSubscription)
    },
    async removePushSubscription(userId, id) {
      return ((await pool.query(sql.remove, [id, userId])).rowCount ?? 0) === 1
    },
    async removePushEndpoint(endpoint) {
      await pool.query(sql.removeEndpoint, [endpoint])
    },
    async markPushSubscriptionUsed(id, now) {
      await pool.query(sql.markUsed, [now, id])
    },
  }
}
