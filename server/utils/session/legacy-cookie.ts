import type { H3Event } from 'h3'
import { useBanter } from '../banter'
import type { ChatSession, SealedSession } from './sessions'
import { startSession } from './sessions'

/**
 * A cookie sealed before accounts existed carried the guest itself ({ user: { id, name } }). Its guest became
 * a guest account with the same id (storage/legacy-guests.ts); the first such cookie to come back, within its
 * old lifetime, is exchanged for a server-side session, once per account: a copy of it gets nothing.
 */
export async function convertLegacyCookie(event: H3Event, sealed: SealedSession): Promise<ChatSession | null> {
  const userId = sealed.user?.id
  if (!userId || typeof sealed.loggedInAt !== 'number') return null
  const now = Date.now()
  const maxAgeMs = Number(useRuntimeConfig(event).session.maxAge) * 1000
  if (sealed.loggedInAt + maxAgeMs <= now) return null
  const { storage } = useBanter()
  const account = await storage.accountById(userId)
  if (!account || account.role !== 'guest' || account.deletedAt !== null) return null
  if (!(await storage.claimLegacyConversion(userId, now))) return null
  return await startSession(event, account)
}
