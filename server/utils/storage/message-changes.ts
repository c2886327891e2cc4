import type { ChatMessage, Reaction } from '#shared/protocol'
import type { MessageChange, PinChange, ReactionCaps } from './types'

/** One stored reaction; both storages return them in the order they were made. */
export interface ReactionRow {
  message_id: string
  user_id: string
  emoji: string
}

/** The columns that decide whether a message may still change, and by whom. */
export interface MessageState {
  user_id: string
  deleted_at: number | string | null
  pinned_by: string | null
}

/**
 * Why pinning (or unpinning) a message is refused, after `refusal`: the room holds `maxPins` already (0: no cap),
 * or an unpin by someone other than `unpinner` when only they may.
 */
export function pinRefusal(state: MessageState, pin: boolean, pinnedInRoom: number, change: PinChange): Extract<MessageChange, { ok: false }> | null {
  if (pin && state.pinned_by === null && change.maxPins > 0 && pinnedInRoom >= change.maxPins) return { ok: false, reason: 'pin_limit' }
  if (!pin && state.pinned_by !== null && change.onlyPinner !== undefined && state.pinned_by !== change.onlyPinner) return { ok: false, reason: 'not_owner' }
  return null
}

/** Groups reactions by message: emojis in order of their first reaction, users in reaction order. */
export function groupReactions(rows: readonly ReactionRow[]): Map<string, Reaction[]> {
  const byMessage = new Map<string, Reaction[]>()
  for (const row of rows) {
    let reactions = byMessage.get(row.message_id)
    if (!reactions) byMessage.set(row.message_id, reactions = [])
    const entry = reactions.find(reaction => reaction.emoji === row.emoji)
    if (entry) entry.userIds.push(row.user_id)
    else reactions.push({ emoji: row.emoji, userIds: [row.user_id] })
  }
  return byMessage
}

/** Adds only the optional fields that have a value, so an untouched message equals what was appended. */
export function withChanges(message: ChatMessage, editedAt: number | null, deletedAt: number | null, reactions?: Reaction[], deletedBy: string | null = null, pin: StoredPin | null = null): ChatMessage {
  return {
    ...message,
    ...(editedAt !== null && { editedAt }),
    ...(deletedAt !== null && { deletedAt }),
    ...(deletedBy !== null && { removedByModerator: true as const }),
    ...(reactions !== undefined && reactions.length > 0 && { reactions }),
    ...(pin !== null && { pinnedAt: pin.at, pinnedBy: pin.by }),
  }
}

/** A message's pin as the storages read it: when, and by whose user id. */
export interface StoredPin {
  at: number
  by: string
}

/** The pin of a row's `pinned_at` and `pinned_by` columns (pg returns BIGINT as a string), null when not pinned. */
export function pinOf(row: { pinned_at: number | string | null, pinned_by: string | null }): StoredPin | null {
  return row.pinned_at === null || row.pinned_by === null ? null : { at: Number(row.pinned_at), by: row.pinned_by }
}

/** Why a change to a message is refused, checked in this order: missing, someone else's (edit and delete only), deleted. */
export function refusal(state: MessageState | undefined, userId: string, ownerOnly: boolean): Extract<MessageChange, { ok: false }> | null {
  if (!state) return { ok: false, reason: 'not_found' }
  if (ownerOnly && state.user_id !== userId) return { ok: false, reason: 'not_owner' }
  if (state.deleted_at !== null) return { ok: false, reason: 'deleted' }
  return null
}

/** Whether `userId` adding `emoji` would pass a cap, given the message's reactions so far (a cap of 0 is off). */
export function exceedsReactionCaps(rows: readonly Pick<ReactionRow, 'user_id' | 'emoji'>[], userId: string, emoji: string, caps: ReactionCaps): boolean {
  if (caps.perUser > 0 && rows.filter(row => row.user_id === userId).length >= caps.perUser) return true
  const emojis = new Set(rows.map(row => row.emoji))
  return caps.perMessage > 0 && !emojis.has(emoji) && emojis.size >= caps.perMessage
}
