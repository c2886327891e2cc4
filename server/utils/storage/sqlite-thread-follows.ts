import type Database from 'better-sqlite3'
import { MAX_FOLLOWED_THREADS, MAX_FOLLOWED_WEIGHED, MAX_UNREAD_REPLIES, followedFromRows } from './thread-follow-types'
import type { FollowedRow, ThreadFollowStorage } from './thread-follow-types'

// A reply by someone else after the reader's place, not deleted: what makes a thread's "N new".
const UNREAD_REPLY = `m.thread_id = f.root_id AND m.room = f.room AND m.seq > f.seq AND m.user_id <> @user AND m.deleted_at IS NULL`

/** Thread follows and read places in SQLite (`thread_reads`, sqlite-migrations.ts). */
export function createSqliteThreadFollows(db: Database.Database): ThreadFollowStorage {
  const statements = {
    replied: db.prepare(`INSERT INTO thread_reads (user_id, root_id, room, seq, following) VALUES (?, ?, ?, ?, 1)
      ON CONFLICT (user_id, root_id) DO UPDATE SET following = 1, seq = MAX(thread_reads.seq, excluded.seq)`),
    follows: db.prepare(`INSERT INTO thread_reads (user_id, root_id, room, seq, following) VALUES (?, ?, ?, ?, 1)
      ON CONFLICT (user_id, root_id) DO UPDATE SET following = 1`),
    read: db.prepare<[string, string, number, string], { seq: number }>(`INSERT INTO thread_reads (user_id, root_id, room, seq)
      SELECT ?, ?, name, MAX(0, MIN(?, last_seq)) FROM rooms WHERE name = ?
      ON CONFLICT (user_id, root_id) DO UPDATE SET seq = MAX(thread_reads.seq, excluded.seq) RETURNING seq`),
    followed: db.prepare<{ user: string, room: string, threads: number, replies: number }, FollowedRow>(`
      SELECT room, root_id, read_seq, id, seq FROM (
        SELECT f.room, f.root_id, f.seq AS read_seq, m.id, m.seq,
          row_number() OVER (PARTITION BY f.root_id ORDER BY m.seq DESC) AS rank
        FROM (SELECT room, root_id, seq FROM thread_reads WHERE user_id = @user AND room = @room AND following = 1
          ORDER BY root_id DESC LIMIT @threads) f
        LEFT JOIN messages m ON ${UNREAD_REPLY}
      ) WHERE rank <= @replies ORDER BY root_id DESC`),
    rooms: db.prepare<[string], { room: string }>('SELECT DISTINCT room FROM thread_reads WHERE user_id = ? AND following = 1'),
    // Each weighed thread costs two index seeks (messages_thread, newest first): its newest unread and newest reply.
    followedIn: db.prepare<{ user: string, rooms: string, weighed: number, threads: number, replies: number }, FollowedRow>(`
      WITH weighed AS (
        SELECT room, root_id, seq FROM thread_reads
        WHERE user_id = @user AND following = 1 AND room IN (SELECT value FROM json_each(@rooms))
        ORDER BY root_id DESC LIMIT @weighed
      ), listed AS (
        SELECT f.room, f.root_id, f.seq,
          NOT EXISTS (SELECT 1 FROM messages m WHERE ${UNREAD_REPLY}) AS all_read,
          coalesce((SELECT m.id FROM messages m WHERE m.thread_id = f.root_id AND m.room = f.room ORDER BY m.seq DESC LIMIT 1), f.root_id) AS activity
        FROM weighed f
        ORDER BY all_read, activity DESC LIMIT @threads
      )
      SELECT room, root_id, read_seq, id, seq FROM (
        SELECT f.room, f.root_id, f.seq AS read_seq, m.id, m.seq, f.all_read, f.activity,
          row_number() OVER (PARTITION BY f.root_id ORDER BY m.seq DESC) AS rank
        FROM listed f LEFT JOIN messages m ON ${UNREAD_REPLY}
      ) WHERE rank <= @replies ORDER BY all_read, activity DESC, root_id`),
  }
  const follow = db.transaction((room: string, rootId: string, reply: { userId: string, seq: number }, followerIds: readonly string[]) => {
    statements.replied.run(reply.userId, rootId, room, reply.seq)
    for (const userId of followerIds) if (userId !== reply.userId) statements.follows.run(userId, rootId, room, reply.seq - 1)
  })
  return {
    async followThread(room, rootId, reply, followerIds) {
      follow(room, rootId, reply, followerIds)
    },
    async markThreadRead(userId, room, rootId, seq) {
      const row = statements.read.get(userId, rootId, seq, room)
      if (!row) throw new Error(`Unknown room: ${room}`)
      return row.seq
    },
    async followedThreads(userId, room) {
      return followedFromRows(statements.followed.all({ user: userId, room, threads: MAX_FOLLOWED_THREADS, replies: MAX_UNREAD_REPLIES }))
    },
    async roomsWithFollowedThreads(userId) {
      return statements.rooms.all(userId).map(row => row.room)
    },
    async followedThreadsIn(userId, rooms, limit) {
      if (rooms.length === 0) return []
      return followedFromRows(statements.followedIn.all({
        user: userId, rooms: JSON.stringify(rooms), weighed: MAX_FOLLOWED_WEIGHED, threads: limit, replies: MAX_UNREAD_REPLIES,
      }))
    },
  }
}
