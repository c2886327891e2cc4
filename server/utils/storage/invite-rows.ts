import type { Invite } from './invite-types'

/** An `invites` row (without its token hash, which never leaves the storage); pg returns BIGINT as strings. */
export interface InviteRow {
  id: string
  created_by: string
  created_at: number | string
  expires_at: number | string
  max_uses: number
  uses: number
  revoked_at: number | string | null
}

/** The columns every read selects: never `token_hash`. */
export const INVITE_COLUMNS = 'id, created_by, created_at, expires_at, max_uses, uses, revoked_at'

export function toInvite(row: InviteRow): Invite {
  return {
    id: row.id,
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    maxUses: Number(row.max_uses),
    uses: Number(row.uses),
    revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
  }
}
