import { isDirectRoom } from '#shared/protocol'
import type { ChatMessage } from '#shared/protocol'
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
  const candidates = mentionCandidates(message.text)
  if (candidates.length === 0) return
  try {
    for (const user of (await usersByUsernames(storage, candidates)).users) {
      // Nobody hears of a private conversation they are not in, not even that they were named in it.
      if (user.id === message.user.id || !RoomPolicy.mayHear(facts, user.id)) continue
      const kind = isDirectRoom(message.room) ? 'direct' : 'mention'
      if (!(await levels.alertsOf(user.id, message.room, kind, message.ts)).signal) continue
      fanOut.toUser(user.id, { type: 'notification', message })
    }
  }
  catch (error) {
    log.warn('mention-notify-failed', 'could not deliver mention notifications', { err: error })
  }
}
