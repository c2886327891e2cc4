import type Database from 'better-sqlite3'
import type { UnreadStart, UnreadStartStorage } from './unread-start-types'

/**
 * Where unread starts in each room for the user `@user`, as a table `r (room, seq)`: the further of their read
 * marker and their first sight, in every room that has either.
 */
export const SQLITE_UNREAD_FROM = `(SELECT room, MAX(seq) AS seq FROM (
    SELECT room, seq FROM read_markers WHERE user_id = @user UNION ALL SELECT room, seq FROM unread_starts WHERE user_id = @user
  ) GROUP BY room) r`

/** First sights (unread-start-types.ts) in SQLite. */
export function createSqliteUnreadStarts(db: Database.Database): UnreadStartStorage {
  const statements = {
    starts: db.prepare<[string], { room: string, seq: number }>(`SELECT s.room, s.seq FROM unread_starts s
      LEFT JOIN read_markers r ON r.user_id = s.user_id AND r.room = s.room WHERE s.user_id = ? AND (r.seq IS NULL OR s.seq > r.seq)`),
    start: db.prepare<{ user: string, room: string, seq: number }>(`INSERT INTO unread_starts (user_id, room, seq)
      SELECT @user, name, MAX(0, MIN(@seq, last_seq)) FROM rooms
      WHERE name = @room AND NOT EXISTS (SELECT 1 FROM read_markers WHERE user_id = @user AND room = @room)
      ON CONFLICT (user_id, room) DO NOTHING`),
  }
  const startAll = db.transaction((user: string, starts: readonly UnreadStart[]) => {
    for (const { room, seq } of starts) statements.start.run({ user, room, seq })
  })
  return {
    async unreadStarts(userId) {
      return Object.fromEntries(statements.starts.all(userId).map(row => [row.room, row.seq]))
    },
    async startUnread(userId, starts) {
      if (starts.length > 0) startAll.immediate(userId, starts)
    },
  }
}
