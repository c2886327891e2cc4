import * as v from 'valibot'

const UserIdSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(64))

/**
 * Removes a member from a private room (its owner or an admin), or leaves it (your own id). The removed
 * member's sockets stop hearing the room at once, on every instance, and their tabs hear `room-removed`.
 */
export default defineChatHandler(async (event) => {
  const { account } = await requireChatSession(event)
  const room = roomParam(event)
  const userId = parseParam(UserIdSchema, getRouterParam(event, 'userId'), 'user id')
  await useBanter().chat.rooms.removeMember(account, room, userId)
  setResponseStatus(event, 204)
  return null
})
