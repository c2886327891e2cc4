import type { User, WorkspaceRole } from '#shared/protocol'

/** A user as the server knows them: what others see, plus what only the server and the user may read. */
export interface Account {
  id: string
  username: string
  displayName: string
  role: WorkspaceRole
  createdAt: number
  lastSeenAt: number
  /** Set once the account is deleted; its row stays so the username cannot be taken by a look-alike. */
  deletedAt: number | null
  /** Banned or suspended until then (epoch ms); a ban is a suspension with no end (BANNED_UNTIL). */
  suspendedUntil: number | null
  hasPassword: boolean
  oidcSubject: string | null
}

/** A suspension that never ends (the admin page reads it too). */
export { BANNED_UNTIL } from '#shared/workspace-admin'

export interface NewAccount {
  id: string
  username: string
  /** The username's skeleton (server/utils/accounts/name-rules.ts): two accounts never share one. */
  usernameKey: string
  displayName: string
  role: Exclude<WorkspaceRole, 'owner'>
  passwordHash: string | null
  oidcSubject?: string | null
  now: number
  /** Takes the owner role instead when the workspace has no owner yet (the first account). */
  ownerIfFirst: boolean
}

export interface AccountChanges {
  username?: { value: string, key: string }
  displayName?: string
  role?: WorkspaceRole
  suspendedUntil?: number | null
  passwordHash?: string
}

/** A server-side session: the cookie carries a random id, the database only its SHA-256 (`idHash`). */
export interface SessionRecord {
  idHash: string
  userId: string
  createdAt: number
  lastSeenAt: number
  expiresAt: number
  /** The browser and system, from the User-Agent, for the user's list of sessions. */
  device: string
  ip: string
  revokedAt: number | null
}

/** Repeated failures of one key (an account or a client address), for slowing down password guessing. */
export interface AuthFailures {
  count: number
  lastAt: number
  lockedUntil: number
}

/** One moderation, membership or account action, for admins to read. */
export interface AuditEntry {
  id: string
  ts: number
  /** Who did it; null for the system. */
  actorId: string | null
  /** Such as 'user.banned', 'room.member_removed', 'message.removed'. */
  action: string
  targetType: string
  targetId: string
  details: Record<string, unknown>
}

/** Who a user is, their sessions, and the workspace's settings: kept by both storages, in files of their own. */
export interface AccountStorage {
  /** Creates the account; null when its username key (or OIDC subject) is taken. */
  createAccount(account: NewAccount): Promise<Account | null>
  accountById(id: string): Promise<Account | null>
  accountByUsernameKey(key: string): Promise<Account | null>
  accountByOidcSubject(subject: string): Promise<Account | null>
  /** Accounts (deleted ones excluded) newest last, for the admin page. */
  listAccounts(): Promise<Account[]>
  passwordHashOf(id: string): Promise<string | null>
  /** 'taken' when the new username key belongs to another account. */
  updateAccount(id: string, changes: AccountChanges): Promise<'ok' | 'taken' | 'not_found'>
  /** Links an OIDC subject to an existing account; false when another account holds it. */
  linkOidcSubject(id: string, subject: string): Promise<boolean>
  /** Marks the account deleted: name, password, OIDC link, sessions, passkeys, push subscriptions and memberships go; messages stay. */
  deleteAccount(id: string, now: number): Promise<void>
  /** Claims the one-time conversion of a pre-accounts guest cookie; false when it was claimed before. */
  claimLegacyConversion(id: string, now: number): Promise<boolean>

  /** Users as others see them, by id (deleted ones as "Deleted user"); unknown ids are left out. */
  usersByIds(ids: string[]): Promise<User[]>
  /** Users holding any of these username keys (for @mentions and member lists); deleted accounts are left out. */
  usersByUsernameKeys(keys: string[]): Promise<User[]>

  createSession(session: Omit<SessionRecord, 'revokedAt' | 'lastSeenAt'>): Promise<void>
  sessionByHash(idHash: string): Promise<SessionRecord | null>
  touchSession(idHash: string, now: number): Promise<void>
  /** The user's sessions that are neither revoked nor expired at `now`, newest first. */
  listSessions(userId: string, now: number): Promise<SessionRecord[]>
  /** Revokes the user's live sessions (only one, or all but one); answers the hashes it revoked. */
  revokeSessions(userId: string, now: number, which?: { only?: string, except?: string }): Promise<string[]>

  getSetting(key: string): Promise<string | null>
  setSetting(key: string, value: string): Promise<void>

  authFailures(key: string): Promise<AuthFailures | null>
  /** Counts a failure and locks the key until `lockedUntil` (computed by the caller from the count). */
  recordAuthFailure(key: string, now: number, lockFor: (count: number) => number): Promise<AuthFailures>
  clearAuthFailures(key: string): Promise<void>

  appendAudit(entry: AuditEntry): Promise<void>
  /** Entries with an id below `before` (all when absent), newest first. */
  listAudit(limit: number, before?: string): Promise<AuditEntry[]>
}
