// The protocol's fixed limits, which no setting changes (docs/protocol.md#limits).

/** Longest message text, counted in Unicode code points. */
export const MAX_TEXT_LENGTH = 4000
/** Largest frame the server reads; bigger frames close the connection with 1009. */
export const MAX_FRAME_BYTES = 64 * 1024
/** Messages a history request returns when it names no `limit`; the page and "load older" ask for as many. */
export const DEFAULT_HISTORY_PAGE = 50
/** Most messages one history request returns. */
export const MAX_HISTORY_LIMIT = 100
/** Longest search query, in code points; a longer one is refused with `query_too_long`. */
export const MAX_SEARCH_QUERY_LENGTH = 200
/** Results in one page of `GET /api/search`. */
export const SEARCH_PAGE_SIZE = 20
/** Longest text a reply's quote carries, in code points; the whole message is a jump away. */
export const QUOTE_LENGTH = 140
/** Latest repliers a thread summary names. */
export const THREAD_REPLIERS_SHOWN = 3
/** Most attachment ids one message may name (the server's own limit, NUXT_LIMITS_MAX_ATTACHMENTS_PER_MESSAGE, may be lower). */
export const MAX_ATTACHMENT_IDS = 32
