import type { WorkspaceRole } from '#shared/protocol'
import { useBanter } from '../banter'
import { httpError } from '../request-input'
import type { Account } from '../storage/account-types'
import { BANNED_UNTIL } from '../storage/account-types'
import { publicUser } from '../storage/account-rows'
import { endSessions } from '../session/sessions'
import { audit } from './audit'
import { mayModerateUser } from './policy'
import type { Actor } from './policy'
import { SETTINGS_CACHE_MS, updateWorkspaceSettings, workspaceSettings } from './workspace-settings'
import type { WorkspaceMember, WorkspaceSettings } from '#shared/workspace-admin'
import { log } from '../log/logger'

/**
 * What admins do to the workspace and its members (issue 12, "A workspace" and "Moderation"). Routes check
 * `requireMay` first; these check who may act on whom (policy.mayModerateUser), do it on every instance, and
 * write the audit log.
 */

export async function listWorkspaceMembers(): Promise<WorkspaceMember[]> {
  const accounts = await useBanter().storage.listAccounts()
  return accounts.map(({ id, username, displayName, role, createdAt, lastSeenAt, suspendedUntil }) =>
    ({ id, username, displayName, role, createdAt, lastSeenAt, suspendedUntil }))
}

/** The target account, which `actor` may moderate (404 for nobody, 403 for someone ranked as high as them). */
async function moderatedAccount(actor: Actor, targetId: string, newRole?: WorkspaceRole): Promise<Account> {
  const target = await useBanter().storage.accountById(targetId)
  if (!target || target.deletedAt !== null) throw httpError(404, 'unknown_user', 'There is no such member.')
  if (!mayModerateUser(actor, target, newRole)) {
    throw httpError(403, 'forbidden', newRole === undefined
      ? 'You can only moderate members ranked below you, and never yourself.'
      : 'You can only give roles below your own, to members ranked below you.')
  }
  return target
}

export async function changeMemberRole(actor: Actor, targetId: string, role: WorkspaceRole): Promise<WorkspaceMember> {
  const target = await moderatedAccount(actor, targetId, role)
  const { storage, chat } = useBanter()
  if (target.role !== role) {
    if (await storage.updateAccount(target.id, { role }) !== 'ok') throw httpError(404, 'unknown_user', 'There is no such member.')
    // The guest marker is part of the public user: open sockets carry the new one.
    chat.updateUser(publicUser({ ...target, role }))
    await audit(actor.id, 'user.role_changed', 'user', target.id, { from: target.role, to: role })
  }
  return (await listWorkspaceMembers()).find(member => member.id === target.id)!
}

/**
 * Suspends until `until` (epoch ms), or bans (no `until`): every session of the user ends and their sockets
 * close on every instance (1008), so they leave presence; liveSession and sign-in refuse them meanwhile.
 */
export async function suspendMember(actor: Actor, targetId: string, until: number | undefined, now = Date.now()): Promise<WorkspaceMember> {
  if (until !== undefined && until <= now) throw httpError(400, 'invalid_event', 'A suspension must end in the future.')
  const target = await moderatedAccount(actor, targetId)
  const { storage, chat } = useBanter()
  const suspendedUntil = until ?? BANNED_UNTIL
  if (await storage.updateAccount(target.id, { suspendedUntil }) !== 'ok') throw httpError(404, 'unknown_user', 'There is no such member.')
  await endSessions(target.id, 'suspended')
  // Also sockets whose session ended otherwise but which are still open somewhere (heartbeat would catch them later).
  chat.closeUser(target.id, 1008, 'suspended')
  await audit(actor.id, until === undefined ? 'user.banned' : 'user.suspended', 'user', target.id, until === undefined ? {} : { until })
  return (await listWorkspaceMembers()).find(member => member.id === target.id)!
}

export async function liftMemberSuspension(actor: Actor, targetId: string): Promise<WorkspaceMember> {
  const target = await moderatedAccount(actor, targetId)
  if (target.suspendedUntil !== null) {
    await useBanter().storage.updateAccount(target.id, { suspendedUntil: null })
    await audit(actor.id, 'user.suspension_lifted', 'user', target.id, { was: target.suspendedUntil })
  }
  return (await listWorkspaceMembers()).find(member => member.id === target.id)!
}

/** Changes the settings; turning guests off closes every guest's sockets on every instance. */
export async function configureWorkspace(actor: Actor, changes: Partial<WorkspaceSettings>): Promise<WorkspaceSettings> {
  const before = await workspaceSettings()
  const after = await updateWorkspaceSettings(changes)
  const changed = Object.fromEntries((Object.keys(after) as (keyof WorkspaceSettings)[])
    .filter(key => after[key] !== before[key])
    .map(key => [key, { from: before[key], to: after[key]! }]))
  if (Object.keys(changed).length === 0) return after
  if (before.guests && !after.guests) {
    await closeGuestSockets()
    // Another instance may accept a guest upgrade until its cached settings expire: sweep once more after that.
    setTimeout(() => void closeGuestSockets().catch(error => log.error('close-guests-failed', 'could not close guest sockets', { err: error })), SETTINGS_CACHE_MS + 100).unref()
  }
  await audit(actor.id, 'workspace.settings_changed', 'workspace', 'settings', changed)
  return after
}

async function closeGuestSockets(): Promise<void> {
  const { storage, chat } = useBanter()
  for (const account of await storage.listAccounts()) {
    if (account.role === 'guest') chat.closeUser(account.id, 1008, 'guests are turned off')
  }
}
