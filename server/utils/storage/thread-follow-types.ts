/** The most threads `followedThreads` answers per room: the newest roots. */
export const MAX_FOLLOWED_THREADS = 500
/** The most threads `followedThreadsEverywhere` answers, over all rooms: the newest roots. */
export const MAX_FOLLOWED_EVERYWHERE = 500
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
export interface FollowedThreadIn extends FollowedThread {
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
  /** The same over every room (newest roots first), whether the user may still read it or not: callers check. */
  followedThreadsEverywhere(userId: string): Promise<FollowedThreadIn[]>
}

/** One row of a followed-threads query: a thread, and one of its unread replies (or nulls). */
export interface FollowedRow { room: string, root_id: string, read_seq: number | string, id: string | null, seq: number | string | null }

/** Rows of (room, root, read seq, unread reply or nulls), grouped by root in the rows' order, replies ascending. */
export function followedFromRows(rows: readonly FollowedRow[]): FollowedThreadIn[] {
  const byRoot = new Map<string, FollowedThreadIn>()
  for (const row of rows) {
    let thread = byRoot.get(row.root_id)
    if (!thread) byRoot.set(row.root_id, (thread = { room: row.room, rootId: row.root_id, readSeq: Number(row.read_seq), unread: [] }))
    if (row.id !== null && row.seq !== null) thread.unread.push({ id: row.id, seq: Number(row.seq) })
  }
  for (const thread of byRoot.values()) thread.unread.sort((a, b) => a.seq - b.seq)
  return [...byRoot.values()]
}
