import { isDirectRoom } from '#shared/protocol'
import type { ChatMessage, User } from '#shared/protocol'
import { mentionCandidates } from '#shared/mentions'
import { usersByUsernames } from '../accounts/user-lookup'
import type { FanOut } from '../fan-out/types'
import type { ChatStorage } from '../storage/types'
import { RoomPolicy } from './room-policy'
import type { RoomFacts } from './room-policy'
import { log } from '../log/logger'
import type { NotificationChoices } from '../notifications/notification-choices'

/**
 * Tells each @mentioned user (not the author), in every tab they have open, unless their level or mute in the
 * room keeps it quiet; a failure only costs the notifications.
 */
export async function notifyMentioned(storage: ChatStorage, fanOut: FanOut, message: ChatMessage, facts: RoomFacts,
  levels: Pick<NotificationChoices, 'alertsOf'>): Promise<void> {
  try {
    for (const user of await mentionedReaders(storage, message, facts)) {
      const kind = isDirectRoom(message.room) ? 'direct' : 'mention'
      if (!(await levels.alertsOf(user.id, message.room, kind, message.ts)).signal) continue
      fanOut.toUser(user.id, { type: 'notification', message })
    }
  }
  catch (error) {
    log.warn('mention-notify-failed', 'could not deliver mention notifications', { err: error })
  }
}

/** The users a message @mentions who may read its room, its author left out (no storage read without an `@`). */
export async function mentionedReaders(storage: Pick<ChatStorage, 'usersByUsernameKeys'>, message: ChatMessage, facts: RoomFacts): Promise<User[]> {
  const candidates = mentionCandidates(message.text)
  if (candidates.length === 0) return []
  // Nobody hears of a private conversation they are not in, not even that they were named in it.
  return (await usersByUsernames(storage, candidates)).users.filter(user => user.id !== message.user.id && RoomPolicy.mayHear(facts, user.id))
}
