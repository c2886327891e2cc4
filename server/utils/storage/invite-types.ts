/** An invite link as admins see it; its token is shown once, at creation, and only its SHA-256 is kept. */
export interface Invite {
  id: string
  createdBy: string
  createdAt: number
  expiresAt: number
  maxUses: number
  uses: number
  revokedAt: number | null
}

export interface NewInvite {
  id: string
  /** SHA-256 (hex) of the token in the link. */
  tokenHash: string
  createdBy: string
  createdAt: number
  expiresAt: number
  maxUses: number
}

/** Invite links, kept by both storages in files of their own. */
export interface InviteStorage {
  createInvite(invite: NewInvite): Promise<Invite>
  /** Every invite, newest first (revoked, expired and used-up ones included: the admin page shows why they stopped). */
  listInvites(): Promise<Invite[]>
  /** Revokes a live invite; false when there is none with this id or it was revoked before. */
  revokeInvite(id: string, now: number): Promise<boolean>
  /**
   * Takes one use of the invite with this token hash, in one statement that also checks it is not revoked,
   * not expired and not used up, so two sign-ups racing for the last use cannot both get it.
   */
  redeemInvite(tokenHash: string, now: number): Promise<boolean>
}
