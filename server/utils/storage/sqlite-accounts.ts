import type Database from 'better-sqlite3'
import type { AccountStorage, AuthFailures } from './account-types'
import { publicUser, toAccount, toAuditEntry, toSession } from './account-rows'
import type { AuditRow, SessionRow, UserRow } from './account-rows'

const LIVE_SESSION = 'revoked_at IS NULL AND expires_at > ?'

/** Accounts, sessions, workspace settings and sign-in failures, in SQLite. */
export function createSqliteAccounts(db: Database.Database): AccountStorage {
  const statements = {
    insert: db.prepare(`INSERT INTO users (id, username, username_key, display_name, role, password_hash, oidc_subject, created_at, last_seen_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
    hasOwner: db.prepare<[], { id: string }>(`SELECT id FROM users WHERE role = 'owner'`),
    byId: db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?'),
    byKey: db.prepare<[string], UserRow>('SELECT * FROM users WHERE username_key = ?'),
    bySubject: db.prepare<[string], UserRow>('SELECT * FROM users WHERE oidc_subject = ?'),
    list: db.prepare<[], UserRow>('SELECT * FROM users WHERE deleted_at IS NULL ORDER BY created_at, id'),
    byIds: db.prepare<[string], UserRow>('SELECT * FROM users WHERE id IN (SELECT value FROM json_each(?))'),
    byKeys: db.prepare<[string], UserRow>('SELECT * FROM users WHERE deleted_at IS NULL AND username_key IN (SELECT value FROM json_each(?))'),
    linkSubject: db.prepare('UPDATE users SET oidc_subject = ? WHERE id = ? AND deleted_at IS NULL'),
    remove: db.prepare(`UPDATE users SET display_name = '', password_hash = NULL, oidc_subject = NULL, deleted_at = ? WHERE id = ?`),
    removeSessions: db.prepare('UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL'),
    removePasskeys: db.prepare('DELETE FROM passkeys WHERE user_id = ?'),
    removePushSubscriptions: db.prepare('DELETE FROM push_subscriptions WHERE user_id = ?'),
    removeMemberships: db.prepare('DELETE FROM room_members WHERE user_id = ?'),
    legacy: db.prepare('UPDATE users SET legacy_converted_at = ? WHERE id = ? AND legacy_converted_at IS NULL AND deleted_at IS NULL'),
    insertSession: db.prepare('INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at, device, ip) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    session: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id_hash = ?'),
    touchSession: db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?'),
    touchUser: db.prepare('UPDATE users SET last_seen_at = ? WHERE id = (SELECT user_id FROM sessions WHERE id_hash = ?)'),
    sessions: db.prepare<[string, number], SessionRow>(`SELECT * FROM sessions WHERE user_id = ? AND ${LIVE_SESSION} ORDER BY created_at DESC`),
    revoke: db.prepare<[number, string, number], { id_hash: string }>(
      `UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND ${LIVE_SESSION} RETURNING id_hash`,
    ),
    getSetting: db.prepare<[string], { value: string }>('SELECT value FROM workspace_settings WHERE key = ?'),
    setSetting: db.prepare('INSERT INTO workspace_settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
    failures: db.prepare<[string], { count: number, last_at: number, locked_until: number }>('SELECT count, last_at, locked_until FROM auth_failures WHERE key = ?'),
    setFailures: db.prepare(`INSERT INTO auth_failures (key, count, last_at, locked_until) VALUES (?, ?, ?, ?)
      ON CONFLICT(key) DO UPDATE SET count = excluded.count, last_at = excluded.last_at, locked_until = excluded.locked_until`),
    clearFailures: db.prepare('DELETE FROM auth_failures WHERE key = ?'),
    appendAudit: db.prepare('INSERT INTO audit_log (id, ts, actor_id, action, target_type, target_id, details) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    audit: db.prepare<[string, number], AuditRow>('SELECT * FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?'),
  }

  // The owner check and the insert share one write transaction, so two first sign-ups cannot both become owner.
  const create = db.transaction((account: Parameters<AccountStorage['createAccount']>[0]) => {
    const role = account.ownerIfFirst && !statements.hasOwner.get() ? 'owner' : account.role
    const inserted = statements.insert.run(account.id, account.username, account.usernameKey, account.displayName, role,
      account.passwordHash, account.oidcSubject ?? null, account.now, account.now)
    return inserted.changes === 0 ? null : toAccount(statements.byId.get(account.id)!)
  })

  const update = db.transaction((id: string, changes: Parameters<AccountStorage['updateAccount']>[1]) => {
    const row = statements.byId.get(id)
    if (!row || row.deleted_at !== null) return 'not_found' as const
    if (changes.username) {
      const holder = statements.byKey.get(changes.username.key)
      if (holder && holder.id !== id) return 'taken' as const
    }
    const columns: string[] = []
    const values: unknown[] = []
    const set = (column: string, value: unknown) => {
      columns.push(`${column} = ?`)
      values.push(value)
    }
    if (changes.username) {
      set('username', changes.username.value)
      set('username_key', changes.username.key)
    }
    if (changes.displayName !== undefined) set('display_name', changes.displayName)
    if (changes.role !== undefined) set('role', changes.role)
    if (changes.suspendedUntil !== undefined) set('suspended_until', changes.suspendedUntil)
    if (changes.passwordHash !== undefined) set('password_hash', changes.passwordHash)
    if (columns.length > 0) db.prepare(`UPDATE users SET ${columns.join(', ')} WHERE id = ?`).run(...values, id)
    return 'ok' as const
  })

  const remove = db.transaction((id: string, now: number) => {
    statements.remove.run(now, id)
    statements.removeSessions.run(now, id)
    statements.removePasskeys.run(id)
    statements.removePushSubscriptions.run(id)
    statements.removeMemberships.run(id)
  })

  const recordFailure = db.transaction((key: string, now: number, lockFor: (count: number) => number): AuthFailures => {
    const count = (statements.failures.get(key)?.count ?? 0) + 1
    const lockedUntil = now + lockFor(count)
    statements.setFailures.run(key, count, now, lockedUntil)
    return { count, lastAt: now, lockedUntil }
  })

  const one = (row: UserRow | undefined) => row ? toAccount(row) : null

  return {
    async createAccount(account) {
      try {
        return create.immediate(account)
      }
      catch (error) {
        // The one-owner index: another first account won the race; this one is an ordinary member.
        if (String(error).includes('users.role')) return create.immediate({ ...account, ownerIfFirst: false })
        throw error
      }
    },
    async accountById(id) {
      return one(statements.byId.get(id))
    },
    async accountByUsernameKey(key) {
      return one(statements.byKey.get(key))
    },
    async accountByOidcSubject(subject) {
      return one(statements.bySubject.get(subject))
    },
    async listAccounts() {
      return statements.list.all().map(toAccount)
    },
    async passwordHashOf(id) {
      return statements.byId.get(id)?.password_hash ?? null
    },
    async updateAccount(id, changes) {
      return update.immediate(id, changes)
    },
    async linkOidcSubject(id, subject) {
      try {
        return statements.linkSubject.run(subject, id).changes > 0
      }
      catch {
        return false
      }
    },
    async deleteAccount(id, now) {
      remove.immediate(id, now)
    },
    async claimLegacyConversion(id, now) {
      return statements.legacy.run(now, id).changes > 0
    },
    async usersByIds(ids) {
      if (ids.length === 0) return []
      return statements.byIds.all(JSON.stringify(ids)).map(row => publicUser(toAccount(row)))
    },
    async usersByUsernameKeys(keys) {
      if (keys.length === 0) return []
      return statements.byKeys.all(JSON.stringify(keys)).map(row => publicUser(toAccount(row)))
    },
    async createSession(session) {
      statements.insertSession.run(session.idHash, session.userId, session.createdAt, session.createdAt, session.expiresAt, session.device, session.ip)
    },
    async sessionByHash(idHash) {
      const row = statements.session.get(idHash)
      return row ? toSession(row) : null
    },
    async touchSession(idHash, now) {
      statements.touchSession.run(now, idHash)
      statements.touchUser.run(now, idHash)
    },
    async listSessions(userId, now) {
      return statements.sessions.all(userId, now).map(toSession)
    },
    async revokeSessions(userId, now, which = {}) {
      const revoked = db.transaction(() => {
        if (which.only) {
          const row = statements.session.get(which.only)
          if (!row || row.user_id !== userId || row.revoked_at !== null) return []
          db.prepare('UPDATE sessions SET revoked_at = ? WHERE id_hash = ?').run(now, which.only)
          return [which.only]
        }
        return statements.revoke.all(now, userId, now).map(row => row.id_hash).filter(hash => hash !== which.except)
      })
      if (which.except) {
        // Revoked all but one: put the kept one back (one transaction, so nobody sees it revoked).
        return db.transaction(() => {
          const hashes = revoked()
          db.prepare('UPDATE sessions SET revoked_at = NULL WHERE id_hash = ? AND user_id = ?').run(which.except, userId)
          return hashes
        }).immediate()
      }
      return revoked.immediate()
    },
    async getSetting(key) {
      return statements.getSetting.get(key)?.value ?? null
    },
    async setSetting(key, value) {
      statements.setSetting.run(key, value)
    },
    async authFailures(key) {
      const row = statements.failures.get(key)
      return row ? { count: row.count, lastAt: row.last_at, lockedUntil: row.locked_until } : null
    },
    async recordAuthFailure(key, now, lockFor) {
      return recordFailure.immediate(key, now, lockFor)
    },
    async clearAuthFailures(key) {
      statements.clearFailures.run(key)
    },
    async appendAudit(entry) {
      statements.appendAudit.run(entry.id, entry.ts, entry.actorId, entry.action, entry.targetType, entry.targetId, JSON.stringify(entry.details))
    },
    async listAudit(limit, before = '\uFFFF') {
      return statements.audit.all(before, limit).map(toAuditEntry)
    },
  }
}
