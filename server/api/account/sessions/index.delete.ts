import { endSessions } from '#server/utils/session/sessions'

/** Signs out everywhere: every session of the account ends, this one included, on every instance. */
export default defineChatHandler(async (event) => {
  const { account } = await requireChatSession(event)
  await endSessions(account.id, 'signed out everywhere')
  await clearUserSession(event)
  setResponseStatus(event, 204)
  return null
})
