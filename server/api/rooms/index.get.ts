import type { Room, RoomList } from '#shared/protocol'
import { unreadMentions } from '#server/utils/chat/unread-mentions'
import { unreadStartsFor } from '#server/utils/chat/unread-starts'

/**
 * The rooms this user can see (public ones, and the private rooms and direct messages they are in, with
 * their members), each room's last seq, the user's read markers (and where unread starts in rooms never read),
 * and the thread-only replies and the @mentions of the user after them, for unread and mention counts.
 */
export default defineChatHandler(async (event): Promise<RoomList> => {
  const { user, account } = await requireChatSession(event)
  const { storage } = useBanter()
  const [visible, allSeqs, read] = await Promise.all([storage.listRoomsFor(user.id), storage.roomSeqs(), storage.readSeqs(user.id)])
  // Seqs of rooms the user cannot see stay out of the answer.
  const lastSeq = Object.fromEntries(visible.map(room => [room.name, allSeqs[room.name] ?? 0]))
  // First sights come first: the thread-only and mention scans start after them.
  const unreadFrom = await unreadStartsFor(storage, account, visible, lastSeq, read)
  const [rooms, allThreadOnly, allMentions] = await Promise.all([
    Promise.all(visible.map(async (room): Promise<Room> => {
      if (!room.kind) return room
      return { ...room, members: await storage.usersByIds(await storage.roomMembers(room.name)) }
    })),
    storage.threadOnlyUnread(user.id),
    unreadMentions(storage, user),
  ])
  const visibleOnly = <T>(byRoom: Record<string, T>) => Object.fromEntries(rooms.flatMap(room => byRoom[room.name] !== undefined ? [[room.name, byRoom[room.name]!]] : []))
  return { rooms, lastSeq, read, unreadFrom: visibleOnly(unreadFrom), threadOnly: visibleOnly(allThreadOnly), mentions: visibleOnly(allMentions) }
})
