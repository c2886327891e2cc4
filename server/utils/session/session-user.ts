import type { H3Event } from 'h3'
import type { User } from '#shared/protocol'
import { forgetTouch, shouldTouch } from './names'
import { useBanter } from '../banter'
import { UnsealCache } from './unseal-cache'

/** Anything nuxt-auth-utils can read a session cookie from: an H3 event or a WebSocket upgrade request. */
type SessionSource = H3Event | Request

/** A signed-in user and when their session ends (epoch ms). */
export interface ChatSession {
  user: User
  expiresAt: number
}

/**
 * The signed-in user's session, or null. A sealed cookie alone is not enough: the user must still
 * hold their name, which they lose on sign-out or after 24 hours of inactivity.
 */
export async function currentSession(source: SessionSource): Promise<ChatSession | null> {
  const session = await readSession(source)
  const user = session?.user
  if (!user?.id || !user.name) return null
  const now = Date.now()
  if (shouldTouch(user.id, now) && !(await useBanter().storage.touchName(user.id, now))) {
    forgetTouch(user.id)
    return null
  }
  const maxAgeMs = Number(useRuntimeConfig().session.maxAge) * 1000
  const loggedInAt = Number(session?.loggedInAt ?? now)
  const expiresAt = maxAgeMs > 0 ? loggedInAt + maxAgeMs : Number.POSITIVE_INFINITY
  // A cached unseal may outlive the seal by up to a minute: the session's own end still holds.
  if (expiresAt <= now) return null
  return { user: { id: user.id, name: user.name }, expiresAt }
}

type SessionData = Awaited<ReturnType<typeof getUserSession>>

/**
 * Unsealed upgrade sessions by session cookie. Unsealing (key derivation, HMAC, AES) was most of what a
 * WebSocket upgrade allocated, and a reconnecting client sends the same cookie each time. Only the crypto is
 * cached: the name check in `currentSession` and the session's end apply as before. The key is the sealed
 * value itself, the only input of the unseal (nuxt.config turns off h3's session header, its other source).
 */
const unsealed = new UnsealCache<SessionData>(60_000, 10_000)

async function readSession(source: SessionSource) {
  if (isEvent(source)) return await getUserSession(source)
  const sessionName = useRuntimeConfig().session.name || 'nuxt-session'
  const sealed = cookieValue(source.headers.get('cookie') ?? '', sessionName)
  if (!sealed) return null
  return await unsealed.get(sealed, Date.now(), async () => {
    // During a WebSocket upgrade h3 cannot start a new session: a missing, expired or tampered
    // cookie makes getUserSession throw, and all of them simply mean "not signed in".
    try {
      return await getUserSession(source as unknown as H3Event)
    }
    catch {
      return null
    }
  })
}

/** The value of cookie `name` in a Cookie header, or null. */
function cookieValue(header: string, name: string): string | null {
  for (const part of header.split(';')) {
    const equals = part.indexOf('=')
    if (equals !== -1 && part.slice(0, equals).trim() === name) return part.slice(equals + 1).trim()
  }
  return null
}
