import type { WorkspaceRole } from '#shared/protocol'
import { httpError } from '../request-input'

/**
 * Who may do what, in one place: REST routes and the socket path both ask here. Workspace roles rank
 * owner > admin > member > guest; in a room its owner (the creator) moderates beside the workspace's admins.
 */
const RANK: Record<WorkspaceRole, number> = { guest: 0, member: 1, admin: 2, owner: 3 }

export interface Actor {
  id: string
  role: WorkspaceRole
}

export type WorkspaceAction =
  /** Guests on or off, the registration mode. */
  | 'workspace.configure'
  | 'invites.manage'
  | 'audit.read'
  /** See every member with their role, on the admin page. */
  | 'members.list'
  | 'rooms.create'
  | 'dms.open'
  /** Passkeys and passwords belong to lasting accounts; a guest has only a name. */
  | 'credentials.manage'

const WORKSPACE_RULES: Record<WorkspaceAction, WorkspaceRole> = {
  'workspace.configure': 'admin',
  'invites.manage': 'admin',
  'audit.read': 'admin',
  'members.list': 'admin',
  // Guests take part as members do (rooms, private rooms, direct messages); an operator who wants less turns guests off.
  'rooms.create': 'guest',
  'dms.open': 'guest',
  'credentials.manage': 'member',
}

export function may(actor: Actor, action: WorkspaceAction): boolean {
  return RANK[actor.role] >= RANK[WORKSPACE_RULES[action]]
}

/** 403 `forbidden` unless `may`. */
export function requireMay(actor: Actor, action: WorkspaceAction): void {
  if (!may(actor, action)) throw httpError(403, 'forbidden', 'Your role in this workspace does not allow that.')
}

/**
 * Whether `actor` may act on `target` as a moderator (suspend, ban, change their role): only on someone
 * ranked below them, never on themselves; changing someone to a role is allowed up to the actor's own rank
 * minus one (an admin makes members and guests; only the owner makes admins).
 */
export function mayModerateUser(actor: Actor, target: Actor, newRole?: WorkspaceRole): boolean {
  if (actor.id === target.id || RANK[actor.role] < RANK.admin) return false
  if (RANK[target.role] >= RANK[actor.role]) return false
  return newRole === undefined || (newRole !== 'owner' && RANK[newRole] < RANK[actor.role])
}

export type RoomAction =
  /** Delete anyone's message, set slow mode, change the topic. */
  | 'room.moderate'
  /** Add and remove members of a private room. */
  | 'room.manage_members'

/** What the actor is in a room: its owner (creator), a member, or neither (a public room they did not create). */
export type RoomStanding = 'owner' | 'member' | null

export function mayInRoom(actor: Actor, standing: RoomStanding, _action: RoomAction): boolean {
  return standing === 'owner' || RANK[actor.role] >= RANK.admin
}

export function requireMayInRoom(actor: Actor, standing: RoomStanding, action: RoomAction): void {
  if (!mayInRoom(actor, standing, action)) throw httpError(403, 'forbidden', 'Only the room\'s owner or an admin may do that.')
}
