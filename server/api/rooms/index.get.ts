import type { Room, RoomList } from '#shared/protocol'
import { unreadMentions } from '#server/utils/chat/unread-mentions'

/**
 * The rooms this user can see (public ones, and the private rooms and direct messages they are in, with
 * their members), each room's last seq, the user's read markers, and the thread-only replies and the @mentions
 * of the user after them, for unread and mention counts.
 */
export default defineChatHandler(async (event): Promise<RoomList> => {
  const user = await requireChatUser(event)
  const { storage } = useBanter()
  const [visible, allSeqs, read, allThreadOnly, allMentions] = await Promise.all([
    storage.listRoomsFor(user.id), storage.roomSeqs(), storage.readSeqs(user.id), storage.threadOnlyUnread(user.id), unreadMentions(storage, user),
  ])
  const rooms: Room[] = await Promise.all(visible.map(async (room) => {
    if (!room.kind) return room
    return { ...room, members: await storage.usersByIds(await storage.roomMembers(room.name)) }
  }))
  // Seqs of rooms the user cannot see stay out of the answer.
  const lastSeq = Object.fromEntries(rooms.map(room => [room.name, allSeqs[room.name] ?? 0]))
  const visibleOnly = <T>(byRoom: Record<string, T>) => Object.fromEntries(rooms.flatMap(room => byRoom[room.name] ? [[room.name, byRoom[room.name]!]] : []))
  return { rooms, lastSeq, read, threadOnly: visibleOnly(allThreadOnly), mentions: visibleOnly(allMentions) }
})
