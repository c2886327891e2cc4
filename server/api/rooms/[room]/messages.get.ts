import { LimitParamSchema as LimitSchema, SeqParamSchema as SeqSchema } from '#server/utils/http/history-params'
import { DEFAULT_HISTORY_PAGE } from '#shared/protocol-limits'
import type { HistoryPage } from '#shared/protocol'

/**
 * A page of history in ascending seq order: `?before=SEQ` pages backwards (the newest page when omitted),
 * `?after=SEQ` catches up from a seq the client has seen, `?around=SEQ` is the page centred on that message
 * (a search result's surroundings).
 */
export default defineChatHandler(async (event): Promise<HistoryPage> => {
  const user = await requireChatUser(event)
  const room = roomParam(event)
  const query = getQuery(event)
  const limit = query.limit === undefined ? DEFAULT_HISTORY_PAGE : parseParam(LimitSchema, query.limit, 'limit')
  if ([query.before, query.after, query.around].filter(value => value !== undefined).length > 1) {
    throw httpError(400, 'invalid_event', 'Use one of before, after and around.')
  }
  const { storage, chat } = useBanter()
  await chat.requireAccess(room, user.id)
  if (query.around !== undefined) {
    const around = parseParam(SeqSchema, query.around, 'around')
    // The message itself and the older half come from one read, the newer half from another.
    const older = Math.ceil(limit / 2)
    const messages = [...await storage.messagesBefore(room, around + 1, older), ...await storage.messagesAfter(room, around, limit - older)]
    return { room, messages, lastSeq: await storage.lastSeq(room) }
  }
  const messages = query.after !== undefined
    ? await storage.messagesAfter(room, parseParam(SeqSchema, query.after, 'after'), limit)
    : await storage.messagesBefore(room, query.before === undefined ? Number.MAX_SAFE_INTEGER : parseParam(SeqSchema, query.before, 'before'), limit)
  return { room, messages, lastSeq: await storage.lastSeq(room) }
})
