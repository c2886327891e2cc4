import type { Pool, PoolClient } from 'pg'
import type { ChatMessage } from '#shared/protocol'
import { MESSAGE_WITH_AUTHOR } from './account-rows'
import { quotedIds, withThreadFacts } from './thread-rows'
import type { ReplierRow, ThreadColumns } from './thread-rows'
import { MAX_THREAD_ONLY_UNREAD, seqsByRoom } from './thread-types'
import type { ThreadStorage } from './thread-types'
import { MAX_UNREAD_SCANNED } from './mention-types'
import { postgresUnreadFrom } from './postgres-unread-starts'

/**
 * Replies and threads on PostgreSQL: `decorate` adds quotes and thread summaries to a page of rows (one query for
 * the repliers of the whole page, one more only when it quotes anything); the storage methods read through
 * `page`, the storage's own rows-to-messages step (reactions, then `decorate`).
 */
export function createPostgresThreads<Row extends ThreadColumns>(schema: string, plain: (row: Row) => ChatMessage) {
  const withAuthor = `${MESSAGE_WITH_AUTHOR} FROM ${schema}.messages m LEFT JOIN ${schema}.users u ON u.id = m.user_id`
  const sql = {
    quoted: `SELECT ${withAuthor} WHERE m.id = ANY($1::text[])`,
    repliers: `SELECT m.thread_id, m.user_id, max(m.user_name) AS user_name,
      u.username AS author_username, u.display_name AS author_display_name, u.role AS author_role, u.deleted_at AS author_deleted_at,
      count(*) AS replies, max(m.seq) AS last_seq, max(m.ts) AS last_ts
      FROM ${schema}.messages m LEFT JOIN ${schema}.users u ON u.id = m.user_id
      WHERE m.thread_id = ANY($1::text[])
      GROUP BY m.thread_id, m.user_id, u.username, u.display_name, u.role, u.deleted_at`,
    byId: `SELECT ${withAuthor} WHERE m.id = $1 AND m.room = $2`,
    byKeys: `SELECT ${withAuthor} WHERE (m.room, m.id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    threadBefore: `SELECT ${withAuthor} WHERE m.thread_id = $1 AND m.room = $2 AND m.seq < $3 ORDER BY m.seq DESC LIMIT $4`,
    // Reads only the unread part of each room (by its (room, seq) key, its newest MAX_UNREAD_SCANNED at most),
    // newest first for the cap, in a LATERAL per room (postgres-mentions.ts says why).
    threadOnlyUnread: `SELECT r.room, m.seq FROM ${postgresUnreadFrom(schema)} JOIN ${schema}.rooms ro ON ro.name = r.room
      CROSS JOIN LATERAL (
        SELECT seq FROM ${schema}.messages
        WHERE room = ro.name AND seq > GREATEST(r.seq, ro.last_seq - $3) AND thread_id IS NOT NULL AND NOT also_to_room
        ORDER BY seq DESC LIMIT $2
      ) m`,
  }

  async function decorate(client: Pool | PoolClient, rows: Row[], messages: ChatMessage[]): Promise<ChatMessage[]> {
    if (rows.length === 0) return messages
    const quoting = quotedIds(rows)
    const [quoted, repliers] = await Promise.all([
      quoting.length === 0 ? [] : client.query<Row>(sql.quoted, [quoting]).then(result => result.rows.map(plain)),
      client.query<ReplierRow>(sql.repliers, [rows.map(row => row.id)]).then(result => result.rows),
    ])
    return withThreadFacts(rows, messages, quoted, repliers)
  }

  function storage(pool: Pool, page: (client: Pool, rows: Row[]) => Promise<ChatMessage[]>): ThreadStorage {
    return {
      async messageIn(room, id) {
        const { rows } = await pool.query<Row>(sql.byId, [id, room])
        return rows[0] ? (await page(pool, rows))[0]! : null
      },
      async messagesIn(keys) {
        if (keys.length === 0) return []
        const { rows } = await pool.query<Row>(sql.byKeys, [keys.map(key => key.room), keys.map(key => key.id)])
        return page(pool, rows)
      },
      async threadMessages(room, rootId, before, limit) {
        const { rows } = await pool.query<Row>(sql.threadBefore, [rootId, room, before, limit])
        return page(pool, rows.reverse())
      },
      async threadOnlyUnread(userId) {
        const { rows } = await pool.query<{ room: string, seq: string }>(sql.threadOnlyUnread, [userId, MAX_THREAD_ONLY_UNREAD, MAX_UNREAD_SCANNED])
        return seqsByRoom(rows)
      },
    }
  }

  return { decorate, storage }
}
