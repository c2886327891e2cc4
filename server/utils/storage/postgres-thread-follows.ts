import type { Pool } from 'pg'
import { MAX_FOLLOWED_EVERYWHERE, MAX_FOLLOWED_THREADS, MAX_UNREAD_REPLIES, followedFromRows } from './thread-follow-types'
import type { FollowedRow, ThreadFollowStorage } from './thread-follow-types'

/** The followed threads (`roomFilter`: of one room, as $4, or '' for all) with the newest unread replies of each. */
const followedQuery = (schema: string, roomFilter: string) => `SELECT room, root_id, read_seq, id, seq FROM (
    SELECT f.room, f.root_id, f.seq AS read_seq, m.id, m.seq,
      row_number() OVER (PARTITION BY f.root_id ORDER BY m.seq DESC) AS rank
    FROM (SELECT room, root_id, seq FROM ${schema}.thread_reads WHERE user_id = $1 ${roomFilter} AND following
      ORDER BY root_id DESC LIMIT $2) f
    LEFT JOIN ${schema}.messages m ON m.thread_id = f.root_id AND m.room = f.room AND m.seq > f.seq
      AND m.user_id <> $1 AND m.deleted_at IS NULL
  ) unread WHERE rank <= $3 ORDER BY root_id DESC`

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
    followed: followedQuery(schema, 'AND room = $4'),
    everywhere: followedQuery(schema, ''),
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
      const { rows } = await pool.query<FollowedRow>(sql.followed, [userId, MAX_FOLLOWED_THREADS, MAX_UNREAD_REPLIES, room])
      return followedFromRows(rows)
    },
    async followedThreadsEverywhere(userId) {
      const { rows } = await pool.query<FollowedRow>(sql.everywhere, [userId, MAX_FOLLOWED_EVERYWHERE, MAX_UNREAD_REPLIES])
      return followedFromRows(rows)
    },
  }
}
