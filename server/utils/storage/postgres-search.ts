import type { Pool } from 'pg'
import type { ChatMessage } from '#shared/protocol'
import { searchTerms } from '#shared/search'
import { MESSAGE_WITH_AUTHOR } from './account-rows'
import type { MessageRow } from './postgres-queries'
import { InvalidSearchCursor } from './search-types'
import type { SearchStorage } from './search-types'

/** The indexed expression of the `messages_search` GIN index (postgres-migrations.ts), which queries must repeat exactly. */
const MESSAGE_SEARCH_VECTOR = `to_tsvector('simple'::regconfig, regexp_replace(m.text, '[^[:alnum:]]+', ' ', 'g'))`

/**
 * A tsquery of the words alone, for `to_tsquery` as a parameter: each a quoted lexeme, all required (&), the
 * last one a prefix (:*). Words hold only letters and digits (`searchTerms`); quotes are doubled all the same.
 */
export function tsQuery(terms: readonly string[]): string {
  return terms.map((term, index) => `'${term.replaceAll('\'', '\'\'').replaceAll('\\', '\\\\')}'${index === terms.length - 1 ? ':*' : ''}`).join(' & ')
}

/** Cursors are "<ts>.<id in base64url>" of the last result: newest first is (ts, id) descending. */
const CURSOR = /^(\d{1,15})\.([\w-]{1,100})$/

/** Search over the `messages_search` index; every user value is a query parameter. */
export function createPostgresSearch(
  pool: Pool,
  schema: string,
  withReactions: (client: Pool, rows: MessageRow[]) => Promise<ChatMessage[]>,
): SearchStorage {
  const search = `SELECT ${MESSAGE_WITH_AUTHOR}
    FROM ${schema}.messages m
    JOIN ${schema}.rooms r ON r.name = m.room
    LEFT JOIN ${schema}.users u ON u.id = m.user_id
    WHERE ${MESSAGE_SEARCH_VECTOR} @@ to_tsquery('simple'::regconfig, $1)
      AND m.deleted_at IS NULL
      AND (r.kind IS NULL OR EXISTS (SELECT 1 FROM ${schema}.room_members rm WHERE rm.room = m.room AND rm.user_id = $2))
      AND ($3::text IS NULL OR m.room = $3)
      AND ($4::text IS NULL OR m.user_id = $4)
      AND ($5::bigint IS NULL OR m.ts < $5)
      AND ($6::bigint IS NULL OR m.ts >= $6)
      AND ($7::bigint IS NULL OR (m.ts, m.id) < ($7::bigint, $8::text))
    ORDER BY m.ts DESC, m.id DESC
    LIMIT $9`

  return {
    async searchMessages(query) {
      let cursor: [string, string] | [null, null] = [null, null]
      if (query.cursor !== undefined) {
        const match = CURSOR.exec(query.cursor)
        const id = match && Buffer.from(match[2]!, 'base64url').toString()
        // PostgreSQL refuses a NUL byte with an error: a made-up cursor is refused here instead.
        // eslint-disable-next-line no-control-regex
        if (!match || !id || /[\u0000-\u001F\uFFFD]/.test(id)) throw new InvalidSearchCursor()
        cursor = [match[1]!, id]
      }
      const terms = searchTerms(query.text)
      if (terms.length === 0) return { messages: [], nextCursor: null }
      // One row more than asked says whether there is a next page.
      const { rows } = await pool.query<MessageRow>(search, [
        tsQuery(terms), query.userId, query.room ?? null, query.authorId ?? null,
        query.before ?? null, query.after ?? null, ...cursor, query.limit + 1,
      ])
      const page = rows.slice(0, query.limit)
      const last = page.at(-1)
      return {
        messages: await withReactions(pool, page),
        nextCursor: rows.length > query.limit && last ? `${last.ts}.${Buffer.from(last.id).toString('base64url')}` : null,
      }
    },
  }
}
