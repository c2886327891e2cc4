import type { ChatMessage } from '#shared/protocol'

/** What to look for, and for whom: only messages `userId` may read are ever found. */
export interface SearchQuery {
  userId: string
  /** The user's query as typed; the storage takes only its words (`searchTerms`), never its syntax. */
  text: string
  /** Only this room. */
  room?: string
  /** Only messages by this user id. */
  authorId?: string
  /** Only messages sent before this time (epoch ms, exclusive). */
  before?: number
  /** Only messages sent at or after this time (epoch ms). */
  after?: number
  /** `nextCursor` of the page before; the first page without it. */
  cursor?: string
  limit: number
}

/** Matching messages, newest first; `nextCursor` is null on the last page. */
export interface SearchHits {
  messages: ChatMessage[]
  nextCursor: string | null
}

/** A cursor this storage never handed out. */
export class InvalidSearchCursor extends Error {
  constructor() {
    super('Invalid search cursor')
  }
}

/** Full-text search over messages, which each database implements in a file of its own. */
export interface SearchStorage {
  /**
   * Messages matching every word of the query (the last one as a prefix), newest first: never a deleted message,
   * nor one of a private room or direct message the user is not a member of. No words, no results.
   * Throws InvalidSearchCursor for a cursor it did not make.
   */
  searchMessages(query: SearchQuery): Promise<SearchHits>
}
