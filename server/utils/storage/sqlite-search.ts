import type Database from 'better-sqlite3'
import type { SqliteSearchIndex } from './sqlite-search-index'
import type { ChatMessage } from '#shared/protocol'
import { searchTerms } from '#shared/search'
import { MESSAGE_WITH_AUTHOR } from './account-rows'
import { InvalidSearchCursor } from './search-types'
import type { SearchStorage } from './search-types'

/**
 * An FTS5 query of the words alone: each one a quoted string (so no word is read as an operator such as NEAR,
 * OR, NOT or a column filter), all of them required, the last one as a prefix.
 */
export function ftsMatch(terms: readonly string[]): string {
  return terms.map((term, index) => `"${term.replaceAll('"', '""')}"${index === terms.length - 1 ? '*' : ''}`).join(' ')
}

interface SearchParams {
  match: string
  userId: string
  room: string | null
  authorId: string | null
  before: number | null
  after: number | null
  below: number
  limit: number
}

/**
 * Search over the `messages_fts` index (sqlite-migrations.ts). Newest first is rowid order, which FTS5 walks
 * backwards itself and stops at the page's end; the cursor is the last result's rowid.
 */
export function createSqliteSearch<Row extends { id: string }>(
  db: Database.Database,
  withReactions: (rows: Row[]) => ChatMessage[],
  index: Pick<SqliteSearchIndex, 'catchUp'>,
): SearchStorage {
  const search = db.prepare<SearchParams, Row & { search_rowid: number }>(`
    SELECT ${MESSAGE_WITH_AUTHOR}, messages_fts.rowid AS search_rowid
    FROM messages_fts
    JOIN messages m ON m.rowid = messages_fts.rowid
    JOIN rooms r ON r.name = m.room
    LEFT JOIN users u ON u.id = m.user_id
    WHERE messages_fts MATCH @match AND messages_fts.rowid < @below
      AND m.deleted_at IS NULL
      AND (r.kind IS NULL OR EXISTS (SELECT 1 FROM room_members rm WHERE rm.room = m.room AND rm.user_id = @userId))
      AND (@room IS NULL OR m.room = @room)
      AND (@authorId IS NULL OR m.user_id = @authorId)
      AND (@before IS NULL OR m.ts < @before)
      AND (@after IS NULL OR m.ts >= @after)
    ORDER BY messages_fts.rowid DESC
    LIMIT @limit`)

  return {
    async searchMessages(query) {
      let below = Number.MAX_SAFE_INTEGER
      if (query.cursor !== undefined) {
        if (!/^\d{1,15}$/.test(query.cursor)) throw new InvalidSearchCursor()
        below = Number(query.cursor)
      }
      const terms = searchTerms(query.text)
      if (terms.length === 0) return { messages: [], nextCursor: null }
      index.catchUp()
      // One row more than asked says whether there is a next page.
      const rows = search.all({
        match: ftsMatch(terms),
        userId: query.userId,
        room: query.room ?? null,
        authorId: query.authorId ?? null,
        before: query.before ?? null,
        after: query.after ?? null,
        below,
        limit: query.limit + 1,
      })
      const page = rows.slice(0, query.limit)
      return {
        messages: withReactions(page),
        nextCursor: rows.length > query.limit ? String(page.at(-1)!.search_rowid) : null,
      }
    },
  }
}
