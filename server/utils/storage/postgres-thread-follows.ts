import type { Pool } from 'pg'
import { MAX_FOLLOWED_THREADS, MAX_FOLLOWED_WEIGHED, MAX_UNREAD_REPLIES, followedFromRows } from './thread-follow-types'
import type { FollowedRow, ThreadFollowStorage } from './thread-follow-types'

// A reply by someone else after the reader's place ($1), not deleted: what makes a thread's "N new".
const UNREAD_REPLY = `m.thread_id = f.root_id AND m.room = f.room AND m.seq > f.seq AND m.user_id <> $1 AND m.deleted_at IS NULL`

/** Thread follows and read places in PostgreSQL; `schema` is already checked and quoted. */
export function createPostgresThreadFollows(pool: Pool, schema: string): ThreadFollowStorage {
  const sql = {
    // The replier, then the followers (one statement): the replier's row moves up, a follower's keeps its place.
    follow: `INSERT INTO ${schema}.thread_reads (user_id, root_id, room, seq, following)
      SELECT user_id, $2, $3, CASE WHEN user_id = $4 THEN $5::bigint ELSE $5::bigint - 1 END, true
      FROM unnest($1::text[]) AS user_id
      ON CONFLICT (user_id, root_id) DO UPDATE SET following = true,
        seq = CASE WHEN excluded.user_id = $4 THEN GREATEST(${schema}.thread_reads.seq, excluded.seq) ELSE ${schema}.thread_reads.seq END`,
    read: `INSERT INTO ${schema}.thread_reads (user_id, root_id, room, seq)
      SELECT $1, $2, name, GREATEST(0, LEAST($3::bigint, last_seq)) FROM ${schema}.rooms WHERE name = $4
      ON CONFLICT (user_id, root_id) DO UPDATE SET seq = GREATEST(${schema}.thread_reads.seq, excluded.seq) RETURNING seq`,
    followed: `SELECT room, root_id, read_seq, id, seq FROM (
        SELECT f.room, f.root_id, f.seq AS read_seq, m.id, m.seq,
          row_number() OVER (PARTITION BY f.root_id ORDER BY m.seq DESC) AS rank
        FROM (SELECT room, root_id, seq FROM ${schema}.thread_reads WHERE user_id = $1 AND room = $2 AND following
          ORDER BY root_id DESC LIMIT $3) f
        LEFT JOIN ${schema}.messages m ON ${UNREAD_REPLY}
      ) unread WHERE rank <= $4 ORDER BY root_id DESC`,
    rooms: `SELECT DISTINCT room FROM ${schema}.thread_reads WHERE user_id = $1 AND following`,
    // Ids compare as bytes (COLLATE "C"): time-ordered ids sort by time whatever the database's collation.
    followedIn: `WITH weighed AS (
        SELECT room, root_id, seq FROM ${schema}.thread_reads
        WHERE user_id = $1 AND following AND room = ANY($2::text[])
        ORDER BY root_id COLLATE "C" DESC LIMIT $3
      ), listed AS (
        SELECT f.room, f.root_id, f.seq,
          NOT EXISTS (SELECT 1 FROM ${schema}.messages m WHERE ${UNREAD_REPLY}) AS all_read,
          coalesce((SELECT m.id FROM ${schema}.messages m WHERE m.thread_id = f.root_id AND m.room = f.room ORDER BY m.seq DESC LIMIT 1), f.root_id) COLLATE "C" AS activity
        FROM weighed f
        ORDER BY all_read, activity DESC LIMIT $4
      )
      SELECT room, root_id, read_seq, id, seq FROM (
        SELECT f.room, f.root_id, f.seq AS read_seq, m.id, m.seq, f.all_read, f.activity,
          row_number() OVER (PARTITION BY f.root_id ORDER BY m.seq DESC) AS rank
        FROM listed f LEFT JOIN ${schema}.messages m ON ${UNREAD_REPLY}
      ) unread WHERE rank <= $5 ORDER BY all_read, activity DESC, root_id`,
  }
  return {
    async followThread(room, rootId, reply, followerIds) {
      const userIds = [reply.userId, ...new Set(followerIds.filter(id => id !== reply.userId))]
      await pool.query(sql.follow, [userIds, rootId, room, reply.userId, reply.seq])
    },
    async markThreadRead(userId, room, rootId, seq) {
      const { rows } = await pool.query<{ seq: string }>(sql.read, [userId, rootId, seq, room])
      if (!rows[0]) throw new Error(`Unknown room: ${room}`)
      return Number(rows[0].seq)
    },
    async followedThreads(userId, room) {
      const { rows } = await pool.query<FollowedRow>(sql.followed, [userId, room, MAX_FOLLOWED_THREADS, MAX_UNREAD_REPLIES])
      return followedFromRows(rows)
    },
    async roomsWithFollowedThreads(userId) {
      const { rows } = await pool.query<{ room: string }>(sql.rooms, [userId])
      return rows.map(row => row.room)
    },
    async followedThreadsIn(userId, rooms, limit) {
      if (rooms.length === 0) return []
      const { rows } = await pool.query<FollowedRow>(sql.followedIn, [userId, rooms, MAX_FOLLOWED_WEIGHED, limit, MAX_UNREAD_REPLIES])
      return followedFromRows(rows)
    },
  }
}
