import { createHash, randomBytes } from 'node:crypto'
import { unsealSession } from 'h3'
import type { H3Event } from 'h3'
import type { User } from '#shared/protocol'
import { useBanter } from '../banter'
import type { Account } from '../storage/account-types'
import { publicUser } from '../storage/account-rows'
import { describeDevice } from './device'
import { clientAddress } from './client-address'
import { convertLegacyCookie } from './legacy-cookie'
import { UnsealCache } from './unseal-cache'
import { guestsAllowed } from '../accounts/workspace-settings'
import { log } from '../log/logger'

/** Anything nuxt-auth-utils can read a session cookie from: an H3 event or a WebSocket upgrade request. */
type SessionSource = H3Event | Request

/** A signed-in user, the server-side session they came with (its hash) and when it ends (epoch ms). */
export interface ChatSession {
  user: User
  account: Account
  sessionId: string
  expiresAt: number
}

/** The sealed cookie's content: the session's random id, and nothing else about the user. */
interface SealedSession {
  secure?: { sid?: string }
  /** Cookies sealed before accounts existed carried the user itself (see legacy-cookie.ts). */
  user?: { id?: string, name?: string }
  loggedInAt?: number
}

/** The database keeps only this hash of a session id: a copy of the table signs nobody in. */
export const hashSessionId = (sid: string): string => createHash('sha256').update(sid).digest('hex')

/** Last-seen times are written at most this often per session, so every request does not become a write. */
const TOUCH_INTERVAL_MS = 60 * 1000
const lastTouched = new Map<string, number>()

/**
 * The signed-in user's session, or null. The cookie only names a session: the database decides, on every
 * request and upgrade, whether it is still live (not revoked, not expired) and whose it is, so a sign-out,
 * a revocation or a ban is honoured at once on every instance, and a rename shows at once.
 */
export async function currentSession(source: SessionSource): Promise<ChatSession | null> {
  const sealed = await readSession(source)
  if (!sealed) return null
  const sid = sealed.secure?.sid
  if (sid) return await liveSession(hashSessionId(sid))
  return isEvent(source) ? await convertLegacyCookie(source, sealed) : null
}

/** The session with this hash when it is live and its user may still be here. */
export async function liveSession(idHash: string, now = Date.now()): Promise<ChatSession | null> {
  const { storage } = useBanter()
  const record = await storage.sessionByHash(idHash)
  if (!record || record.revokedAt !== null || record.expiresAt <= now) return null
  const account = await storage.accountById(record.userId)
  if (!account || account.deletedAt !== null) return null
  if (account.suspendedUntil !== null && account.suspendedUntil > now) return null
  if (account.role === 'guest' && !(await guestsAllowed())) return null
  if (shouldTouch(idHash, now)) await storage.touchSession(idHash, now)
  return { user: publicUser(account), account, sessionId: idHash, expiresAt: record.expiresAt }
}

function shouldTouch(idHash: string, now: number): boolean {
  const last = lastTouched.get(idHash)
  if (last !== undefined && now - last < TOUCH_INTERVAL_MS) return false
  if (lastTouched.size > 50_000) lastTouched.clear()
  lastTouched.set(idHash, now)
  return true
}

/**
 * Signs `account` in with a brand-new session: a new random id, a new cookie, never the id an earlier cookie
 * carried (a planted cookie must not make the victim's sign-in the attacker's session).
 */
export async function startSession(event: H3Event, account: Account): Promise<ChatSession> {
  await endPreviousSession(event)
  const now = Date.now()
  const sid = randomBytes(32).toString('base64url')
  const idHash = hashSessionId(sid)
  const maxAgeMs = Number(useRuntimeConfig(event).session.maxAge) * 1000
  const expiresAt = now + maxAgeMs
  await useBanter().storage.createSession({
    idHash,
    userId: account.id,
    createdAt: now,
    expiresAt,
    device: describeDevice(getRequestHeader(event, 'user-agent')),
    ip: clientAddress(event),
  })
  await replaceUserSession(event, { secure: { sid }, loggedInAt: now })
  log.info('sign-in', 'signed in', { userId: account.id, role: account.role, address: clientAddress(event) })
  return { user: publicUser(account), account, sessionId: idHash, expiresAt }
}

/** Signing in ends the session the browser had before, whoever's it was: one browser, one session. */
async function endPreviousSession(event: H3Event): Promise<void> {
  const sid = (await readSession(event))?.secure?.sid
  if (!sid) return
  const previous = await useBanter().storage.sessionByHash(hashSessionId(sid))
  if (previous) await endSessions(previous.userId, 'signed in again', { only: previous.idHash })
}

/** Revokes sessions of a user (all, one, or all but one) and closes their sockets on every instance. */
export async function endSessions(userId: string, reason: string, which?: { only?: string, except?: string }): Promise<string[]> {
  const { storage, chat } = useBanter()
  const revoked = await storage.revokeSessions(userId, Date.now(), which)
  chat.closeSessions(revoked, reason)
  return revoked
}

type SessionData = SealedSession
export type { SealedSession }

/**
 * Unsealed sessions by session cookie. Unsealing (key derivation, HMAC, AES) was most of what a WebSocket
 * upgrade allocated, and a reconnecting client sends the same cookie each time. Only the crypto is cached:
 * whether the session is live is read from the database each time. The key is the sealed value itself, the
 * only input of the unseal (nuxt.config turns off h3's session header, its other source).
 */
const unsealed = new UnsealCache<SessionData>(60_000, 10_000)

/**
 * The sealed cookie's content, read without ever writing a cookie: nuxt-auth-utils' getUserSession would start
 * a new session (and set its cookie) when the cookie is missing or forged, so a refused request would replace
 * whatever cookie the browser held. A missing, expired or tampered cookie simply means "not signed in".
 */
async function readSession(source: SessionSource): Promise<SessionData | null> {
  const config = useRuntimeConfig().session
  const header = isEvent(source) ? getRequestHeader(source, 'cookie') : source.headers.get('cookie')
  const sealed = cookieValue(header ?? '', config.name || 'nuxt-session')
  if (!sealed) return null
  return await unsealed.get(sealed, Date.now(), async () => {
    try {
      const session = await unsealSession(undefined as never, config as Parameters<typeof unsealSession>[1], sealed)
      return (session.data ?? null) as SessionData | null
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
