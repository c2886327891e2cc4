import { randomUUID } from 'node:crypto'
import { errorMessage } from '#shared/error-codes'
import type { H3Event } from 'h3'
import { useBanter } from '../banter'
import { httpError } from '../request-input'
import type { Account } from '../storage/account-types'
import { clientAddress } from '../session/client-address'
import { checkDisplayName, checkUsername, lookupUsername, usernameFromDisplayName } from './name-rules'
import type { NameCheck } from './name-rules'
import { requireAcceptablePassword } from './passwords'
import { accountKey, addressKey, recordFailure, recordSuccess, requireNotLocked } from './sign-in-limits'
import { workspaceSettings } from './workspace-settings'
import { redeemInvite } from './invites'
import { audit } from './audit'

/** A name check's value, or a 400 `invalid_name` carrying its message. */
export function requireName(check: NameCheck): { value: string, key: string } {
  if (!check.ok) throw httpError(400, 'invalid_name', check.message)
  return check
}

export interface Registration {
  username: string
  displayName?: string
  /** Absent for accounts that sign in with a passkey or single sign-on only. */
  password?: string
  oidcSubject?: string
  invite?: string
}

/**
 * Creates a member account, subject to the registration mode (an invite for 'invite', nobody for 'closed'),
 * except the very first account of a fresh installation, which is always allowed and becomes its owner.
 */
export async function registerAccount(registration: Registration, now = Date.now()): Promise<Account> {
  const { storage } = useBanter()
  const username = requireName(checkUsername(registration.username))
  const displayName = requireName(checkDisplayName(registration.displayName?.trim() || username.value))
  if (registration.password !== undefined) requireAcceptablePassword(registration.password, username.value)
  const firstAccount = !(await hasOwner())
  if (!firstAccount) await requireRegistrationOpen(registration.invite, now)
  if (await storage.accountByUsernameKey(username.key)) {
    throw httpError(409, 'name_taken', `The username "${username.value}" is taken, or looks like one that is.`)
  }
  const account = await storage.createAccount({
    id: randomUUID(),
    username: username.value,
    usernameKey: username.key,
    displayName: displayName.value,
    role: 'member',
    passwordHash: registration.password === undefined ? null : await hashPassword(registration.password),
    oidcSubject: registration.oidcSubject ?? null,
    now,
    ownerIfFirst: true,
  })
  if (!account) throw httpError(409, 'name_taken', `The username "${username.value}" is taken, or looks like one that is.`)
  await audit(account.id, 'account.created', 'user', account.id, { role: account.role })
  return account
}

async function hasOwner(): Promise<boolean> {
  return (await useBanter().storage.listAccounts()).some(account => account.role === 'owner')
}

async function requireRegistrationOpen(invite: string | undefined, now: number): Promise<void> {
  const { registration } = await workspaceSettings()
  if (registration === 'open') return
  if (registration === 'closed') throw httpError(403, 'registration_closed', errorMessage('registration_closed'))
  // No link at all is not a bad link: the person needs to ask for one.
  if (!invite) throw httpError(403, 'invite_required', errorMessage('invite_required'))
  if (!(await redeemInvite(invite, now))) throw httpError(403, 'invalid_invite', errorMessage('invalid_invite'))
}

/** A guest: only a name, which becomes their display name, and as a username (made valid) what mentions use. */
export async function createGuest(name: string, now = Date.now()): Promise<Account> {
  if (!(await workspaceSettings()).guests) throw httpError(403, 'guests_disabled', 'This workspace does not take guests: sign in with an account.')
  const { storage } = useBanter()
  const displayName = requireName(checkDisplayName(name))
  const username = requireName(usernameFromDisplayName(displayName.value))
  const taken = () => httpError(409, 'name_taken', `The name "${displayName.value}" is in use, or looks like one that is. Pick another one.`)
  if (await storage.accountByUsernameKey(username.key)) throw taken()
  const account = await storage.createAccount({
    id: randomUUID(),
    username: username.value,
    usernameKey: username.key,
    displayName: displayName.value,
    role: 'guest',
    passwordHash: null,
    now,
    ownerIfFirst: false,
  })
  if (!account) throw taken()
  return account
}

/** A scrypt hash of a password nobody has, so an unknown username costs as much time as a wrong password. */
let decoyHash: Promise<string> | null = null

/**
 * The account these credentials belong to; 401 `invalid_credentials` otherwise, the same answer whether the
 * username exists or not. Failures are counted per account and per address (sign-in-limits.ts); a hash made
 * with older parameters is replaced on success.
 */
export async function verifyCredentials(event: H3Event, usernameInput: string, password: string): Promise<Account> {
  const { storage } = useBanter()
  const username = lookupUsername(usernameInput)
  const keys = { account: accountKey(username.ok ? username.key : usernameInput.slice(0, 64)), address: addressKey(clientAddress(event)) }
  await requireNotLocked(event, keys)
  const account = username.ok ? await storage.accountByUsernameKey(username.key) : null
  const hash = account && account.deletedAt === null ? await storage.passwordHashOf(account.id) : null
  const valid = hash ? await verifyPassword(hash, password) : await verifyPassword(await (decoyHash ??= hashPassword(randomUUID())), password)
  if (!account || !hash || !valid) {
    await recordFailure(keys)
    throw httpError(401, 'invalid_credentials', 'Wrong username or password.')
  }
  await recordSuccess(keys)
  if (passwordNeedsReHash(hash)) await storage.updateAccount(account.id, { passwordHash: await hashPassword(password) })
  return account
}

/** Refuses a suspended or banned account (they may not sign in), with when it ends. */
export function requireNotSuspended(account: Account, now = Date.now()): void {
  if (account.suspendedUntil === null || account.suspendedUntil <= now) return
  throw httpError(403, 'suspended', 'This account is suspended.')
}
