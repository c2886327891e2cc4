import { isError } from 'h3'
import type { H3Error } from 'h3'
import type { ErrorCode } from '#shared/error-codes'
import { errorMessage } from '#shared/error-codes'
import { ChatError } from '../chat/chat-error'
import { isStorageUnavailable } from '../storage/unavailable'
import { httpError } from '../request-input'
import { errorAtMostEveryMinute, warnAtMostEveryMinute } from './throttled-log'

/** HTTP status for each chat refusal (ChatError) that REST can meet; any other refusal is a 400. */
const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  unknown_room: 404,
  forbidden: 403,
  not_found: 404,
  not_owner: 403,
  message_deleted: 409,
  reaction_limit: 409,
  pin_limit: 409,
  reply_not_found: 404,
  attachment_not_found: 404,
  attachment_in_use: 409,
  too_many_attachments: 400,
  room_limit: 403,
  slow_mode: 429,
  rate_limited: 429,
  last_owner: 409,
  file_too_large: 413,
  file_type_mismatch: 415,
  unavailable: 503,
  internal: 500,
}

/**
 * Whatever a route threw, as the HTTP error it answers: refusals already made by `httpError` pass unchanged,
 * a ChatError keeps its code, an unreachable database is 503 `unavailable`, and anything else is logged and
 * answered 500 `internal`, so every REST error body carries a code of ERROR_CODES.
 */
export function toHttpError(error: unknown): H3Error {
  if (isError(error)) return error
  if (error instanceof ChatError) {
    const refusal = httpError(STATUS_BY_CODE[error.code] ?? 400, error.code, error.message)
    if (error.retryAfter !== undefined) refusal.data = { ...refusal.data!, retryAfter: error.retryAfter }
    return refusal
  }
  if (isStorageUnavailable(error)) {
    warnAtMostEveryMinute('storage-unavailable', `storage unavailable: ${(error as Error).message}`)
    return httpError(503, 'unavailable', errorMessage('unavailable'))
  }
  // One line per kind of failure a minute: a request repeated in a loop must not flood the log.
  errorAtMostEveryMinute(`request-failed:${error instanceof Error ? error.message : String(error)}`, 'failed to answer a request', error)
  return httpError(500, 'internal', errorMessage('internal'))
}
