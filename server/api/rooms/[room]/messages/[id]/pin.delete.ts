/** Unpins a message, like a socket `unpin`: its pinner or a moderator of the room only (403 `not_owner`). */
export default defineChatHandler(async (event) => {
  const user = await requireChatUser(event)
  const { room, id } = messageParams(event)
  return { message: await useBanter().chat.changeMessage(user, { type: 'unpin', room, id }) }
})
