/**
 * What text and ids the protocol accepts: message text, client and message ids, reaction emoji.
 * Shared by the socket, REST and both storages, so text is refused the same way before it reaches either.
 */
import * as v from 'valibot'
import type { ErrorCode } from './error-codes'
import { MAX_TEXT_LENGTH } from './protocol-limits'

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001F\u007F-\u009F]/
/** An id: printable characters only (PostgreSQL cannot store a NUL byte, and a log line must stay one line). */
const IdSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(64), v.check(id => !CONTROL_CHARACTERS.test(id), 'no control characters'))
/** A client-chosen id for one message, so a retry can be recognised. */
export const ClientIdSchema = IdSchema

/**
 * A new message's text, which may be empty (blank) when the message carries attachments: the chat checks
 * that it then does. The issue messages are error codes so callers can map them.
 */
export const MessageTextSchema = v.pipe(
  v.string(),
  // A lone surrogate is valid JSON but not text: storage would turn it into U+FFFD and history would differ from the live event.
  v.check(text => isWellFormed(text) && !hasForbiddenControl(text) && !hasMarkPileUp(text), 'invalid_text' satisfies ErrorCode),
  v.check(text => countCodePoints(text) <= MAX_TEXT_LENGTH, 'text_too_long' satisfies ErrorCode),
)

/** Text that must say something: an edit, or a message without attachments. */
export const ChatTextSchema = v.pipe(
  MessageTextSchema,
  v.check(text => text.trim().length > 0, 'empty_text' satisfies ErrorCode),
)

/** Control characters other than tab, newline and carriage return: a NUL cannot even be stored by PostgreSQL. */
function hasForbiddenControl(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text)
}

/** The most combining marks one character may carry: more pile up and draw over the lines around the message. */
export const MAX_COMBINING_MARKS = 8

// Built once: it runs on every message.
const MARK_PILE_UP = new RegExp(`\\p{M}{${MAX_COMBINING_MARKS + 1}}`, 'u')

function hasMarkPileUp(text: string): boolean {
  return MARK_PILE_UP.test(text)
}

function isWellFormed(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)
}

function countCodePoints(text: string): number {
  if (text.length <= MAX_TEXT_LENGTH) return text.length
  let count = 0
  for (const _ of text) count++
  return count
}

/** An emoji reaction: exactly one emoji (a sequence such as 👩‍💻 or 👍🏽 counts as one), nothing else. */
export const EmojiSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(32), v.regex(/^(?:\p{RGI_Emoji}|\p{Extended_Pictographic}\uFE0F?)$/v, 'one emoji'))
/** A stored message's id (server-made; a client only echoes one back). */
export const MessageIdSchema = IdSchema
