/** Reconnect delays: exponential growth with full jitter, so a crowd of clients does not reconnect in step. */
export interface BackoffOptions {
  baseMs: number
  capMs: number
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, capMs: 20_000 }

/** The ceiling of the delay before attempt `attempt` (0-based): base * 2^attempt, capped. */
export function backoffCeiling(attempt: number, { baseMs, capMs }: BackoffOptions = DEFAULT_BACKOFF): number {
  return Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30))
}

/** A delay drawn uniformly from [0, ceiling): "full jitter" from the AWS architecture blog. */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random = Math.random): number {
  return Math.floor(random() * backoffCeiling(attempt, options))
}
