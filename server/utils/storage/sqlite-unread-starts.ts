import type Database from 'better-sqlite3'
import type { UnreadStart, UnreadStartStorage } from './unread-start-types'

/** First sights (unread-start-types.ts) in SQLite: read_markers rows with first_sight = 1. */
export function createSqliteUnreadStarts(db: Database.Database): UnreadStartStorage {
  const statements = {
    starts: db.prepare<[string], { room: string, seq: number }>('SELECT room, seq FROM read_markers WHERE user_id = ? AND first_sight = 1'),
    start: db.prepare(`INSERT INTO read_markers (user_id, room, seq, first_sight) SELECT ?, name, MAX(0, MIN(?, last_seq)), 1 FROM rooms
      WHERE name = ? ON CONFLICT (user_id, room) DO NOTHING`),
  }
  const startAll = db.transaction((userId: string, starts: readonly UnreadStart[]) => {
    for (const { room, seq } of starts) statements.start.run(userId, seq, room)
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
