import type { H3Event } from 'h3'
import type { User } from '#shared/protocol'
import { forgetTouch, shouldTouch } from './names'
import { useBanter } from './banter'

/** Anything nuxt-auth-utils can read a session cookie from: an H3 event or a WebSocket upgrade request. */
type SessionSource = H3Event | Request

/**
 * The signed-in user, or null. A sealed cookie alone is not enough: the user must still hold
 * their name, which they lose on sign-out or after 24 hours of inactivity.
 */
export async function currentUser(source: SessionSource): Promise<User | null> {
  const user = await readSessionUser(source)
  if (!user?.id || !user.name) return null
  const now = Date.now()
  if (shouldTouch(user.id, now) && !(await useBanter().storage.touchName(user.id, now))) {
    forgetTouch(user.id)
    return null
  }
  return { id: user.id, name: user.name }
}

async function readSessionUser(source: SessionSource) {
  if (isEvent(source)) return (await getUserSession(source)).user
  // During a WebSocket upgrade h3 cannot start a new session: a missing, expired or tampered
  // cookie makes getUserSession throw, and all of them simply mean "not signed in".
  try {
    return (await getUserSession(source as unknown as H3Event)).user
  }
  catch {
    return undefined
  }
}

/** The signed-in user of a REST request; 401 otherwise. */
export async function requireChatUser(event: H3Event): Promise<User> {
  const user = await currentUser(event)
  if (!user) throw createError({ statusCode: 401, statusMessage: 'Unauthorized', message: 'Sign in first.' })
  return user
}
