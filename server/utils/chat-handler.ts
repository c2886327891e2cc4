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
      throw toHttpError(error)
    }
  })
}
