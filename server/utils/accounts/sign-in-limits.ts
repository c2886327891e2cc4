import type { H3Event } from 'h3'
import ipaddr from 'ipaddr.js'
import { useBanter } from '../banter'
import { httpError } from '../request-input'

/**
 * Password guessing is slowed per account from each client address, per account from all addresses together,
 * and per address, in the database so every instance counts the same failures. A few failures are free; after
 * them each failure locks the key for twice as long as the last, up to a quarter of an hour. One address
 * guessing an account locks that account for itself only, so it cannot lock the owner out; the lock of the
 * account as a whole needs fifty failures, of which one address counts its first five only. The account key
 * is the username's skeleton whether or not it exists, so the answer never tells which usernames are taken.
 */
const FREE_FAILURES = { accountFromAddress: 5, account: 50, address: 20 }
const FIRST_LOCK_MS = 1000
const MAX_LOCK_MS = 15 * 60 * 1000

export const accountKey = (usernameKey: string) => `user:${usernameKey}`
/** An IPv6 client counts by its /64, what one subscriber is usually given: else each of its addresses had its own free failures. */
export const addressKey = (address: string) => `ip:${networkOf(address)}`

function networkOf(address: string): string {
  if (!ipaddr.isValid(address)) return address
  const parsed = ipaddr.process(address)
  if (parsed.kind() === 'ipv4') return parsed.toString()
  return `${(parsed as ipaddr.IPv6).parts.slice(0, 4).map(part => part.toString(16)).join(':')}::/64`
}
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
  const fromAddress = await storage.recordAuthFailure(accountFromAddressKey(keys), now, count => lockDuration(count, FREE_FAILURES.accountFromAddress))
  // Only an address's free failures count for the account as a whole: one address, however patient, adds at
  // most five, so locking the account everywhere takes ten addresses (networks, for IPv6).
  if (fromAddress.count <= FREE_FAILURES.accountFromAddress) {
    await storage.recordAuthFailure(keys.account, now, count => lockDuration(count, FREE_FAILURES.account))
  }
  await storage.recordAuthFailure(keys.address, now, count => lockDuration(count, FREE_FAILURES.address))
}

/** A success forgives the account's failures; the address keeps its count (one address guessing many accounts). */
export async function recordSuccess(keys: { account: string, address: string }): Promise<void> {
  const { storage } = useBanter()
  await Promise.all([storage.clearAuthFailures(keys.account), storage.clearAuthFailures(accountFromAddressKey(keys))])
}
