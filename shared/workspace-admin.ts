import type { User, WorkspaceRole } from './protocol'
import type { NotificationLevel } from './notification-levels'

// The admin API's answers (server/api/workspace, invites, audit), as the admin page reads them.

/** Who may create an account: anyone, only people with an invite link, or nobody. */
export type RegistrationMode = 'open' | 'invite' | 'closed'
export const REGISTRATION_MODES: readonly RegistrationMode[] = ['open', 'invite', 'closed']

/** GET /api/workspace */
export interface WorkspaceSettings {
  /** Whether people may join by only picking a name. */
  guests: boolean
  registration: RegistrationMode
  /** The notification level of every room where a member has not chosen their own (direct messages: all). */
  notificationLevel: NotificationLevel
}

/** A member as GET /api/workspace/members lists them. */
export interface WorkspaceMember {
  id: string
  username: string
  displayName: string
  role: WorkspaceRole
  createdAt: number
  lastSeenAt: number
  /** Epoch ms; BANNED_UNTIL for a ban; null when not suspended. */
  suspendedUntil: number | null
}

/** Whether an invite link still works, and if not why. */
export type InviteStatus = 'active' | 'expired' | 'used_up' | 'revoked'

/** An invite as GET /api/invites lists it: never its token. */
export interface InviteEntry {
  id: string
  createdBy: string
  createdAt: number
  expiresAt: number
  maxUses: number
  uses: number
  revokedAt: number | null
  status: InviteStatus
  creator: User | null
}

/** One entry of GET /api/audit, names resolved. */
export interface AuditLogEntry {
  id: string
  ts: number
  actorId: string | null
  action: string
  targetType: string
  targetId: string
  details: Record<string, unknown>
  actor: User | null
  /** The user it was done to, when the target is a user. */
  target: User | null
}

/** A suspension that never ends: a ban. */
export const BANNED_UNTIL = 8.64e15
