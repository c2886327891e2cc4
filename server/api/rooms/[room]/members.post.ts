import { AddMemberSchema } from '#shared/room-settings'

/**
 * Adds someone to a private room by username (its owner or an admin), or with `role` sets the role of someone
 * already in it; their tabs hear a `room` event, as do the other members.
 */
export default defineChatHandler(async (event) => {
  const { account } = await requireChatSession(event)
  const room = roomParam(event)
  const { username, role } = await readBodyAs(event, AddMemberSchema)
  return { member: await useBanter().chat.rooms.addMember(account, room, username, role) }
})
