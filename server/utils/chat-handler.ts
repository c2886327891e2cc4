import type { EventHandlerRequest, H3Event } from 'h3'
import { chatErrorToHttp } from './http/errors'

/**
 * An API route whose chat refusals (ChatError) and storage outages become HTTP errors carrying the
 * protocol's error code, in one place instead of a try/catch per route.
 */
export function defineChatHandler<T>(handler: (event: H3Event<EventHandlerRequest>) => Promise<T>) {
  return defineEventHandler(async (event) => {
    try {
      return await handler(event)
    }
    catch (error) {
      throw chatErrorToHttp(error)
    }
  })
}
