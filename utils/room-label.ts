import type { Room, User } from '#shared/protocol'
import { userLabel } from './user-label'

/** The other person of a direct message (undefined for other rooms, or a DM whose members are not known). */
export function dmPartner(room: Pick<Room, 'kind' | 'members'>, myId: string | undefined): User | undefined {
  if (room.kind !== 'dm') return undefined
  return room.members?.find(member => member.id !== myId)
}

/**
 * How a room is named as plain text (the tab title): a direct message by the other person, with their
 * username since display names may repeat ("Ada (@ada)"); any other room by its own name.
 */
export function roomLabel(room: Pick<Room, 'name' | 'kind' | 'members'>, myId: string | undefined): string {
  if (room.kind !== 'dm') return room.name
  const other = dmPartner(room, myId)
  return other ? userLabel(other) : 'direct message'
}
