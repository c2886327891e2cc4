import { MAX_TEXT_LENGTH } from '#shared/protocol-limits'

/** The counter appears once this few characters are left. */
export const COUNTER_VISIBLE_WITHIN = 500

/** The key facts of a keydown that decide whether it sends. */
export type SendKeyEvent = Pick<KeyboardEvent, 'key' | 'shiftKey' | 'isComposing' | 'keyCode'>

/** Enter sends; Shift+Enter is a newline; Enter that confirms an IME candidate is neither (Safari reports it as keyCode 229). */
export function isSendKey(event: SendKeyEvent): boolean {
  return event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229
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
