import type { ChatMessage } from '#shared/protocol'
import { MAX_TEXT_LENGTH } from '#shared/protocol-limits'
import { inRoomTimeline } from './timeline'

/** The counter appears once this few characters are left. */
export const COUNTER_VISIBLE_WITHIN = 500

/** The key facts of a keydown that decide whether it sends. */
export type SendKeyEvent = Pick<KeyboardEvent, 'key' | 'shiftKey' | 'isComposing' | 'keyCode'>

/** Enter sends; Shift+Enter is a newline; Enter that confirms an IME candidate is neither (Safari reports it as keyCode 229). */
export function isSendKey(event: SendKeyEvent): boolean {
  return event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229
}

/** Arrow Up alone (no modifier, no IME composition): in an empty composer, "edit my last message". */
export function isEditLastKey(event: Pick<KeyboardEvent, 'key' | 'shiftKey' | 'altKey' | 'ctrlKey' | 'metaKey' | 'isComposing'>): boolean {
  return event.key === 'ArrowUp' && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey && !event.isComposing
}

/** Length as the server counts it: Unicode code points, so an emoji is one. */
export function countCharacters(text: string): number {
  return Array.from(text).length
}

/** Whether the composer can send this text: not blank (unless files go with it) and within the limit. */
export function canSend(text: string, max = MAX_TEXT_LENGTH, withFiles = false): boolean {
  return (withFiles || text.trim().length > 0) && countCharacters(text) <= max
}

/** Whether to show the "N left" counter: only near (or past) the limit. */
export function isNearLimit(length: number, max = MAX_TEXT_LENGTH): boolean {
  return length >= max - COUNTER_VISIBLE_WITHIN
}

/**
 * The message Arrow Up in an empty composer opens for editing: the viewer's newest one that is not deleted among
 * those `shown` where the composer is (by default the room's timeline, where thread-only replies are not).
 */
export function lastEditable<M extends Pick<ChatMessage, 'user' | 'deletedAt' | 'threadId' | 'alsoToRoom'>>(
  messages: readonly M[],
  userId: string | undefined,
  shown: (message: M) => boolean = inRoomTimeline,
): M | undefined {
  if (userId === undefined) return undefined
  return messages.findLast(message => message.user.id === userId && !message.deletedAt && shown(message))
}

/** What Arrow Up asks for: a message's editor in the room's timeline, or in the thread panel. */
export interface EditRequest {
  id: string
  inThread: boolean
}
