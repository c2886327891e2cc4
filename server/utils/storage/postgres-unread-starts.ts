import type { Pool } from 'pg'
import type { UnreadStartStorage } from './unread-start-types'

/** First sights (unread-start-types.ts) in PostgreSQL; `schema` is already checked and quoted. */
export function createPostgresUnreadStarts(pool: Pool, schema: string): UnreadStartStorage {
  const sql = {
    starts: `SELECT room, seq FROM ${schema}.read_markers WHERE user_id = $1 AND first_sight`,
    // One statement for all of them; DO NOTHING also settles a room given twice.
    start: `INSERT INTO ${schema}.read_markers (user_id, room, seq, first_sight)
      SELECT $1, r.name, GREATEST(0, LEAST(wanted.seq, r.last_seq)), true
      FROM unnest($2::text[], $3::bigint[]) AS wanted (room, seq) JOIN ${schema}.rooms r ON r.name = wanted.room
      ON CONFLICT (user_id, room) DO NOTHING`,
  }
  return {
    async unreadStarts(userId) {
      const { rows } = await pool.query<{ room: string, seq: string }>(sql.starts, [userId])
      return Object.fromEntries(rows.map(row => [row.room, Number(row.seq)]))
    },
    async startUnread(userId, starts) {
      if (starts.length === 0) return
      await pool.query(sql.start, [userId, starts.map(start => start.room), starts.map(start => start.seq)])
    },
  }
}
