import type { H3Event } from 'h3'
import { useBanter } from '../banter'
import { httpError } from '../request-input'

/**
 * Password guessing is slowed per account from each client address, per account from all addresses together,
 * and per address, in the database so every instance counts the same failures. A few failures are free; after
 * them each failure locks the key for twice as long as the last, up to a quarter of an hour. One address
 * guessing an account locks that account for itself only, so it cannot lock the owner out; the lock of the
 * account as a whole needs ten times the failures, which only guesses from many addresses reach. The account key
 * is the username's skeleton whether or not it exists, so the answer never tells which usernames are taken.
 */
const FREE_FAILURES = { accountFromAddress: 5, account: 50, address: 20 }
const FIRST_LOCK_MS = 1000
const MAX_LOCK_MS = 15 * 60 * 1000

export const accountKey = (usernameKey: string) => `user:${usernameKey}`
export const addressKey = (address: string) => `ip:${address}`
/** The account as guessed from one address: `user:<skeleton>@ip:<address>`. */
const accountFromAddressKey = (keys: { account: string, address: string }) => `${keys.account}@${keys.address}`

export function lockDuration(count: number, free: number): number {
  if (count <= free) return 0
  return Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** (count - free - 1))
}

/** Refuses (429 with Retry-After) while any of the three keys is locked. */
export async function requireNotLocked(event: H3Event, keys: { account: string, address: string }, now = Date.now()): Promise<void> {
  const { storage } = useBanter()
  const locks = await Promise.all([keys.account, accountFromAddressKey(keys), keys.address].map(key => storage.authFailures(key)))
  const until = Math.max(...locks.map(lock => lock?.lockedUntil ?? 0))
  if (until > now) {
    setResponseHeader(event, 'retry-after', Math.ceil((until - now) / 1000))
    throw httpError(429, 'too_many_attempts', 'Too many failed sign-ins: wait a while before trying again.')
  }
}

export async function recordFailure(keys: { account: string, address: string }, now = Date.now()): Promise<void> {
  const { storage } = useBanter()
  await storage.recordAuthFailure(accountFromAddressKey(keys), now, count => lockDuration(count, FREE_FAILURES.accountFromAddress))
  await storage.recordAuthFailure(keys.account, now, count => lockDuration(count, FREE_FAILURES.account))
  await storage.recordAuthFailure(keys.address, now, count => lockDuration(count, FREE_FAILURES.address))
}

/** A success forgives the account's failures; the address keeps its count (one address guessing many accounts). */
export async function recordSuccess(keys: { account: string, address: string }): Promise<void> {
  const { storage } = useBanter()
  await Promise.all([storage.clearAuthFailures(keys.account), storage.clearAuthFailures(accountFromAddressKey(keys))])
}
