import * as v from 'valibot'
import { requireSignInRate } from '#server/utils/accounts/sign-in-rate'
import type { WebAuthnCredential } from '#auth-utils'
import { lookupUsername } from '#server/utils/accounts/name-rules'
import { challengeStore, credentialDescriptor, decoyCredential, defineWebAuthnRoute, passkeyNotVerified, requirePasskeyHolder, requireUserVerified, setCeremonyOutcome } from '#server/utils/accounts/passkeys'
import { startSession } from '#server/utils/session/sessions'

/** A stored passkey in the shape nuxt-auth-utils verifies against, with its owner. */
type PasskeyCredential = WebAuthnCredential & { userId: string }

const AuthenticateSchema = v.object({
  verify: v.boolean(),
  userName: v.optional(v.pipe(v.string(), v.maxLength(256))),
})

/**
 * Passkey sign-in, both steps. Without a username the browser offers any passkey it holds for this site
 * (discoverable credentials); with one, only that account's. Always a new session.
 */
export default defineWebAuthnRoute(async (event) => {
  // Both steps of a ceremony count: a passkey sign-in or sign-up is a sign-in like the others.
  await requireSignInRate(event)
  await readBodyAs(event, AuthenticateSchema)
}, defineWebAuthnAuthenticateEventHandler<PasskeyCredential>({
  ...challengeStore('authenticate', () => 'any'),
  getOptions: () => ({ userVerification: 'required' }),
  async allowCredentials(_event, userName) {
    const { storage } = useBanter()
    const username = lookupUsername(userName)
    const account = username.ok ? await storage.accountByUsernameKey(username.key) : null
    const passkeys = account && account.deletedAt === null ? await storage.passkeysOf(account.id) : []
    if (passkeys.length > 0) return passkeys.map(credentialDescriptor)
    return [decoyCredential(username.ok ? username.key : userName.slice(0, 64))]
  },
  async getCredential(_event, credentialId) {
    const passkey = typeof credentialId === 'string' ? await useBanter().storage.passkeyById(credentialId) : null
    if (!passkey) throw passkeyNotVerified()
    return { ...passkey, transports: passkey.transports as AuthenticatorTransport[] }
  },
  async onSuccess(event, { credential, authenticationInfo }) {
    requireUserVerified(authenticationInfo.userVerified)
    const { storage } = useBanter()
    const now = Date.now()
    const account = requirePasskeyHolder(await storage.accountById(credential.userId), now)
    await storage.markPasskeyUsed(credential.id, authenticationInfo.newCounter, now)
    const session = await startSession(event, account)
    setCeremonyOutcome(event, session.user)
  },
}))
