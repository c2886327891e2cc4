import { errorMessage } from '#shared/error-codes'
import type { ErrorCode } from '#shared/error-codes'

/** A refusal that carries a protocol error code; the socket answers it with `error`, REST with an HTTP status. */
export class ChatError extends Error {
  constructor(
    readonly code: ErrorCode,
    message = errorMessage(code),
    /** Milliseconds until the same request would be accepted (`slow_mode`). */
    readonly retryAfter?: number,
  ) {
    super(message)
  }
}
