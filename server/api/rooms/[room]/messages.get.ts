import * as v from 'valibot'
import { DEFAULT_HISTORY_PAGE, MAX_HISTORY_LIMIT } from '#shared/protocol-limits'
import type { HistoryPage } from '#shared/protocol'

const SeqSchema = v.pipe(v.string(), v.regex(/^\d{1,15}$/, 'expected a non-negative integer'), v.transform(Number))
const LimitSchema = v.pipe(
  v.string(),
  v.regex(/^\d{1,4}$/, 'expected a positive integer'),
  v.transform(Number),
  v.minValue(1, 'expected at least 1'),
  v.maxValue(MAX_HISTORY_LIMIT, `at most ${MAX_HISTORY_LIMIT}`),
)

/**
 * A page of history in ascending seq order: `?before=SEQ` pages backwards (the newest page when omitted),
 * `?after=SEQ` catches up from a seq the client has seen.
 */
export default defineChatHandler(async (event): Promise<HistoryPage> => {
  const user = await requireChatUser(event)
  const room = roomParam(event)
  const query = getQuery(event)
  const limit = query.limit === undefined ? DEFAULT_HISTORY_PAGE : parseParam(LimitSchema, query.limit, 'limit')
  if (query.before !== undefined && query.after !== undefined) {
    throw httpError(400, 'invalid_event', 'Use either before or after, not both.')
  }
  const { storage, chat } = useBanter()
  await chat.requireAccess(room, user.id)
  const messages = query.after !== undefined
    ? await storage.messagesAfter(room, parseParam(SeqSchema, query.after, 'after'), limit)
    : await storage.messagesBefore(room, query.before === undefined ? Number.MAX_SAFE_INTEGER : parseParam(SeqSchema, query.before, 'before'), limit)
  return { room, messages, lastSeq: await storage.lastSeq(room) }
})
