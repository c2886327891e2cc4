import type { Pool } from 'pg'
import type { InviteStorage } from './invite-types'
import { INVITE_COLUMNS, toInvite } from './invite-rows'
import type { InviteRow } from './invite-rows'

/** Invite links in PostgreSQL (`schema` already quoted). */
export function createPostgresInvites(pool: Pool, schema: string): InviteStorage {
  const invites = `${schema}.invites`
  return {
    async createInvite(invite) {
      const { rows } = await pool.query<InviteRow>(
        `INSERT INTO ${invites} (id, token_hash, created_by, created_at, expires_at, max_uses) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${INVITE_COLUMNS}`,
        [invite.id, invite.tokenHash, invite.createdBy, invite.createdAt, invite.expiresAt, invite.maxUses],
      )
      return toInvite(rows[0]!)
    },
    async listInvites() {
      const { rows } = await pool.query<InviteRow>(`SELECT ${INVITE_COLUMNS} FROM ${invites} ORDER BY created_at DESC, id DESC`)
      return rows.map(toInvite)
    },
    async revokeInvite(id, now) {
      const { rowCount } = await pool.query(`UPDATE ${invites} SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`, [id, now])
      return (rowCount ?? 0) > 0
    },
    async redeemInvite(tokenHash, now) {
      // Under READ COMMITTED a racing UPDATE waits for the row lock, then re-checks the WHERE on the new row
      // version: the loser of a race for the last use sees uses = max_uses and changes nothing.
      const { rowCount } = await pool.query(
        `UPDATE ${invites} SET uses = uses + 1 WHERE token_hash = $1 AND uses < max_uses AND expires_at > $2 AND revoked_at IS NULL`,
        [tokenHash, now],
      )
      return (rowCount ?? 0) > 0
    },
  }
}
