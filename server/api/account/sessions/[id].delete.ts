import * as v from 'valibot'
import { endSessions } from '#server/utils/session/sessions'

const SessionIdSchema = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'a session id'))

/** Ends one of the account's own sessions (another device); 404 for a session that is not theirs or not live. */
export default defineChatHandler(async (event) => {
  const { account } = await requireChatSession(event)
  const id = parseParam(SessionIdSchema, getRouterParam(event, 'id'), 'session id')
  const ended = await endSessions(account.id, 'signed out from another device', { only: id })
  if (ended.length === 0) throw httpError(404, 'not_found', 'There is no such session.')
  setResponseStatus(event, 204)
  return null
})
