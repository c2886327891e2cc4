/** Pins a message for the room, like a socket `pin`; answers the message with `pinnedAt` and `pinnedBy`. */
export default defineChatHandler(async (event) => {
  const user = await requireChatUser(event)
  const { room, id } = messageParams(event)
  return { message: await useBanter().chat.changeMessage(user, { type: 'pin', room, id }) }
})
