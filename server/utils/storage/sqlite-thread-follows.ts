import type Database from 'better-sqlite3'
import { MAX_FOLLOWED_EVERYWHERE, MAX_FOLLOWED_THREADS, MAX_UNREAD_REPLIES, followedFromRows } from './thread-follow-types'
import type { FollowedRow, ThreadFollowStorage } from './thread-follow-types'

/** The followed threads (`roomFilter`: of one room, or '' for all) with the newest unread replies of each. */
const followedQuery = (roomFilter: string) => `
  SELECT room, root_id, read_seq, id, seq FROM (
    SELECT f.room, f.root_id, f.seq AS read_seq, m.id, m.seq,
      row_number() OVER (PARTITION BY f.root_id ORDER BY m.seq DESC) AS rank
    FROM (SELECT room, root_id, seq FROM thread_reads WHERE user_id = @user ${roomFilter} AND following = 1
      ORDER BY root_id DESC LIMIT @threads) f
    LEFT JOIN messages m ON m.thread_id = f.root_id AND m.room = f.room AND m.seq > f.seq
      AND m.user_id <> @user AND m.deleted_at IS NULL
  ) WHERE rank <= @replies ORDER BY root_id DESC`

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
    followed: db.prepare<{ user: string, room: string, threads: number, replies: number }, FollowedRow>(followedQuery('AND room = @room')),
    everywhere: db.prepare<{ user: string, threads: number, replies: number }, FollowedRow>(followedQuery('')),
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
    async followedThreadsEverywhere(userId) {
      return followedFromRows(statements.everywhere.all({ user: userId, threads: MAX_FOLLOWED_EVERYWHERE, replies: MAX_UNREAD_REPLIES }))
    },
  }
}
