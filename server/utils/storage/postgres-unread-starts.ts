import type { Pool } from 'pg'
import type { UnreadStartStorage } from './unread-start-types'

/**
 * Where unread starts in each room for the user `$1`, as a table `r (room, seq)`: the further of their read
 * marker and their first sight, in every room that has either. `schema` is already checked and quoted.
 */
export const postgresUnreadFrom = (schema: string) => `(SELECT room, MAX(seq) AS seq FROM (
    SELECT room, seq FROM ${schema}.read_markers WHERE user_id = $1 UNION ALL SELECT room, seq FROM ${schema}.unread_starts WHERE user_id = $1
  ) marks GROUP BY room) r`

/** First sights (unread-start-types.ts) in PostgreSQL; `schema` is already checked and quoted. */
export function createPostgresUnreadStarts(pool: Pool, schema: string): UnreadStartStorage {
  const sql = {
    starts: `SELECT s.room, s.seq FROM ${schema}.unread_starts s
      LEFT JOIN ${schema}.read_markers r ON r.user_id = s.user_id AND r.room = s.room WHERE s.user_id = $1 AND (r.seq IS NULL OR s.seq > r.seq)`,
    // One statement for all of them.
    start: `INSERT INTO ${schema}.unread_starts (user_id, room, seq)
      SELECT $1, r.name, GREATEST(0, LEAST(wanted.seq, r.last_seq))
      FROM unnest($2::text[], $3::bigint[]) AS wanted (room, seq) JOIN ${schema}.rooms r ON r.name = wanted.room
      WHERE NOT EXISTS (SELECT 1 FROM ${schema}.read_markers m WHERE m.user_id = $1 AND m.room = r.name)
      ON CONFLICT (user_id, room) DO NOTHING`,
  }
  return {
    async unreadStarts(userId) {
      const { rows } = await pool.query<{ room: string, seq: string }>(sql.starts, [userId])
      return Object.fromEntries(rows.map(row => [row.room, Number(row.seq)]))
    },
    async startUnread(userId, starts) {
      // Of a room given twice the first counts, as on SQLite (one statement would keep either).
      const first = [...new Map([...starts].reverse().map(start => [start.room, start])).values()]
      if (first.length === 0) return
      await pool.query(sql.start, [userId, first.map(start => start.room), first.map(start => start.seq)])
    },
  }
}
