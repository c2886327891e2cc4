import type { ChatMessage, Quote, ThreadSummary } from '#shared/protocol'
import { QUOTE_LENGTH, THREAD_REPLIERS_SHOWN } from '#shared/protocol-limits'
import { authorOf } from './account-rows'
import type { AuthorColumns } from './account-rows'
import type { NewMessage } from './types'

/** The reply and thread columns of a `messages` row (SQLite stores the flag as 0/1, pg as a boolean). */
export interface ThreadColumns {
  id: string
  reply_to: string | null
  thread_id: string | null
  also_to_room: number | boolean
}

/** One replier of one thread, grouped by (thread, user): their replies, and their latest reply's seq and time. */
export interface ReplierRow extends AuthorColumns {
  thread_id: string
  replies: number | string
  last_seq: number | string
  last_ts: number | string
}

/** The stored thread fields as the message carries them; absent ones are left out, as everywhere. */
export function threadFieldsOf(row: Pick<ThreadColumns, 'thread_id' | 'also_to_room'>): Pick<ChatMessage, 'threadId' | 'alsoToRoom'> {
  return {
    ...(row.thread_id !== null && { threadId: row.thread_id }),
    ...(row.thread_id !== null && Boolean(row.also_to_room) && { alsoToRoom: true as const }),
  }
}

/** A new message's reply fields as the storage answers them: the caller's quote, the thread and its flag. */
export function newReplyFields(message: NewMessage): Pick<ChatMessage, 'replyTo' | 'threadId' | 'alsoToRoom'> {
  return {
    ...(message.replyTo && { replyTo: message.replyTo }),
    ...threadFieldsOf({ thread_id: message.threadId ?? null, also_to_room: message.alsoToRoom === true }),
  }
}

/** How a reply quotes `message`: author and the start of the text, or that it was deleted. */
export function quoteOf(message: ChatMessage): Quote {
  if (message.deletedAt !== undefined) return { id: message.id, seq: message.seq, user: message.user, text: '', deleted: true }
  const codePoints = [...message.text]
  const text = codePoints.length > QUOTE_LENGTH ? `${codePoints.slice(0, QUOTE_LENGTH - 1).join('')}…` : message.text
  return { id: message.id, seq: message.seq, user: message.user, text }
}

/** Each thread's summary from its repliers' rows: the count, the last reply's time, the latest repliers first. */
export function summarizeThreads(rows: readonly ReplierRow[]): Map<string, ThreadSummary> {
  const byThread = new Map<string, ReplierRow[]>()
  for (const row of rows) {
    const list = byThread.get(row.thread_id)
    if (list) list.push(row)
    else byThread.set(row.thread_id, [row])
  }
  const summaries = new Map<string, ThreadSummary>()
  for (const [threadId, repliers] of byThread) {
    repliers.sort((a, b) => Number(b.last_seq) - Number(a.last_seq))
    summaries.set(threadId, {
      count: repliers.reduce((sum, row) => sum + Number(row.replies), 0),
      lastReplyAt: Number(repliers[0]!.last_ts),
      repliers: repliers.slice(0, THREAD_REPLIERS_SHOWN).map(authorOf),
    })
  }
  return summaries
}

/** The ids a page's rows quote, for one lookup of them all. */
export const quotedIds = (rows: readonly ThreadColumns[]): string[] =>
  [...new Set(rows.flatMap(row => row.reply_to === null ? [] : [row.reply_to]))]

/**
 * Adds each message's quote (only of a message in its own room: nothing of another room is ever shown) and each
 * root's thread summary, from one lookup of the quoted messages and one of the repliers for the whole page.
 */
export function withThreadFacts(rows: readonly ThreadColumns[], messages: ChatMessage[], quoted: readonly ChatMessage[], repliers: readonly ReplierRow[]): ChatMessage[] {
  const quotes = new Map(quoted.map(message => [message.id, message]))
  const summaries = summarizeThreads(repliers)
  return messages.map((message, index) => {
    const replyTo = rows[index]!.reply_to
    const original = replyTo === null ? undefined : quotes.get(replyTo)
    const thread = summaries.get(message.id)
    return {
      ...message,
      ...(original && original.room === message.room && { replyTo: quoteOf(original) }),
      ...(thread && { thread }),
    }
  })
}
