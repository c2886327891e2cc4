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

/** The protocol's error code of a failed `$fetch` (`data.code`, see httpError), if the server sent one. */
export function apiErrorCode(error: unknown): string | undefined {
  const body = (error as { data?: { code?: unknown, data?: { code?: unknown } } } | null)?.data
  const code = body?.data?.code ?? body?.code
  return typeof code === 'string' ? code : undefined
}

/** Seconds the server asked to wait (the Retry-After header of a 429), if it said. */
export function retryAfterSeconds(error: unknown): number | undefined {
  const header = (error as { response?: { headers?: Headers } } | null)?.response?.headers?.get?.('retry-after')
  const seconds = header ? Number(header) : Number.NaN
  return Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds) : undefined
}

/** "in 1 second", "in 40 seconds", "in 3 minutes": how long until a retry may succeed. */
export function waitText(seconds: number): string {
  if (seconds < 60) return `in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}`
  const minutes = Math.ceil(seconds / 60)
  return `in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`
}

/** The server's sentence, and for a 429 `too_many_attempts` when to try again ("You can try again in 8 seconds."). */
export function signInErrorMessage(error: unknown, fallback: string): string {
  const message = apiErrorMessage(error, fallback)
  if (apiErrorCode(error) !== 'too_many_attempts') return message
  const seconds = retryAfterSeconds(error)
  return seconds === undefined ? message : `${message} You can try again ${waitText(seconds)}.`
}
