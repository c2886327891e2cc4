/** The signed-in user's own account: what they may change on the account page. */
export default defineChatHandler(async (event) => {
  const { user, account } = await requireChatSession(event)
  return {
    user,
    account: {
      username: account.username,
      displayName: account.displayName,
      role: account.role,
      createdAt: account.createdAt,
      hasPassword: account.hasPassword,
      singleSignOn: account.oidcSubject !== null,
    },
  }
})
