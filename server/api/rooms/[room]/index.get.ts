import type { Room } from '#shared/protocol'
import type { RoomPermissions } from '#shared/room-settings'

/** The room (with its members when not public) and what the asking user may do there. */
export default defineChatHandler(async (event): Promise<{ room: Room, permissions: RoomPermissions }> => {
  const { account } = await requireChatSession(event)
  return useBanter().chat.rooms.permissions(account, roomParam(event))
})
