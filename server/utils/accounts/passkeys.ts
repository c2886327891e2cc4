import { createHmac } from 'node:crypto'
import type { EventHandler, H3Error, H3Event } from 'h3'
import { isError } from 'h3'
import type { User } from '#shared/protocol'
import { useBanter } from '../banter'
import { httpError } from '../request-input'
import type { Account } from '../storage/account-types'
import type { Passkey } from '../storage/passkey-types'
import { isStorageUnavailable } from '../storage/unavailable'
import { log } from '../log/logger'

/** How long a ceremony may take between its two requests; the browser's own timeout is 60 s by default. */
export const CHALLENGE_TTL_MS = 5 * 60 * 1000

/** The three WebAuthn ceremonies banter runs, each on its own route. */
export type Ceremony = 'register' | 'sign-up' | 'authenticate'

/**
 * The `storeChallenge`/`getChallenge` pair of nuxt-auth-utils' handlers, kept in the database (every instance
 * reads it) under a key naming the ceremony and whom it is for, so a challenge issued to one user, or for one
 * ceremony, cannot complete another. `getChallenge` consumes it: each challenge answers one response.
 */
export function challengeStore(ceremony: Ceremony, subjectOf: (event: H3Event) => string) {
  const key = (event: H3Event, attemptId: string) => `${ceremony}:${subjectOf(event)}:${attemptId}`
  return {
    async storeChallenge(event: H3Event, challenge: string, attemptId: string) {
      await useBanter().storage.storeChallenge(key(event, attemptId), challenge, Date.now() + CHALLENGE_TTL_MS)
    },
    async getChallenge(event: H3Event, attemptId: string) {
      if (typeof attemptId !== 'string' || attemptId.length > 128) throw httpError(400, 'invalid_event', 'Invalid "attemptId".')
      const challenge = await useBanter().storage.takeChallenge(key(event, attemptId), Date.now())
      if (!challenge) throw httpError(400, 'invalid_event', 'This passkey request expired or was already answered: try again.')
      return challenge
    },
  }
}

/** What the browser needs to offer one of the account's credentials (allowCredentials, excludeCredentials). */
export const credentialDescriptor = (passkey: Passkey) => ({
  id: passkey.id,
  transports: passkey.transports as AuthenticatorTransport[],
})

/**
 * For a username with no passkeys (or no account), a credential id derived from it with the server's secret:
 * the same on every request and every instance, so the options answer does not tell whether the username exists.
 */
export function decoyCredential(usernameKey: string) {
  const secret = useRuntimeConfig().session.password
  return { id: createHmac('sha256', secret).update(`passkey-decoy:${usernameKey}`).digest('base64url'), transports: ['internal' as const] }
}

/** The refusal for a response that fails verification, whatever the library's reason. */
export const passkeyNotVerified = (): H3Error => httpError(401, 'invalid_credentials', 'That passkey could not be verified.')

/**
 * Passkeys make a sole factor, so the authenticator must have verified the user (PIN, fingerprint); nuxt-auth-utils
 * 0.5 passes `requireUserVerification: false` to @simplewebauthn (a TODO there), so the result is checked here.
 */
export function requireUserVerified(userVerified: boolean): void {
  if (!userVerified) throw httpError(401, 'invalid_credentials', 'Your device did not verify you (PIN, fingerprint or face): try again.')
}

/** Refuses accounts that may not hold or use passkeys: guests, deleted and suspended accounts. */
export function requirePasskeyHolder(account: Account | null, now = Date.now()): Account {
  if (!account || account.deletedAt !== null) throw passkeyNotVerified()
  if (account.suspendedUntil !== null && account.suspendedUntil > now) throw httpError(403, 'suspended', 'This account is suspended.')
  if (account.role === 'guest') throw httpError(403, 'forbidden', 'Guests cannot use passkeys: create an account first.')
  return account
}

/** The answer of a ceremony's second request, set by its onSuccess. */
const outcomes = new WeakMap<H3Event, { user: User }>()

export function setCeremonyOutcome(event: H3Event, user: User): void {
  outcomes.set(event, { user })
}

/**
 * Runs one of nuxt-auth-utils' WebAuthn handlers after `prepare` (which checks who is asking, outside the
 * library so its refusals keep their error codes). The library throws @simplewebauthn's plain errors for a
 * response that does not verify: those become 401 `invalid_credentials`; storage outages and our own refusals
 * pass through to defineChatHandler. The second request answers `{ verified: true, user }` rather than the
 * library's verification object (public keys and counters the browser has no use for).
 */
export function defineWebAuthnRoute(prepare: (event: H3Event) => Promise<void>, handler: EventHandler) {
  return defineChatHandler(async (event) => {
    await prepare(event)
    let answer: unknown
    try {
      answer = await handler(event)
    }
    catch (error) {
      if (isError(error) || isStorageUnavailable(error)) throw error
      log.info('passkey-refused', `passkey response refused: ${(error as Error).message}`)
      throw passkeyNotVerified()
    }
    const outcome = outcomes.get(event)
    return outcome ? { verified: true, user: outcome.user } : answer
  })
}
