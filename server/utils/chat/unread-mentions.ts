import type { MentionedMessage, User } from '#shared/protocol'
import { mentionCandidates } from '#shared/mentions'
import { namesUsername } from '../accounts/user-lookup'
import type { MentionStorage } from '../storage/mention-types'

/**
 * The unread messages of each room that @mention the user, ascending seq, by the rule a live mention follows: a
 * name in the text that means the user's username (`namesUsername`, beside the lookup live mentions use), so a
 * look-alike spelling counts and a name that merely starts the same does not. Read for the room list, so "@N"
 * survives a reload.
 */
export async function unreadMentions(storage: MentionStorage, user: User): Promise<Record<string, MentionedMessage[]>> {
  const byRoom: Record<string, MentionedMessage[]> = {}
  for (const { room, text, ...message } of await storage.unreadWithAtSign(user.id)) {
    if (namesUsername(mentionCandidates(text), user.username)) (byRoom[room] ??= []).push(message)
  }
  for (const messages of Object.values(byRoom)) messages.sort((a, b) => a.seq - b.seq)
  return byRoom
}
