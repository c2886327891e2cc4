import type { Room } from '#shared/protocol'
import type { RoomMember, RoomPermissions, RoomRole, RoomSettings } from '#shared/room-settings'
import { auditIn } from '../accounts/audit'
import { mayInRoom } from '../accounts/policy'
import type { Actor, RoomAction } from '../accounts/policy'
import { usersByUsernames } from '../accounts/user-lookup'
import type { FanOut, RoomChange } from '../fan-out/types'
import type { ChatStorage } from '../storage/types'
import { ChatError } from './chat-error'

/** Whether the user may take `action` in the room, by their workspace role and standing there as stored now. */
export async function mayActInRoom(storage: Pick<ChatStorage, 'accountById' | 'roomStanding'>, userId: string, room: string, action: RoomAction): Promise<boolean> {
  const [account, standing] = await Promise.all([storage.accountById(userId), storage.roomStanding(room, userId)])
  return account !== null && account.deletedAt === null && mayInRoom(account, standing, action)
}

/**
 * Managing a room after its creation: its topic and slow mode (its moderators: the room's owner or an admin),
 * and the members of a private room (added and removed by its owners or an admin; any member may leave).
 * Every change is audited, makes every instance forget what it cached of the room (the fan-out's
 * `roomChanged`, which also takes a removed member's connections out of it), and reaches the people who
 * can see the room as a `room` event.
 */
export class RoomAdmin {
  constructor(
    private readonly storage: ChatStorage,
    private readonly fanOut: FanOut,
    /** Tells every instance the room changed (the chat's cache first, then the fan-out's `roomChanged`). */
    private readonly changed: (change: RoomChange) => void,
  ) {}

  /** What the actor may do in the room; refuses a room they cannot see like a missing one. */
  async permissions(actor: Actor, name: string): Promise<{ room: Room, permissions: RoomPermissions }> {
    const { room, standing } = await this.visibleRoom(actor, name)
    return {
      room: await this.withMembers(room),
      permissions: {
        standing,
        moderate: mayInRoom(actor, standing, 'room.moderate'),
        manageMembers: room.kind === 'private' && mayInRoom(actor, standing, 'room.manage_members'),
      },
    }
  }

  async update(actor: Actor, name: string, settings: RoomSettings): Promise<Room> {
    const { standing } = await this.visibleRoom(actor, name)
    if (!mayInRoom(actor, standing, 'room.moderate')) throw new ChatError('forbidden', 'Only the room\'s owner or an admin may change its topic or slow mode.')
    const room = await this.storage.updateRoom(name, settings)
    if (!room) throw new ChatError('unknown_room')
    await auditIn(this.storage, actor.id, 'room.updated', 'room', name, { ...settings })
    this.changed({ room: name })
    await this.announce(room)
    return room
  }

  /** A private room's (or direct message's) members with their roles, for anyone in it or an admin. */
  async members(actor: Actor, name: string): Promise<RoomMember[]> {
    const { room } = await this.visibleRoom(actor, name)
    if (!room.kind) throw new ChatError('forbidden', 'A public room is open to everyone: it has no list of members.')
    const memberships = await this.storage.roomMemberships(name)
    const users = new Map((await this.storage.usersByIds(memberships.map(member => member.userId))).map(user => [user.id, user]))
    return memberships.flatMap(({ userId, role }) => {
      const user = users.get(userId)
      return user ? [{ user, role }] : []
    })
  }

  /** Adds someone to a private room by username, or with `role` sets the role of someone already in it. */
  async addMember(actor: Actor, name: string, username: string, role?: RoomRole): Promise<RoomMember> {
    const room = await this.managedRoom(actor, name)
    const { users: [user] } = await usersByUsernames(this.storage, [username])
    if (!user) throw new ChatError('unknown_user', `Nobody has the username "${username}".`)
    const wasIn = await this.storage.roomStanding(name, user.id)
    if (await this.storage.addMember(name, user.id, role)) {
      await auditIn(this.storage, actor.id, wasIn ? 'room.member_role_changed' : 'room.member_added', 'room', name, { userId: user.id, role: role ?? 'member' })
      this.changed({ room: name })
      await this.announce(room)
    }
    return { user, role: (await this.storage.roomStanding(name, user.id)) ?? 'member' }
  }

  /**
   * Takes someone out of a private room: an owner or an admin removes anyone, any member removes themselves
   * (leaves). The last owner cannot leave while others remain (`last_owner`): they make someone else an owner
   * first. Their connections leave the room on every instance at once and their tabs hear `room-removed`.
   */
  async removeMember(actor: Actor, name: string, userId: string): Promise<void> {
    const leaving = userId === actor.id
    const room = leaving ? await this.privateRoom(actor, name) : await this.managedRoom(actor, name)
    const memberships = await this.storage.roomMemberships(name)
    const target = memberships.find(member => member.userId === userId)
    if (!target) throw new ChatError('not_found', 'That user is not a member of this room.')
    if (leaving && target.role === 'owner' && memberships.length > 1 && !memberships.some(member => member.role === 'owner' && member.userId !== userId)) {
      throw new ChatError('last_owner')
    }
    if (!(await this.storage.removeMember(name, userId))) return
    await auditIn(this.storage, actor.id, leaving ? 'room.member_left' : 'room.member_removed', 'room', name, { userId })
    this.changed({ room: name, removedUserId: userId })
    await this.announce(room)
  }

  /** The room and the actor's standing in it; a private room they are not in is as missing to them (unless admin). */
  private async visibleRoom(actor: Actor, name: string): Promise<{ room: Room, standing: RoomRole | null }> {
    const [room, standing] = await Promise.all([this.storage.getRoom(name), this.storage.roomStanding(name, actor.id)])
    if (!room) throw new ChatError('unknown_room')
    if (room.kind && standing === null && !mayInRoom(actor, null, 'room.moderate')) throw new ChatError('unknown_room')
    return { room, standing }
  }

  private async privateRoom(actor: Actor, name: string): Promise<Room> {
    const { room } = await this.visibleRoom(actor, name)
    if (room.kind !== 'private') throw new ChatError('forbidden', 'Only a private room has members to add or remove.')
    return room
  }

  private async managedRoom(actor: Actor, name: string): Promise<Room> {
    const room = await this.privateRoom(actor, name)
    if (!mayInRoom(actor, await this.storage.roomStanding(name, actor.id), 'room.manage_members')) {
      throw new ChatError('forbidden', 'Only the room\'s owner or an admin may add or remove its members.')
    }
    return room
  }

  /** A non-public room as its members see it: with who is in it. */
  private async withMembers(room: Room): Promise<Room> {
    if (!room.kind) return room
    return { ...room, members: await this.storage.usersByIds(await this.storage.roomMembers(room.name)) }
  }

  /** The room as it is now, to everyone who can see it: everyone for a public room, else its members. */
  private async announce(room: Room): Promise<void> {
    const current = await this.withMembers((await this.storage.getRoom(room.name)) ?? room)
    if (!current.members) return this.fanOut.toAll({ type: 'room', room: current })
    this.fanOut.toUsers(current.members.map(member => ({ userId: member.id, event: { type: 'room', room: current } })))
  }
}
