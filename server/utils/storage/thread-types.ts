import type { ChatMessage } from '#shared/protocol'

/** The most thread-only seqs `threadOnlyUnread` answers per room; past it, the older ones count as unread. */
export const MAX_THREAD_ONLY_UNREAD = 500

/** Replies and threads: a reply's quote and a root's summary ride on every message the storages read. */
export interface ThreadStorage {
  /** The message with this id in this room, as history shows it (quote, thread summary), or null. */
  messageIn(room: string, id: string): Promise<ChatMessage | null>
  /** Each message of `keys` that is in the room named with it (others left out, in no order), as history shows them. */
  messagesIn(keys: readonly { room: string, id: string }[]): Promise<ChatMessage[]>
  /** The replies in the thread under `rootId` with seq < before (newest `limit`), ascending. */
  threadMessages(room: string, rootId: string, before: number, limit: number): Promise<ChatMessage[]>
  /**
   * The seqs of replies sent to a thread only (not also to the room) after the user's read marker or first sight
   * (unread-start-types.ts), ascending, for each room where the user has either and such replies: the room's
   * timeline does not show them, so its unread count leaves them out. Among the room's newest MAX_UNREAD_SCANNED
   * messages, the newest MAX_THREAD_ONLY_UNREAD at most.
   */
  threadOnlyUnread(userId: string): Promise<Record<string, number[]>>
}

/** Rows of (room, seq), in any order, grouped by room, ascending. */
export function seqsByRoom(rows: readonly { room: string, seq: number | string }[]): Record<string, number[]> {
  const byRoom: Record<string, number[]> = {}
  for (const row of rows) (byRoom[row.room] ??= []).push(Number(row.seq))
  for (const seqs of Object.values(byRoom)) seqs.sort((a, b) => a - b)
  return byRoom
}
