/** Whether the user shares their read receipts: `{share}`. */
export default defineChatHandler(async (event) => {
  const user = await requireChatUser(event)
  return { share: await useBanter().chat.receipts.sharing(user.id) }
})
