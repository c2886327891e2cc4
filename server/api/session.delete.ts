import { currentSession, endSessions } from '#server/utils/session/sessions'

/** Signs out: ends this session on the server (its sockets close with 1008 on every instance) and clears the cookie. */
export default defineChatHandler(async (event) => {
  const session = await currentSession(event)
  if (session) await endSessions(session.account.id, 'signed out', { only: session.sessionId })
  await clearUserSession(event)
  setResponseStatus(event, 204)
  return null
})
