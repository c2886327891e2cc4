import type { H3Event } from 'h3'
import { useBanter } from '../banter'
import { httpError } from '../request-input'

/**
 * Password guessing is slowed per account and per client address, in the database so every instance counts
 * the same failures. A few failures are free; after them each failure locks the key for twice as long as the
 * last, up to a quarter of an hour. The account key is the username's skeleton whether or not it exists, so
 * the answer never tells which usernames are taken.
 */
const FREE_FAILURES = { account: 5, address: 20 }
const FIRST_LOCK_MS = 1000
const MAX_LOCK_MS = 15 * 60 * 1000

export const accountKey = (usernameKey: string) => `user:${usernameKey}`
export const addressKey = (address: string) => `ip:${address}`

export function lockDuration(count: number, free: number): number {
  if (count <= free) return 0
  return Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** (count - free - 1))
}

/** Refuses (429 with Retry-After) while either key is locked. */
export async function requireNotLocked(event: H3Event, keys: { account: string, address: string }, now = Date.now()): Promise<void> {
  const { storage } = useBanter()
  const [account, address] = await Promise.all([storage.authFailures(keys.account), storage.authFailures(keys.address)])
  const until = Math.max(account?.lockedUntil ?? 0, address?.lockedUntil ?? 0)
  if (until > now) {
    setResponseHeader(event, 'retry-after', Math.ceil((until - now) / 1000))
    throw httpError(429, 'too_many_attempts', 'Too many failed sign-ins: wait a while before trying again.')
  }
}

export async function recordFailure(keys: { account: string, address: string }, now = Date.now()): Promise<void> {
  const { storage } = useBanter()
  await storage.recordAuthFailure(keys.account, now, count => lockDuration(count, FREE_FAILURES.account))
  await storage.recordAuthFailure(keys.address, now, count => lockDuration(count, FREE_FAILURES.address))
}

/** A success forgives the account's failures; the address keeps its count (one address guessing many accounts). */
export async function recordSuccess(keys: { account: string }): Promise<void> {
  await useBanter().storage.clearAuthFailures(keys.account)
}
