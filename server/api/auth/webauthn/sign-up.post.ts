import * as v from 'valibot'
import { requireSignInRate } from '#server/utils/accounts/sign-in-rate'
import type { H3Event } from 'h3'
import { audit } from '#server/utils/accounts/audit'
import { registerAccount, requireName } from '#server/utils/accounts/accounts'
import { checkDisplayName, checkUsername } from '#server/utils/accounts/name-rules'
import { challengeStore, defineWebAuthnRoute, requireUserVerified, setCeremonyOutcome } from '#server/utils/accounts/passkeys'
import { describeDevice } from '#server/utils/session/device'
import { startSession } from '#server/utils/session/sessions'

const SignUpSchema = v.object({
  verify: v.boolean(),
  user: v.object({
    userName: v.pipe(v.string('A username is required.'), v.maxLength(256)),
    displayName: v.optional(v.pipe(v.string(), v.maxLength(256))),
    // In `user`: useWebAuthn sends only the user object along with the ceremony.
    invite: v.optional(v.pipe(v.string(), v.maxLength(256))),
  }),
})

interface SignUp {
  username: { value: string, key: string }
  displayName: string
  invite?: string
}
const signingUp = new WeakMap<H3Event, SignUp>()
const signUpOf = (event: H3Event) => signingUp.get(event)!

/**
 * A new account with a passkey and no password: a username and a display name, checked before the
 * authenticator is asked; the account is created (registration mode and first-owner rule included) only
 * once its passkey verified, and signs in with a new session.
 */
export default defineWebAuthnRoute(async (event) => {
  // Both steps of a ceremony count: a passkey sign-in or sign-up is a sign-in like the others.
  await requireSignInRate(event)
  const { user } = await readBodyAs(event, SignUpSchema)
  const username = requireName(checkUsername(user.userName))
  const displayName = requireName(checkDisplayName(user.displayName?.trim() || username.value)).value
  if (await useBanter().storage.accountByUsernameKey(username.key)) {
    throw httpError(409, 'name_taken', `The username "${username.value}" is taken, or looks like one that is.`)
  }
  signingUp.set(event, { username, displayName, invite: user.invite })
}, defineWebAuthnRegisterEventHandler({
  // Bound to the username: the second request cannot finish a ceremony begun for another name.
  ...challengeStore('sign-up', event => signUpOf(event).username.key),
  validateUser: (_body, event) => ({ userName: signUpOf(event).username.value, displayName: signUpOf(event).displayName }),
  getOptions: () => ({ rpName: 'banter', authenticatorSelection: { residentKey: 'required', userVerification: 'required' } }),
  async onSuccess(event, { credential, registrationInfo }) {
    requireUserVerified(registrationInfo.userVerified)
    const { storage } = useBanter()
    if (await storage.passkeyById(credential.id)) throw httpError(409, 'name_taken', 'This passkey is already registered.')
    const { username, displayName, invite } = signUpOf(event)
    const account = await registerAccount({ username: username.value, displayName, invite })
    await storage.addPasskey({
      id: credential.id,
      userId: account.id,
      publicKey: credential.publicKey,
      counter: credential.counter,
      backedUp: credential.backedUp,
      transports: credential.transports ?? [],
      name: describeDevice(getRequestHeader(event, 'user-agent')),
      createdAt: Date.now(),
    })
    await audit(account.id, 'passkey.added', 'user', account.id, { passkey: credential.id })
    const session = await startSession(event, account)
    setResponseStatus(event, 201)
    setCeremonyOutcome(event, session.user)
  },
}))
