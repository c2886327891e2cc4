
/** The signed-in user; 401 when signed out or when the name was lost to inactivity. */
export default defineChatHandler(async (event) => {
  return { user: await requireChatUser(event) }
})
