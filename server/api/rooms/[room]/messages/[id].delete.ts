/** Deletes the user's own message, leaving a tombstone; answers the tombstone. */
export default defineChatHandler(async (event) => {
  const user = await requireChatUser(event)
  const { room, id } = messageParams(event)
  return { message: await useBanter().chat.changeMessage(user, { type: 'delete', room, id }) }
})
