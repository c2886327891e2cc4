import type { Pool } from 'pg'
import type { AccountChanges, AccountStorage } from './account-types'
import { publicUser, toAccount, toAuditEntry, toSession } from './account-rows'
import type { AuditRow, SessionRow, UserRow } from './account-rows'
import { inTransaction } from './postgres-pool'

/** PostgreSQL's error code for a unique violation. */
const UNIQUE_VIOLATION = '23505'
const isUniqueViolation = (error: unknown, constraint?: string) => {
  const { code, constraint: violated } = error as { code?: string, constraint?: string }
  return code === UNIQUE_VIOLATION && (constraint === undefined || violated === constraint)
}

/** Accounts, sessions, workspace settings and sign-in failures, in PostgreSQL (`schema` already quoted). */
export function createPostgresAccounts(pool: Pool, schema: string): AccountStorage {
  const users = `${schema}.users`
  const sessions = `${schema}.sessions`
  const live = 'revoked_at IS NULL AND expires_at > $2'

  const one = async (query: string, value: string) => {
    const { rows } = await pool.query<UserRow>(query, [value])
    return rows[0] ? toAccount(rows[0]) : null
  }

  const insert = async (account: Parameters<AccountStorage['createAccount']>[0], ownerIfFirst: boolean) => {
    // The partial unique index users_one_owner settles racing first accounts: the loser retries as a member.
    const role = ownerIfFirst ? `CASE WHEN EXISTS (SELECT 1 FROM ${users} WHERE role = 'owner') THEN $5 ELSE 'owner' END` : '$5'
    const { rows } = await pool.query<UserRow>(
      `INSERT INTO ${users} (id, username, username_key, display_name, role, password_hash, oidc_subject, created_at, last_seen_at)
      VALUES ($1, $2, $3, $4, ${role}, $6, $7, $8, $8) ON CONFLICT DO NOTHING RETURNING *`,
      [account.id, account.username, account.usernameKey, account.displayName, account.role, account.passwordHash, account.oidcSubject ?? null, account.now],
    )
    return rows[0] ? toAccount(rows[0]) : null
  }

  const updateColumns = (changes: AccountChanges) => {
    const columns: string[] = []
    const values: unknown[] = []
    const set = (column: string, value: unknown) => {
      values.push(value)
      columns.push(`${column} = $${values.length + 1}`)
    }
    if (changes.username) {
      set('username', changes.username.value)
      set('username_key', changes.username.key)
    }
    if (changes.displayName !== undefined) set('display_name', changes.displayName)
    if (changes.role !== undefined) set('role', changes.role)
    if (changes.suspendedUntil !== undefined) set('suspended_until', changes.suspendedUntil)
    if (changes.passwordHash !== undefined) set('password_hash', changes.passwordHash)
    return { columns, values }
  }

  return {
    async createAccount(account) {
      // ON CONFLICT DO NOTHING also covers users_one_owner: a first account that lost the race for the owner
      // role comes back empty, and is tried again as an ordinary account.
      return await insert(account, account.ownerIfFirst) ?? (account.ownerIfFirst ? await insert(account, false) : null)
    },
    accountById: id => one(`SELECT * FROM ${users} WHERE id = $1`, id),
    accountByUsernameKey: key => one(`SELECT * FROM ${users} WHERE username_key = $1`, key),
    accountByOidcSubject: subject => one(`SELECT * FROM ${users} WHERE oidc_subject = $1`, subject),
    async listAccounts() {
      const { rows } = await pool.query<UserRow>(`SELECT * FROM ${users} WHERE deleted_at IS NULL ORDER BY created_at, id`)
      return rows.map(toAccount)
    },
    async passwordHashOf(id) {
      const { rows } = await pool.query<{ password_hash: string | null }>(`SELECT password_hash FROM ${users} WHERE id = $1`, [id])
      return rows[0]?.password_hash ?? null
    },
    async updateAccount(id, changes) {
      const { columns, values } = updateColumns(changes)
      if (columns.length === 0) return (await this.accountById(id)) ? 'ok' : 'not_found'
      try {
        const { rowCount } = await pool.query(`UPDATE ${users} SET ${columns.join(', ')} WHERE id = $1 AND deleted_at IS NULL`, [id, ...values])
        return rowCount ? 'ok' : 'not_found'
      }
      catch (error) {
        if (isUniqueViolation(error)) return 'taken'
        throw error
      }
    },
    async linkOidcSubject(id, subject) {
      try {
        const { rowCount } = await pool.query(`UPDATE ${users} SET oidc_subject = $2 WHERE id = $1 AND deleted_at IS NULL`, [id, subject])
        return (rowCount ?? 0) > 0
      }
      catch (error) {
        if (isUniqueViolation(error)) return false
        throw error
      }
    },
    async deleteAccount(id, now) {
      await inTransaction(pool, async (client) => {
        await client.query(`UPDATE ${users} SET display_name = '', password_hash = NULL, oidc_subject = NULL, deleted_at = $2 WHERE id = $1`, [id, now])
        await client.query(`UPDATE ${sessions} SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL`, [id, now])
        await client.query(`DELETE FROM ${schema}.passkeys WHERE user_id = $1`, [id])
        await client.query(`DELETE FROM ${schema}.push_subscriptions WHERE user_id = $1`, [id])
        await client.query(`DELETE FROM ${schema}.room_members WHERE user_id = $1`, [id])
      })
    },
    async claimLegacyConversion(id, now) {
      const { rowCount } = await pool.query(
        `UPDATE ${users} SET legacy_converted_at = $2 WHERE id = $1 AND legacy_converted_at IS NULL AND deleted_at IS NULL`, [id, now])
      return (rowCount ?? 0) > 0
    },
    async usersByIds(ids) {
      if (ids.length === 0) return []
      const { rows } = await pool.query<UserRow>(`SELECT * FROM ${users} WHERE id = ANY($1::text[])`, [ids])
      return rows.map(row => publicUser(toAccount(row)))
    },
    async usersByUsernameKeys(keys) {
      if (keys.length === 0) return []
      const { rows } = await pool.query<UserRow>(`SELECT * FROM ${users} WHERE deleted_at IS NULL AND username_key = ANY($1::text[])`, [keys])
      return rows.map(row => publicUser(toAccount(row)))
    },
    async createSession(session) {
      await pool.query(
        `INSERT INTO ${sessions} (id_hash, user_id, created_at, last_seen_at, expires_at, device, ip) VALUES ($1, $2, $3, $3, $4, $5, $6)`,
        [session.idHash, session.userId, session.createdAt, session.expiresAt, session.device, session.ip],
      )
    },
    async sessionByHash(idHash) {
      const { rows } = await pool.query<SessionRow>(`SELECT * FROM ${sessions} WHERE id_hash = $1`, [idHash])
      return rows[0] ? toSession(rows[0]) : null
    },
    async touchSession(idHash, now) {
      await pool.query(
        `WITH touched AS (UPDATE ${sessions} SET last_seen_at = $2 WHERE id_hash = $1 RETURNING user_id)
        UPDATE ${users} SET last_seen_at = $2 WHERE id IN (SELECT user_id FROM touched)`, [idHash, now])
    },
    async listSessions(userId, now) {
      const { rows } = await pool.query<SessionRow>(`SELECT * FROM ${sessions} WHERE user_id = $1 AND ${live} ORDER BY created_at DESC`, [userId, now])
      return rows.map(toSession)
    },
    async revokeSessions(userId, now, which = {}) {
      const filter = which.only ? 'AND id_hash = $3' : which.except ? 'AND id_hash <> $3' : ''
      const params: unknown[] = [userId, now]
      if (which.only || which.except) params.push(which.only ?? which.except)
      const { rows } = await pool.query<{ id_hash: string }>(
        `UPDATE ${sessions} SET revoked_at = $2 WHERE user_id = $1 AND ${live} ${filter} RETURNING id_hash`, params)
      return rows.map(row => row.id_hash)
    },
    async getSetting(key) {
      const { rows } = await pool.query<{ value: string }>(`SELECT value FROM ${schema}.workspace_settings WHERE key = $1`, [key])
      return rows[0]?.value ?? null
    },
    async setSetting(key, value) {
      await pool.query(`INSERT INTO ${schema}.workspace_settings (key, value) VALUES ($1, $2)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [key, value])
    },
    async authFailures(key) {
      const { rows } = await pool.query<{ count: number, last_at: string, locked_until: string }>(
        `SELECT count, last_at, locked_until FROM ${schema}.auth_failures WHERE key = $1`, [key])
      return rows[0] ? { count: rows[0].count, lastAt: Number(rows[0].last_at), lockedUntil: Number(rows[0].locked_until) } : null
    },
    async recordAuthFailure(key, now, lockFor) {
      return inTransaction(pool, async (client) => {
        // The row lock makes concurrent failures of one key count one after the other, on every instance.
        const { rows } = await client.query<{ count: number }>(`INSERT INTO ${schema}.auth_failures (key, count, last_at, locked_until)
          VALUES ($1, 1, $2, $2) ON CONFLICT (key) DO UPDATE SET count = auth_failures.count + 1, last_at = $2 RETURNING count`, [key, now])
        const count = rows[0]!.count
        const lockedUntil = now + lockFor(count)
        await client.query(`UPDATE ${schema}.auth_failures SET locked_until = $2 WHERE key = $1`, [key, lockedUntil])
        return { count, lastAt: now, lockedUntil }
      })
    },
    async clearAuthFailures(key) {
      await pool.query(`DELETE FROM ${schema}.auth_failures WHERE key = $1`, [key])
    },
    async appendAudit(entry) {
      await pool.query(`INSERT INTO ${schema}.audit_log (id, ts, actor_id, action, target_type, target_id, details) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [entry.id, entry.ts, entry.actorId, entry.action, entry.targetType, entry.targetId, JSON.stringify(entry.details)])
    },
    async listAudit(limit, before) {
      const { rows } = before === undefined
        ? await pool.query<AuditRow>(`SELECT * FROM ${schema}.audit_log ORDER BY id DESC LIMIT $1`, [limit])
        : await pool.query<AuditRow>(`SELECT * FROM ${schema}.audit_log WHERE id < $2 ORDER BY id DESC LIMIT $1`, [limit, before])
      return rows.map(toAuditEntry)
    },
  }
}
