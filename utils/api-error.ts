/**
 * The sentence to show for a failed `$fetch`. banter's API puts it in the body's `data.message`
 * (see server/utils/request-input.ts, httpError); h3 also copies it to the body's `message`.
 */
export function apiErrorMessage(error: unknown, fallback = 'Something went wrong. Please try again.'): string {
  const body = (error as { data?: { message?: unknown, data?: { message?: unknown } } } | null)?.data
  const message = body?.data?.message ?? body?.message
  return typeof message === 'string' && message.length > 0 ? message : fallback
}

/** The HTTP status of a failed `$fetch`, if it got an answer. */
export function apiErrorStatus(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode
  return typeof status === 'number' ? status : undefined
}
