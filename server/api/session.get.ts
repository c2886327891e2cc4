/** The signed-in user and their workspace role; 401 when signed out or the session ended. */
export default defineChatHandler(async (event) => {
  const { user, account } = await requireChatSession(event)
  return { user, role: account.role }
})
