/** The most unread messages with an `@` that `unreadWithAtSign` answers per room: the newest. */
export const MAX_UNREAD_WITH_AT_SIGN = 200
/** How far back from a room's newest message the unread scans (these, thread-only replies) look: a long backlog costs no more. */
export const MAX_UNREAD_SCANNED = 2000

/** A message after the reader's marker that may mention them (its text has an `@`); the caller reads the names. */
export interface UnreadWithAtSign {
  room: string
  id: string
  seq: number
  text: string
  threadId?: string
  alsoToRoom?: true
}

/** What @mention counts need from the storage, so that they survive a reload. */
export interface MentionStorage {
  /**
   * Messages by others, not deleted, whose text holds an `@`, among each room's newest MAX_UNREAD_SCANNED: those
   * after the user's read marker or first sight (unread-start-types.ts) of each room where they have either, and
   * the replies sent only to a thread the user follows (of the MAX_FOLLOWED_WEIGHED newest roots), after their read
   * place in it (reading the room does not read its threads). The newest MAX_UNREAD_WITH_AT_SIGN per room of each kind, each message once, in any order.
   */
  unreadWithAtSign(userId: string): Promise<UnreadWithAtSign[]>
}

/** A row of that query, in either dialect. */
export interface AtSignRow { room: string, id: string, seq: number | string, text: string, thread_id: string | null, also_to_room: number | boolean }

export function atSignFromRow(row: AtSignRow): UnreadWithAtSign {
  return {
    room: row.room, id: row.id, seq: Number(row.seq), text: row.text,
    ...(row.thread_id !== null && { threadId: row.thread_id, ...(row.also_to_room ? { alsoToRoom: true as const } : {}) }),
  }
}

/** Each message once: a thread-only reply after the room's read marker is found by both scans. */
export function withoutRepeats(messages: readonly UnreadWithAtSign[]): UnreadWithAtSign[] {
  const seen = new Set<string>()
  return messages.filter((message) => {
    if (seen.has(message.id)) return false
    seen.add(message.id)
    return true
  })
}
