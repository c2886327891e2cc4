import { LimitParamSchema as LimitSchema, SeqParamSchema as SeqSchema } from '#server/utils/http/history-params'
import { DEFAULT_HISTORY_PAGE } from '#shared/protocol-limits'
import type { ThreadPage } from '#shared/protocol'
import { threadPage } from '#server/utils/chat/replies'

/**
 * A page of the thread under a message: its root, and its replies in ascending seq order, paging backwards with
 * `?before=SEQ` as a room's history does (the newest replies when omitted). 404 `not_found` for a message that
 * is not a thread root of this room.
 */
export default defineChatHandler(async (event): Promise<ThreadPage> => {
  const user = await requireChatUser(event)
  const { room, id } = messageParams(event)
  const query = getQuery(event)
  const limit = query.limit === undefined ? DEFAULT_HISTORY_PAGE : parseParam(LimitSchema, query.limit, 'limit')
  const before = query.before === undefined ? Number.MAX_SAFE_INTEGER : parseParam(SeqSchema, query.before, 'before')
  const { storage, chat } = useBanter()
  await chat.requireAccess(room, user.id)
  const { root, messages } = await threadPage(storage, room, id, before, limit)
  return { room, root, messages }
})
