import type { Room, User } from '#shared/protocol'
import type { FanOut } from '../fan-out/types'
import type { ChatStorage } from '../storage/types'

/**
 * Creates a room; null when the name is taken. A public room is announced to every connection;
 * a private room or direct message only to its members (the creator is always one).
 */
export async function createAnnouncedRoom(storage: ChatStorage, fanOut: FanOut, name: string, createdBy: User, access?: { kind: 'private' | 'dm', members: User[] }): Promise<Room | null> {
  if (!access) {
    const room = await storage.createRoom(name, createdBy.id)
    if (room) fanOut.toAll({ type: 'room', room })
    return room
  }
  const members = [...new Map([createdBy, ...access.members].map(member => [member.id, member])).values()]
  const stored = await storage.createRoom(name, createdBy.id, { kind: access.kind, memberIds: members.map(member => member.id) })
  if (!stored) return null
  const room: Room = { ...stored, members }
  fanOut.toUsers(members.map(member => ({ userId: member.id, event: { type: 'room', room } })))
  return room
}
