import type { RoomMembers } from '#shared/room-settings'

/** A private room's members and their roles, for its members (and admins). */
export default defineChatHandler(async (event): Promise<RoomMembers> => {
  const { account } = await requireChatSession(event)
  const room = roomParam(event)
  return { room, members: await useBanter().chat.rooms.members(account, room) }
})
