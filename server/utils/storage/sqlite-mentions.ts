import type Database from 'better-sqlite3'
import { MAX_UNREAD_SCANNED, MAX_UNREAD_WITH_AT_SIGN, atSignFromRow, withoutRepeats } from './mention-types'
import type { AtSignRow, MentionStorage } from './mention-types'
import { SQLITE_UNREAD_FROM } from './sqlite-unread-starts'
import { MAX_FOLLOWED_WEIGHED } from './thread-follow-types'

/**
 * Unread messages that may mention a reader, on SQLite: each room's unread part (after the read marker or first
 * sight), by its (room, seq) key, and the thread-only replies after the reader's place in each thread they
 * follow (the newest MAX_FOLLOWED_WEIGHED roots), by the thread's (thread_id, seq) key.
 */
export function createSqliteMentions(db: Database.Database): MentionStorage {
  const inRooms = db.prepare<{ user: string, limit: number, scanned: number }, AtSignRow>(`SELECT room, id, seq, text, thread_id, also_to_room FROM (
    SELECT m.room, m.id, m.seq, m.text, m.thread_id, m.also_to_room, row_number() OVER (PARTITION BY m.room ORDER BY m.seq DESC) AS rank
    FROM ${SQLITE_UNREAD_FROM} JOIN rooms ro ON ro.name = r.room
    JOIN messages m ON m.room = r.room AND m.seq > MAX(r.seq, ro.last_seq - @scanned)
    WHERE m.user_id <> @user AND m.deleted_at IS NULL AND instr(m.text, '@') > 0
  ) WHERE rank <= @limit`)
  const inThreads = db.prepare<{ user: string, limit: number, scanned: number, threads: number }, AtSignRow>(`SELECT room, id, seq, text, thread_id, also_to_room FROM (
    SELECT m.room, m.id, m.seq, m.text, m.thread_id, m.also_to_room, row_number() OVER (PARTITION BY m.room ORDER BY m.seq DESC) AS rank
    FROM (SELECT room, root_id, seq FROM thread_reads WHERE user_id = @user AND following = 1 ORDER BY root_id DESC LIMIT @threads) t
    JOIN rooms ro ON ro.name = t.room
    JOIN messages m ON m.thread_id = t.root_id AND m.seq > MAX(t.seq, ro.last_seq - @scanned)
    WHERE m.also_to_room = 0 AND m.user_id <> @user AND m.deleted_at IS NULL AND instr(m.text, '@') > 0
  ) WHERE rank <= @limit`)
  return {
    async unreadWithAtSign(userId) {
      const parameters = { user: userId, limit: MAX_UNREAD_WITH_AT_SIGN, scanned: MAX_UNREAD_SCANNED }
      const threads = inThreads.all({ ...parameters, threads: MAX_FOLLOWED_WEIGHED })
      return withoutRepeats([...inRooms.all(parameters), ...threads].map(atSignFromRow))
    },
  }
}
