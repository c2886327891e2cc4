import type { ChatMessage } from '#shared/protocol'
import { mentionCandidates } from '#shared/mentions'
import { usersByUsernames } from '../accounts/user-lookup'
import { RoomPolicy } from '../chat/room-policy'
import type { RoomFacts } from '../chat/room-policy'
import type { ChatStorage } from '../storage/types'
import type { PushEvent } from './push-policy'

/** Replies of a thread read to find who takes part in it; older repliers than these are not pushed. */
const THREAD_REPLIES_READ = 200

/**
 * Who might be pushed of a new message, and why: the other members of a direct message, then each @mentioned
 * user who may read the room (a mention in a private room names nobody outside it), then, for a thread reply,
 * the thread's starter and earlier repliers. Never the author, each user once (a mention inside a direct message
 * is the direct message).
 */
export async function messagePushCandidates(
  storage: Pick<ChatStorage, 'usersByUsernameKeys' | 'messageIn' | 'threadMessages'>,
  message: ChatMessage,
  facts: RoomFacts,
): Promise<PushEvent[]> {
  const events = new Map<string, PushEvent>()
  if (facts.kind === 'dm' && facts.members) {
    for (const userId of facts.members) {
      if (userId !== message.user.id) events.set(userId, { userId, room: message.room, kind: 'dm' })
    }
  }
  const candidates = mentionCandidates(message.text)
  if (candidates.length > 0) {
    for (const user of (await usersByUsernames(storage, candidates)).users) {
      if (user.id === message.user.id || events.has(user.id) || !RoomPolicy.mayHear(facts, user.id)) continue
      events.set(user.id, { userId: user.id, room: message.room, kind: 'mention' })
    }
  }
  if (message.threadId) {
    const root = await storage.messageIn(message.room, message.threadId)
    const replies = await storage.threadMessages(message.room, message.threadId, message.seq, THREAD_REPLIES_READ)
    for (const { user } of [...(root ? [root] : []), ...replies]) {
      if (user.id === message.user.id || events.has(user.id) || !RoomPolicy.mayHear(facts, user.id)) continue
      events.set(user.id, { userId: user.id, room: message.room, kind: 'thread-reply' })
    }
  }
  return [...events.values()]
}
