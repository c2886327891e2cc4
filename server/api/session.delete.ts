import { forgetTouch } from '#server/utils/session/names'

/** Signs out: frees the name, clears the cookie and closes the user's sockets (1008, so clients do not reconnect). */
export default defineChatHandler(async (event) => {
  const session = await getUserSession(event)
  const userId = session.user?.id
  if (userId) {
    const { storage, chat } = useBanter()
    await storage.releaseName(userId)
    forgetTouch(userId)
    chat.closeUser(userId, 1008, 'signed out')
  }
  await clearUserSession(event)
  setResponseStatus(event, 204)
  return null
})
