import type Database from 'better-sqlite3'
import type { Passkey, PasskeyStorage } from './passkey-types'

interface PasskeyRow {
  id: string
  user_id: string
  public_key: string
  counter: number
  backed_up: number
  transports: string
  name: string
  created_at: number
  last_used_at: number | null
}

const toPasskey = (row: PasskeyRow): Passkey => ({
  id: row.id,
  userId: row.user_id,
  publicKey: row.public_key,
  counter: row.counter,
  backedUp: row.backed_up === 1,
  transports: JSON.parse(row.transports) as string[],
  name: row.name,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
})

/** Passkeys and WebAuthn challenges, in SQLite. */
export function createSqlitePasskeys(db: Database.Database): PasskeyStorage {
  const statements = {
    insert: db.prepare(
      'INSERT INTO passkeys (id, user_id, public_key, counter, backed_up, transports, name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING',
    ),
    byId: db.prepare<[string], PasskeyRow>('SELECT * FROM passkeys WHERE id = ?'),
    ofUser: db.prepare<[string], PasskeyRow>('SELECT * FROM passkeys WHERE user_id = ? ORDER BY created_at, id'),
    markUsed: db.prepare('UPDATE passkeys SET counter = ?, last_used_at = ? WHERE id = ?'),
    exists: db.prepare<[string, string], { n: number }>('SELECT 1 AS n FROM passkeys WHERE id = ? AND user_id = ?'),
    // One statement: the count and the delete cannot be split by another removal.
    remove: db.prepare(
      'DELETE FROM passkeys WHERE id = ? AND user_id = ? AND (? = 1 OR (SELECT COUNT(*) FROM passkeys WHERE user_id = ?) > 1)',
    ),
    dropExpired: db.prepare('DELETE FROM auth_challenges WHERE expires_at <= ?'),
    putChallenge: db.prepare(
      'INSERT INTO auth_challenges (key, challenge, expires_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET challenge = excluded.challenge, expires_at = excluded.expires_at',
    ),
    takeChallenge: db.prepare<[string], { challenge: string, expires_at: number }>(
      'DELETE FROM auth_challenges WHERE key = ? RETURNING challenge, expires_at',
    ),
  }

  return {
    async addPasskey(passkey) {
      const { changes } = statements.insert.run(
        passkey.id, passkey.userId, passkey.publicKey, passkey.counter, passkey.backedUp ? 1 : 0,
        JSON.stringify(passkey.transports), passkey.name, passkey.createdAt,
      )
      return changes === 1
    },
    async passkeyById(id) {
      const row = statements.byId.get(id)
      return row ? toPasskey(row) : null
    },
    async passkeysOf(userId) {
      return statements.ofUser.all(userId).map(toPasskey)
    },
    async markPasskeyUsed(id, counter, now) {
      statements.markUsed.run(counter, now, id)
    },
    async removePasskey(userId, id, mayRemoveLast) {
      if (statements.remove.run(id, userId, mayRemoveLast ? 1 : 0, userId).changes === 1) return 'ok'
      return statements.exists.get(id, userId) ? 'last_credential' : 'not_found'
    },
    async storeChallenge(key, challenge, expiresAt) {
      statements.dropExpired.run(Date.now())
      statements.putChallenge.run(key, challenge, expiresAt)
    },
    async takeChallenge(key, now) {
      const row = statements.takeChallenge.get(key)
      return row && row.expires_at > now ? row.challenge : null
    },
  }
}
