import type Database from 'better-sqlite3'
import type { InviteStorage } from './invite-types'
import { INVITE_COLUMNS, toInvite } from './invite-rows'
import type { InviteRow } from './invite-rows'

/** Invite links in SQLite. */
export function createSqliteInvites(db: Database.Database): InviteStorage {
  const statements = {
    insert: db.prepare<[string, string, string, number, number, number], InviteRow>(
      `INSERT INTO invites (id, token_hash, created_by, created_at, expires_at, max_uses) VALUES (?, ?, ?, ?, ?, ?) RETURNING ${INVITE_COLUMNS}`,
    ),
    list: db.prepare<[], InviteRow>(`SELECT ${INVITE_COLUMNS} FROM invites ORDER BY created_at DESC, id DESC`),
    revoke: db.prepare('UPDATE invites SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
    // One statement: SQLite runs it under the write lock, so the check and the increment cannot be split.
    redeem: db.prepare('UPDATE invites SET uses = uses + 1 WHERE token_hash = ? AND uses < max_uses AND expires_at > ? AND revoked_at IS NULL'),
  }
  return {
    async createInvite(invite) {
      return toInvite(statements.insert.get(invite.id, invite.tokenHash, invite.createdBy, invite.createdAt, invite.expiresAt, invite.maxUses)!)
    },
    async listInvites() {
      return statements.list.all().map(toInvite)
    },
    async revokeInvite(id, now) {
      return statements.revoke.run(now, id).changes > 0
    },
    async redeemInvite(tokenHash, now) {
      return statements.redeem.run(tokenHash, now).changes > 0
    },
  }
}
