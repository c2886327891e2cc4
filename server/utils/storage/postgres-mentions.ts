import type { Pool } from 'pg'
import { MAX_UNREAD_SCANNED, MAX_UNREAD_WITH_AT_SIGN, atSignFromRow } from './mention-types'
import type { AtSignRow, MentionStorage } from './mention-types'
import { postgresUnreadFrom } from './postgres-unread-starts'

/** Unread messages that may mention a reader, on PostgreSQL; `schema` is already checked and quoted. */
export function createPostgresMentions(pool: Pool, schema: string): MentionStorage {
  const sql = `SELECT room, id, seq, text, thread_id, also_to_room FROM (
    SELECT m.room, m.id, m.seq, m.text, m.thread_id, m.also_to_room, row_number() OVER (PARTITION BY m.room ORDER BY m.seq DESC) AS rank
    FROM ${postgresUnreadFrom(schema)} JOIN ${schema}.rooms ro ON ro.name = r.room
    JOIN ${schema}.messages m ON m.room = r.room AND m.seq > GREATEST(r.seq, ro.last_seq - $3)
    WHERE m.user_id <> $1 AND m.deleted_at IS NULL AND strpos(m.text, '@') > 0
  ) unread WHERE rank <= $2`
  return {
    async unreadWithAtSign(userId) {
      const { rows } = await pool.query<AtSignRow>(sql, [userId, MAX_UNREAD_WITH_AT_SIGN, MAX_UNREAD_SCANNED])
      return rows.map(atSignFromRow)
    },
  }
}
