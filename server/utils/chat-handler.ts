import type { EventHandlerRequest, H3Event } from 'h3'
import { toHttpError } from './http/errors'

// Route-facing (auto-imported): how every route in server/api is defined.

/**
 * An API route whose every failure is an HTTP error carrying the protocol's error code (see `toHttpError`):
 * chat refusals (ChatError), storage outages (503 `unavailable`) and bugs (500 `internal`) are mapped here,
 * in one place instead of a try/catch per route.
 */
export function defineChatHandler<T>(handler: (event: H3Event<EventHandlerRequest>) => Promise<T>) {
  return defineEventHandler(async (event) => {
    try {
      return await handler(event)
    }
    catch (error) {
      const refusal = toHttpError(error)
      // A refusal that says when to try again (rate_limited, slow_mode) says it in HTTP's words too.
      const retryAfter = (refusal.data as { retryAfter?: number } | undefined)?.retryAfter
      if (retryAfter !== undefined) setResponseHeader(event, 'retry-after', Math.max(1, Math.ceil(retryAfter / 1000)))
      throw refusal
    }
  })
}
