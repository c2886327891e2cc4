/** The room's pinned messages, newest pin first: `{messages}`. */
export default defineChatHandler(async (event) => {
  const user = await requireChatUser(event)
  const room = roomParam(event)
  return { messages: await useBanter().chat.pinnedMessages(user, room) }
})
