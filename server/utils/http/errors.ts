import type { ErrorCode } from '#shared/protocol'
import { errorMessage } from '#shared/protocol'
import { ChatError } from '../chat/chat-error'
import { isStorageUnavailable } from '../storage/unavailable'
import { httpError } from '../request-input'

/** HTTP status for each protocol error code that REST can produce. */
const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  unknown_room: 404,
  forbidden: 403,
  not_found: 404,
  not_owner: 403,
  message_deleted: 409,
  internal: 500,
}

export function chatErrorToHttp(error: unknown): unknown {
  if (isStorageUnavailable(error)) return httpError(503, 'unavailable', errorMessage('unavailable'))
  if (!(error instanceof ChatError)) return error
  return httpError(STATUS_BY_CODE[error.code] ?? 400, error.code, error.message)
}
