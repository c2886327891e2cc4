import { auditIn } from '../accounts/audit'
import type { ChatMessage, User } from '#shared/protocol'
import type { ErrorCode } from '#shared/error-codes'
import type { ChatStorage, MessageChange } from '../storage/types'
import { ChatError } from './chat-error'
import type { ChatLimits } from './limits'
import { mayActInRoom } from './room-admin'

/** An edit, delete, reaction, pin or unpin, from the socket or REST. */
export type MessageChangeRequest =
  | { type: 'edit', room: string, id: string, text: string }
  | { type: 'delete', room: string, id: string }
  | { type: 'react', room: string, id: string, emoji: string }
  | { type: 'pin' | 'unpin', room: string, id: string }

const CHANGE_REFUSALS = { not_found: 'not_found', not_owner: 'not_owner', deleted: 'message_deleted', reaction_limit: 'reaction_limit', pin_limit: 'pin_limit' } as const satisfies Record<string, ErrorCode>

/**
 * Who may change a stored message and how, for a user the caller has let into the room: its author edits and
 * deletes it, a moderator of the room (its owner, an admin) deletes anyone's (marked removed by a moderator,
 * and audited), anyone reacts and pins within the caps, and a pin is taken back by its pinner or a moderator.
 * Answers the message as it is now; a refusal is a ChatError.
 */
export async function applyMessageChange(storage: ChatStorage, limits: ChatLimits, user: User, change: MessageChangeRequest): Promise<ChatMessage> {
  let result = await storedChange(storage, limits, user, change)
  if (change.type === 'delete' && !result.ok && result.reason === 'not_owner' && await mayActInRoom(storage, user.id, change.room, 'room.moderate')) {
    result = await storage.deleteMessage(change.room, change.id, user.id, Date.now(), true)
    if (result.ok) {
      await auditIn(storage, user.id, 'message.removed', 'message', change.id, { room: change.room, authorId: result.message.user.id })
    }
  }
  if (!result.ok) throw new ChatError(CHANGE_REFUSALS[result.reason])
  return result.message
}

async function storedChange(storage: ChatStorage, limits: ChatLimits, user: User, change: MessageChangeRequest): Promise<MessageChange> {
  const now = Date.now()
  switch (change.type) {
    case 'edit': return storage.editMessage(change.room, change.id, user.id, change.text, now)
    case 'delete': return storage.deleteMessage(change.room, change.id, user.id, now)
    case 'react': return storage.toggleReaction(change.room, change.id, user.id, change.emoji, {
      perUser: limits.maxReactionsPerUserPerMessage,
      perMessage: limits.maxEmojiPerMessage,
    })
    case 'pin':
    case 'unpin': {
      const moderator = change.type === 'unpin' && await mayActInRoom(storage, user.id, change.room, 'room.moderate')
      return storage.setPinned(change.room, change.id, user.id, change.type === 'pin', now, {
        maxPins: limits.maxPinsPerRoom,
        ...(!moderator && { onlyPinner: user.id }),
      })
    }
  }
}
