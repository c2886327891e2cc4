import type { User, WorkspaceRole } from '#shared/protocol'

/** GET /api/account: the signed-in user and what they may change. */
export interface AccountAnswer {
  user: User
  account: {
    username: string
    displayName: string
    role: WorkspaceRole
    createdAt: number
    hasPassword: boolean
    singleSignOn: boolean
  }
}

/** One of GET /api/account/sessions: a signed-in browser or device of this account. */
export interface AccountSession {
  id: string
  device: string
  ip: string
  createdAt: number
  lastSeenAt: number
  expiresAt: number
  current: boolean
}

/** How a workspace role reads on the account page. */
export const ROLE_NAMES: Record<WorkspaceRole, string> = {
  owner: 'Workspace owner',
  admin: 'Admin',
  member: 'Member',
  guest: 'Guest',
}

/** "1 other session was signed out." after a password change. */
export function endedSessionsText(count: number): string {
  if (count === 0) return 'No other session was signed in.'
  return `${count} other ${count === 1 ? 'session was' : 'sessions were'} signed out.`
}
