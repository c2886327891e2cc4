import type { Room } from '#shared/protocol'

/** How a room is named on screen: a direct message by the other person's name, any other room by its own. */
export function roomLabel(room: Pick<Room, 'name' | 'kind' | 'members'>, myId: string | undefined): string {
  if (room.kind !== 'dm') return room.name
  const other = room.members?.find(member => member.id !== myId)
  return other ? other.name : 'direct message'
}
