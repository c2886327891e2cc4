import type Database from 'better-sqlite3'
import type { ChatMessage } from '#shared/protocol'
import { MESSAGE_WITH_AUTHOR } from './account-rows'
import { quotedIds, withThreadFacts } from './thread-rows'
import type { ReplierRow, ThreadColumns } from './thread-rows'
import { MAX_THREAD_ONLY_UNREAD, seqsByRoom } from './thread-types'
import type { ThreadStorage } from './thread-types'
import { MAX_UNREAD_SCANNED } from './mention-types'
import { SQLITE_UNREAD_FROM } from './sqlite-unread-starts'

const WITH_AUTHOR = `${MESSAGE_WITH_AUTHOR} FROM messages m LEFT JOIN users u ON u.id = m.user_id`

/**
 * Replies and threads on SQLite: `decorate` adds quotes and thread summaries to a page of rows (two reads for the
 * whole page, synchronous like the transactions that call it); the storage methods read through `page`, the
 * storage's own rows-to-messages step (reactions, then `decorate`).
 */
export function createSqliteThreads<Row extends ThreadColumns & { room: string }>(db: Database.Database, plain: (rows: Row[]) => ChatMessage[]) {
  const statements = {
    // A JSON array of ids keeps one prepared statement for a page of any size.
    quoted: db.prepare<[string], Row>(`SELECT ${WITH_AUTHOR} WHERE m.id IN (SELECT value FROM json_each(?))`),
    repliers: db.prepare<[string], ReplierRow>(`SELECT m.thread_id, m.user_id, max(m.user_name) AS user_name,
      u.username AS author_username, u.display_name AS author_display_name, u.role AS author_role, u.deleted_at AS author_deleted_at,
      count(*) AS replies, max(m.seq) AS last_seq, max(m.ts) AS last_ts
      FROM messages m LEFT JOIN users u ON u.id = m.user_id
      WHERE m.thread_id IN (SELECT value FROM json_each(?)) GROUP BY m.thread_id, m.user_id`),
    byId: db.prepare<[string, string], Row>(`SELECT ${WITH_AUTHOR} WHERE m.id = ? AND m.room = ?`),
    byIds: db.prepare<[string], Row>(`SELECT ${WITH_AUTHOR} WHERE m.id IN (SELECT value FROM json_each(?))`),
    threadBefore: db.prepare<[string, string, number, number], Row>(
      `SELECT ${WITH_AUTHOR} WHERE m.thread_id = ? AND m.room = ? AND m.seq < ? ORDER BY m.seq DESC LIMIT ?`,
    ),
    // Reads only the unread part of each room (by its (room, seq) key, its newest MAX_UNREAD_SCANNED at most),
    // newest first for the cap.
    threadOnlyUnread: db.prepare<{ user: string, limit: number, scanned: number }, { room: string, seq: number }>(`SELECT room, seq FROM (
      SELECT m.room, m.seq, row_number() OVER (PARTITION BY m.room ORDER BY m.seq DESC) AS rank
      FROM ${SQLITE_UNREAD_FROM} JOIN rooms ro ON ro.name = r.room
      JOIN messages m ON m.room = r.room AND m.seq > MAX(r.seq, ro.last_seq - @scanned)
      WHERE m.thread_id IS NOT NULL AND m.also_to_room = 0
    ) WHERE rank <= @limit`),
  }

  function decorate(rows: Row[], messages: ChatMessage[]): ChatMessage[] {
    const quoting = quotedIds(rows)
    const quoted = quoting.length === 0 ? [] : plain(statements.quoted.all(JSON.stringify(quoting)))
    const repliers = statements.repliers.all(JSON.stringify(rows.map(row => row.id)))
    return withThreadFacts(rows, messages, quoted, repliers)
  }

  function storage(page: (rows: Row[]) => ChatMessage[]): ThreadStorage {
    return {
      async messageIn(room, id) {
        const row = statements.byId.get(id, room)
        return row ? page([row])[0]! : null
      },
      async messagesIn(keys) {
        if (keys.length === 0) return []
        // By id (the primary key); a message kept only where it is in the room named with its id.
        const roomOf = new Map(keys.map(key => [key.id, key.room]))
        return page(statements.byIds.all(JSON.stringify([...roomOf.keys()])).filter(row => roomOf.get(row.id) === row.room))
      },
      async threadMessages(room, rootId, before, limit) {
        return page(statements.threadBefore.all(rootId, room, before, limit).reverse())
      },
      async threadOnlyUnread(userId) {
        return seqsByRoom(statements.threadOnlyUnread.all({ user: userId, limit: MAX_THREAD_ONLY_UNREAD, scanned: MAX_UNREAD_SCANNED }))
      },
    }
  }

  return { decorate, storage }
}
