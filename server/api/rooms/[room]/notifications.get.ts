/** The user's notification level and mute in the room, and the default it follows without them (members only). */
export default defineChatHandler(async (event) => {
  const user = await requireChatUser(event)
  return await useBanter().chat.notifications.stateFor(user.id, roomParam(event))
})
