import type { AuditLogEntry, InviteStatus, WorkspaceMember } from '#shared/workspace-admin'
import { BANNED_UNTIL } from '#shared/workspace-admin'

/** Pure helpers of the admin page: how a member's standing, an invite and an audit entry read. */

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })
export const formatTime = (ms: number): string => dateTime.format(ms)

export function memberStanding(member: Pick<WorkspaceMember, 'suspendedUntil'>, now = Date.now()): string {
  if (member.suspendedUntil === null || member.suspendedUntil <= now) return 'Active'
  return member.suspendedUntil >= BANNED_UNTIL ? 'Banned' : `Suspended until ${formatTime(member.suspendedUntil)}`
}

export const isSuspended = (member: Pick<WorkspaceMember, 'suspendedUntil'>, now = Date.now()): boolean =>
  member.suspendedUntil !== null && member.suspendedUntil > now

export const INVITE_STATUS_LABELS: Record<InviteStatus, string> = {
  active: 'Active',
  expired: 'Expired',
  used_up: 'Used up',
  revoked: 'Revoked',
}

const ACTION_LABELS: Record<string, string> = {
  'account.created': 'created an account',
  'user.role_changed': 'changed the role of',
  'user.suspended': 'suspended',
  'user.banned': 'banned',
  'user.suspension_lifted': 'lifted the suspension of',
  'invite.created': 'created an invite',
  'invite.revoked': 'revoked an invite',
  'workspace.settings_changed': 'changed the workspace settings',
}

/** "ada banned @troll", "ada changed the role of @bob (member → admin)". */
export function describeAuditEntry(entry: AuditLogEntry): string {
  const actor = entry.actor ? `${entry.actor.name} (@${entry.actor.username})` : 'The system'
  const action = ACTION_LABELS[entry.action] ?? entry.action
  const target = entry.targetType === 'user' && entry.actor?.id !== entry.targetId
    ? ` ${entry.target ? `${entry.target.name} (@${entry.target.username})` : 'an unknown user'}`
    : ''
  return `${actor} ${action}${target}${auditDetails(entry)}`
}

function auditDetails({ action, details }: AuditLogEntry): string {
  if (action === 'user.role_changed') return ` (${String(details.from)} → ${String(details.to)})`
  if (action === 'user.suspended' && typeof details.until === 'number') return ` until ${formatTime(details.until)}`
  if (action === 'workspace.settings_changed') {
    const changes = Object.entries(details as Record<string, { from: unknown, to: unknown }>)
      .map(([key, change]) => `${key}: ${String(change.from)} → ${String(change.to)}`)
    return changes.length ? ` (${changes.join(', ')})` : ''
  }
  return ''
}
