import type { ChatMessage } from '#shared/protocol'

/** Replies and threads: a reply's quote and a root's summary ride on every message the storages read. */
export interface ThreadStorage {
  /** The message with this id in this room, as history shows it (quote, thread summary), or null. */
  messageIn(room: string, id: string): Promise<ChatMessage | null>
  /** The replies in the thread under `rootId` with seq < before (newest `limit`), ascending. */
  threadMessages(room: string, rootId: string, before: number, limit: number): Promise<ChatMessage[]>
}
