import { errorMessage } from '#shared/protocol'
import type { ErrorCode } from '#shared/protocol'

/** A refusal that carries a protocol error code; the socket answers it with `error`, REST with an HTTP status. */
export class ChatError extends Error {
  constructor(readonly code: ErrorCode, message = errorMessage(code)) {
    super(message)
  }
}
