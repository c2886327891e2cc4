import type { ChatMessage, ReplyFields } from '#shared/protocol'
import type { ChatStorage, NewMessage } from '../storage/types'
import type { FanOut } from '../fan-out/types'
import { warnAtMostEveryMinute } from '../http/throttled-log'
import { quoteOf } from '../storage/thread-rows'
import { ChatError } from './chat-error'

/**
 * A reply's targets, checked in its room: the quoted message and the thread's root must be messages of that
 * room, or the reply is refused with `reply_not_found` (the same answer whether the id exists elsewhere or not,
 * so a reply learns nothing of another room). A deleted message cannot be quoted; a reply into a thread reply's
 * thread goes to its root, so threads stay one level deep.
 */
export async function resolveReply(storage: ChatStorage, room: string, request: ReplyFields): Promise<Pick<NewMessage, 'replyTo' | 'threadId' | 'alsoToRoom'>> {
  const [quoted, root] = await Promise.all([
    request.replyTo === undefined ? undefined : storage.messageIn(room, request.replyTo),
    request.threadId === undefined ? undefined : storage.messageIn(room, request.threadId),
  ])
  if (quoted === null || root === null) throw new ChatError('reply_not_found')
  if (quoted?.deletedAt !== undefined) throw new ChatError('message_deleted')
  const threadId = root ? (root.threadId ?? root.id) : undefined
  return {
    ...(quoted && { replyTo: quoteOf(quoted) }),
    ...(threadId !== undefined && { threadId, ...(request.alsoToRoom === true && { alsoToRoom: true }) }),
  }
}

/**
 * After a thread reply was stored and heard: the room hears its root again (`update`) with the new summary, as
 * it hears any change to a message, so every open timeline's count, repliers and time follow. `recordFollowers`
 * runs first (it logs its own failures): whoever hears the new summary finds the thread's followers stored.
 */
export async function announceThread(storage: ChatStorage, fanOut: FanOut, reply: ChatMessage, recordFollowers?: (root: ChatMessage) => Promise<void>): Promise<void> {
  if (reply.threadId === undefined) return
  try {
    const root = await storage.messageIn(reply.room, reply.threadId)
    if (!root) return
    await recordFollowers?.(root)
    fanOut.toRoom(reply.room, { type: 'update', message: root })
  }
  catch (error) {
    // The reply is stored and heard; a stale count until the next reply or reload is the cost.
    warnAtMostEveryMinute('thread-summary', `could not announce a thread's summary: ${error instanceof Error ? error.message : String(error)}`)
  }
}

/** A page of the thread under `rootId` (the root itself, and its replies before `before`), for a reader the caller let in. */
export async function threadPage(storage: ChatStorage, room: string, rootId: string, before: number, limit: number): Promise<{ root: ChatMessage, messages: ChatMessage[] }> {
  const root = await storage.messageIn(room, rootId)
  if (!root || root.threadId !== undefined) throw new ChatError('not_found')
  return { root, messages: await storage.threadMessages(room, rootId, before, limit) }
}
