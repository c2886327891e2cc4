import type { H3Event } from 'h3'
import { errorMessage } from '#shared/error-codes'
import type { User } from '#shared/protocol'
import { httpError } from './request-input'
import { useBanter } from './banter'
import { currentSession } from './session/sessions'
import type { ChatSession } from './session/sessions'
import { chatMetrics } from './metrics/metrics'

// Route-facing (auto-imported): who is asking.

/** The signed-in user of a request, or null. */
export async function currentUser(event: H3Event): Promise<User | null> {
  return (await currentSession(event))?.user ?? null
}

/**
 * The signed-in session of a REST request (user, account, session id); 401 otherwise. Each request takes a
 * token of the user's request rate (the rate of one socket's frames): 429 `rate_limited` past it.
 */
export async function requireChatSession(event: H3Event): Promise<ChatSession> {
  const session = await currentSession(event)
  if (!session) throw httpError(401, 'unauthorized', errorMessage('unauthorized'))
  const wait = useBanter().chat.requestRates.take(session.user.id)
  if (wait > 0) {
    chatMetrics.refused('requests')
    setResponseHeader(event, 'retry-after', Math.ceil(wait / 1000))
    const refusal = httpError(429, 'rate_limited', errorMessage('rate_limited'))
    refusal.data = { ...refusal.data!, retryAfter: wait }
    throw refusal
  }
  return session
}

/** The signed-in user of a REST request; 401 otherwise. */
export async function requireChatUser(event: H3Event): Promise<User> {
  return (await requireChatSession(event)).user
}
