import * as v from 'valibot'
import { errorMessage } from '#shared/error-codes'
import { MAX_SEARCH_QUERY_LENGTH, SEARCH_PAGE_SIZE } from '#shared/protocol-limits'
import { RoomNameSchema } from '#shared/protocol'
import { makeSnippet, searchTerms } from '#shared/search'
import type { SearchResults } from '#shared/search'
import { usersByUsernames } from '#server/utils/accounts/user-lookup'
import { InvalidSearchCursor } from '#server/utils/storage/search-types'
import { searchDateParam } from '#server/utils/search/search-params'

/**
 * Full-text search over the messages the user may read, newest first:
 * `?q=words&room=&from=username&before=date&after=date&cursor=`.
 */
export default defineChatHandler(async (event): Promise<SearchResults> => {
  const user = await requireChatUser(event)
  const query = getQuery(event)
  const text = parseParam(v.string('expected one query'), query.q ?? '', 'q')
  if ([...text].length > MAX_SEARCH_QUERY_LENGTH) throw httpError(400, 'query_too_long', errorMessage('query_too_long'))
  const terms = searchTerms(text)
  if (terms.length === 0) throw httpError(400, 'empty_query', errorMessage('empty_query'))
  const room = query.room === undefined || query.room === '' ? undefined : parseParam(RoomNameSchema, query.room, 'room')
  const from = query.from === undefined || query.from === '' ? undefined : parseParam(v.pipe(v.string(), v.maxLength(64)), query.from, 'from')
  const before = searchDateParam(query.before, 'before')
  const after = searchDateParam(query.after, 'after')
  const cursor = query.cursor === undefined ? undefined : parseParam(v.pipe(v.string(), v.maxLength(200)), query.cursor, 'cursor')

  const { storage, chat } = useBanter()
  if (room) await chat.requireAccess(room, user.id)
  let authorId: string | undefined
  if (from) {
    const author = (await usersByUsernames(storage, [from.replace(/^@/, '')])).users[0]
    // Nobody by that name has written anything anyone can find.
    if (!author) return { results: [], nextCursor: null }
    authorId = author.id
  }
  try {
    const hits = await storage.searchMessages({ userId: user.id, text, room, authorId, before, after, cursor, limit: SEARCH_PAGE_SIZE })
    return {
      results: hits.messages.map(message => ({ message, snippet: makeSnippet(message.text, terms) })),
      nextCursor: hits.nextCursor,
    }
  }
  catch (error) {
    if (error instanceof InvalidSearchCursor) throw httpError(400, 'invalid_cursor', errorMessage('invalid_cursor'))
    throw error
  }
})
