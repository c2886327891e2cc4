/** The other members' read receipts in a direct message or small private room: `{receipts: [{userId, seq}]}`. */
export default defineChatHandler(async (event) => {
  const user = await requireChatUser(event)
  return { receipts: await useBanter().chat.receipts.receiptsFor(user.id, roomParam(event)) }
})
