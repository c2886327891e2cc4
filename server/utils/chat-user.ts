import type { H3Event } from 'h3'
import { errorMessage } from '#shared/error-codes'
import type { User } from '#shared/protocol'
import { httpError } from './request-input'
import { currentSession } from './session/session-user'

// Route-facing (auto-imported): who is asking.

/** The signed-in user of a request, or null. */
export async function currentUser(event: H3Event): Promise<User | null> {
  return (await currentSession(event))?.user ?? null
}

/** The signed-in user of a REST request; 401 otherwise. */
export async function requireChatUser(event: H3Event): Promise<User> {
  const user = await currentUser(event)
  if (!user) throw httpError(401, 'unauthorized', errorMessage('unauthorized'))
  return user
}
