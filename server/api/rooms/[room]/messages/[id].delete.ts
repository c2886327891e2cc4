/** Deletes the user's own message, or as a moderator of the room anyone's (marked removed by a moderator), leaving a tombstone; answers it. */
export default defineChatHandler(async (event) => {
  const user = await requireChatUser(event)
  const { room, id } = messageParams(event)
  return { message: await useBanter().chat.changeMessage(user, { type: 'delete', room, id }) }
})
