import type { User, WorkspaceRole } from '#shared/protocol'
import type { Account, AuditEntry, SessionRecord } from './account-types'

/** A `users` row; pg returns BIGINT columns as strings, SQLite as numbers. */
export interface UserRow {
  id: string
  username: string
  display_name: string
  role: WorkspaceRole
  password_hash: string | null
  oidc_subject: string | null
  created_at: number | string
  last_seen_at: number | string
  deleted_at: number | string | null
  suspended_until: number | string | null
}

export interface SessionRow {
  id_hash: string
  user_id: string
  created_at: number | string
  last_seen_at: number | string
  expires_at: number | string
  device: string
  ip: string
  revoked_at: number | string | null
}

export interface AuditRow {
  id: string
  ts: number | string
  actor_id: string | null
  action: string
  target_type: string
  target_id: string
  details: string
}

export function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    ts: Number(row.ts),
    actorId: row.actor_id,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    details: JSON.parse(row.details) as Record<string, unknown>,
  }
}

const numberOrNull = (value: number | string | null): number | null => value === null ? null : Number(value)

export const DELETED_USER_NAME = 'Deleted user'

export function toAccount(row: UserRow): Account {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    createdAt: Number(row.created_at),
    lastSeenAt: Number(row.last_seen_at),
    deletedAt: numberOrNull(row.deleted_at),
    suspendedUntil: numberOrNull(row.suspended_until),
    hasPassword: row.password_hash !== null,
    oidcSubject: row.oidc_subject,
  }
}

/** What everyone may see of an account: never its password, OIDC link or suspension. */
export function publicUser(account: Pick<Account, 'id' | 'username' | 'displayName' | 'role' | 'deletedAt'>): User {
  if (account.deletedAt !== null) return { id: account.id, name: DELETED_USER_NAME, username: account.username, deleted: true }
  return {
    id: account.id,
    name: account.displayName,
    username: account.username,
    ...(account.role === 'guest' && { guest: true as const }),
  }
}

export function toSession(row: SessionRow): SessionRecord {
  return {
    idHash: row.id_hash,
    userId: row.user_id,
    createdAt: Number(row.created_at),
    lastSeenAt: Number(row.last_seen_at),
    expiresAt: Number(row.expires_at),
    device: row.device,
    ip: row.ip,
    revokedAt: numberOrNull(row.revoked_at),
  }
}

/** The author columns a message query joins from `users` (see MESSAGE_AUTHOR_JOIN), null for an author without an account. */
export interface AuthorColumns {
  user_id: string
  user_name: string
  author_username: string | null
  author_display_name: string | null
  author_role: WorkspaceRole | null
  author_deleted_at: number | string | null
}

// One string per column: Nitro's auto-import scanner read the names after the commas of a one-string list
// (`u`) as exports of this file, and made them globals of the server build.
const AUTHOR_COLUMNS = ['m.*', 'u.username AS author_username', 'u.display_name AS author_display_name', 'u.role AS author_role', 'u.deleted_at AS author_deleted_at']

/** Selects a message row `m` with its author's current names: a rename shows in history too. */
export const MESSAGE_WITH_AUTHOR = AUTHOR_COLUMNS.join(', ')

/** The author of a stored message as everyone sees them now; the name stored with the message when no account exists. */
export function authorOf(row: AuthorColumns): User {
  if (row.author_username === null) return { id: row.user_id, name: row.user_name, username: row.user_name }
  return publicUser({
    id: row.user_id,
    username: row.author_username,
    displayName: row.author_display_name ?? row.user_name,
    role: row.author_role ?? 'member',
    deletedAt: numberOrNull(row.author_deleted_at),
  })
}
