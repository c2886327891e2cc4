/** The most threads `followedThreads` answers per room: the newest roots. */
export const MAX_FOLLOWED_THREADS = 500
/** Of the threads a user follows over all rooms, how many newest roots `followedThreadsIn` weighs. */
export const MAX_FOLLOWED_WEIGHED = 1000
/** The most unread replies `followedThreads` lists per thread: the newest. */
export const MAX_UNREAD_REPLIES = 99

/** A thread the user follows: where they read it up to, and the replies by others since. */
export interface FollowedThread {
  rootId: string
  readSeq: number
  /** Ascending seq; not deleted, not the user's own. */
  unread: { id: string, seq: number }[]
}

/** A followed thread, and the room it is in. */
export interface FollowedThreadWithRoom extends FollowedThread {
  room: string
}

/**
 * Who follows which thread (its root's author, its repliers, the people mentioned in it) and where each user read
 * every thread they opened up to, so a thread's "N new" is the same in every tab and after a reload.
 */
export interface ThreadFollowStorage {
  /**
   * A reply was stored in the thread under `rootId`: its author follows the thread, read up to the reply; each of
   * `followerIds` (the root's author, the people the reply mentions) follows it from just before it, or from where
   * they had read it.
   */
  followThread(room: string, rootId: string, reply: { userId: string, seq: number }, followerIds: readonly string[]): Promise<void>
  /** Raises the user's read place in a thread (never lowers it, never past the room's last seq); answers it. */
  markThreadRead(userId: string, room: string, rootId: string, seq: number): Promise<number>
  /** The threads of `room` the user follows (newest roots first), each with the replies by others after its read place. */
  followedThreads(userId: string, room: string): Promise<FollowedThread[]>
  /** The rooms where the user follows a thread, whether they may still read them or not. */
  roomsWithFollowedThreads(userId: string): Promise<string[]>
  /**
   * The threads the user follows in `rooms`, at most `limit`, of the MAX_FOLLOWED_WEIGHED newest roots: those with
   * replies by others after the read place first, then the rest, each part by its newest reply (or root) id, newest
   * first; each with those replies, as `followedThreads` has them.
   */
  followedThreadsIn(userId: string, rooms: readonly string[], limit: number): Promise<FollowedThreadWithRoom[]>
}

/** One row of a followed-threads query: a thread, and one of its unread replies (or nulls). */
export interface FollowedRow { room: string, root_id: string, read_seq: number | string, id: string | null, seq: number | string | null }

/** Rows of (room, root, read seq, unread reply or nulls), grouped by root in the rows' order, replies ascending. */
export function followedFromRows(rows: readonly FollowedRow[]): FollowedThreadWithRoom[] {
  const byRoot = new Map<string, FollowedThreadWithRoom>()
  for (const row of rows) {
    let thread = byRoot.get(row.root_id)
    if (!thread) byRoot.set(row.root_id, (thread = { room: row.room, rootId: row.root_id, readSeq: Number(row.read_seq), unread: [] }))
    if (row.id !== null && row.seq !== null) thread.unread.push({ id: row.id, seq: Number(row.seq) })
  }
  for (const thread of byRoot.values()) thread.unread.sort((a, b) => a.seq - b.seq)
  return [...byRoot.values()]
}
