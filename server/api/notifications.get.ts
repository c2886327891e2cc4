/** Every notification choice of the user's, by room, and the workspace default: what the client's badges follow. */
export default defineChatHandler(async (event) => {
  const user = await requireChatUser(event)
  return await useBanter().chat.notifications.allOf(user.id)
})
