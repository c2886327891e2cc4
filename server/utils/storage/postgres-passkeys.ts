import type { Pool } from 'pg'
import { inTransaction } from './postgres-pool'
import type { Passkey, PasskeyStorage } from './passkey-types'

/** A `passkeys` row as pg returns it: BIGINT arrives as a string. */
interface PasskeyRow {
  id: string
  user_id: string
  public_key: string
  counter: string
  backed_up: boolean
  transports: string
  name: string
  created_at: string
  last_used_at: string | null
}

const toPasskey = (row: PasskeyRow): Passkey => ({
  id: row.id,
  userId: row.user_id,
  publicKey: row.public_key,
  counter: Number(row.counter),
  backedUp: row.backed_up,
  transports: JSON.parse(row.transports) as string[],
  name: row.name,
  createdAt: Number(row.created_at),
  lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
})

/** The statements, with table names qualified by the (already checked and quoted) schema. */
function passkeyStatements(schema: string) {
  const passkeys = `${schema}.passkeys`
  const challenges = `${schema}.auth_challenges`
  return {
    insert: `INSERT INTO ${passkeys} (id, user_id, public_key, counter, backed_up, transports, name, created_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
    byId: `SELECT * FROM ${passkeys} WHERE id = $1`,
    ofUser: `SELECT * FROM ${passkeys} WHERE user_id = $1 ORDER BY created_at, id COLLATE "C"`,
    markUsed: `UPDATE ${passkeys} SET counter = $1, last_used_at = $2 WHERE id = $3`,
    // Locks every passkey of the user, so two removals of their last two take turns and the second sees one left.
    lockOfUser: `SELECT id FROM ${passkeys} WHERE user_id = $1 FOR UPDATE`,
    remove: `DELETE FROM ${passkeys} WHERE id = $1 AND user_id = $2`,
    dropExpired: `DELETE FROM ${challenges} WHERE expires_at <= $1`,
    putChallenge: `INSERT INTO ${challenges} (key, challenge, expires_at) VALUES ($1, $2, $3)
      ON CONFLICT (key) DO UPDATE SET challenge = excluded.challenge, expires_at = excluded.expires_at`,
    takeChallenge: `DELETE FROM ${challenges} WHERE key = $1 RETURNING challenge, expires_at`,
  }
}

/** Passkeys and WebAuthn challenges, in PostgreSQL (shared by every instance). */
export function createPostgresPasskeys(pool: Pool, schema: string): PasskeyStorage {
  const sql = passkeyStatements(schema)
  return {
    async addPasskey(passkey) {
      const { rowCount } = await pool.query(sql.insert, [
        passkey.id, passkey.userId, passkey.publicKey, passkey.counter, passkey.backedUp,
        JSON.stringify(passkey.transports), passkey.name, passkey.createdAt,
      ])
      return rowCount === 1
    },
    async passkeyById(id) {
      const { rows } = await pool.query<PasskeyRow>(sql.byId, [id])
      return rows[0] ? toPasskey(rows[0]) : null
    },
    async passkeysOf(userId) {
      return (await pool.query<PasskeyRow>(sql.ofUser, [userId])).rows.map(toPasskey)
    },
    async markPasskeyUsed(id, counter, now) {
      await pool.query(sql.markUsed, [counter, now, id])
    },
    removePasskey(userId, id, mayRemoveLast) {
      return inTransaction(pool, async (client) => {
        const { rows } = await client.query<{ id: string }>(sql.lockOfUser, [userId])
        if (!rows.some(row => row.id === id)) return 'not_found' as const
        if (!mayRemoveLast && rows.length === 1) return 'last_credential' as const
        await client.query(sql.remove, [id, userId])
        return 'ok' as const
      })
    },
    async storeChallenge(key, challenge, expiresAt) {
      await pool.query(sql.dropExpired, [Date.now()])
      await pool.query(sql.putChallenge, [key, challenge, expiresAt])
    },
    async takeChallenge(key, now) {
      const { rows } = await pool.query<{ challenge: string, expires_at: string }>(sql.takeChallenge, [key])
      return rows[0] && Number(rows[0].expires_at) > now ? rows[0].challenge : null
    },
  }
}
