import { createHash, randomBytes } from 'node:crypto'
import type { InviteEntry, InviteStatus } from '#shared/workspace-admin'
import { timeOrderedId } from '#shared/time-ordered-id'
import { useBanter } from '../banter'
import type { Invite } from '../storage/invite-types'

/** Invite links (issue 12, "A workspace"): a random token in the link, only its SHA-256 in the database. */

/** The longest an invite may stay open, and the most sign-ups one link may take. */
export const MAX_INVITE_HOURS = 24 * 30
export const MAX_INVITE_USES = 1000

/** The database keeps only this hash: a copy of the table lets nobody register. */
export const hashInviteToken = (token: string): string => createHash('sha256').update(token).digest('hex')

export interface CreatedInvite {
  invite: Invite
  /** The only time the token exists outside the link: it is not stored and cannot be shown again. */
  token: string
}

export async function createInvite(createdBy: string, options: { expiresInHours: number, maxUses: number }, now = Date.now()): Promise<CreatedInvite> {
  const token = randomBytes(32).toString('base64url')
  const invite = await useBanter().storage.createInvite({
    id: timeOrderedId(now),
    tokenHash: hashInviteToken(token),
    createdBy,
    createdAt: now,
    expiresAt: now + options.expiresInHours * 3_600_000,
    maxUses: options.maxUses,
  })
  return { invite, token }
}

/** The link a new member opens: the sign-up form reads `invite` from the query. */
export const inviteUrl = (origin: string, token: string): string => `${origin}/?invite=${encodeURIComponent(token)}`

/** Uses one invite (valid, not expired, not revoked, uses left); false when it cannot be used. */
export async function redeemInvite(token: string, now: number): Promise<boolean> {
  if (token.length === 0 || token.length > 256) return false
  return await useBanter().storage.redeemInvite(hashInviteToken(token), now)
}

export function inviteStatus(invite: Invite, now = Date.now()): InviteStatus {
  if (invite.revokedAt !== null) return 'revoked'
  if (invite.uses >= invite.maxUses) return 'used_up'
  return invite.expiresAt <= now ? 'expired' : 'active'
}

export async function listInviteViews(now = Date.now()): Promise<InviteEntry[]> {
  const { storage } = useBanter()
  const invites = await storage.listInvites()
  const creators = new Map((await storage.usersByIds([...new Set(invites.map(invite => invite.createdBy))])).map(user => [user.id, user]))
  return invites.map(invite => ({ ...invite, status: inviteStatus(invite, now), creator: creators.get(invite.createdBy) ?? null }))
}

export async function inviteView(invite: Invite): Promise<InviteEntry> {
  const [creator] = await useBanter().storage.usersByIds([invite.createdBy])
  return { ...invite, status: inviteStatus(invite), creator: creator ?? null }
}
