import * as v from 'valibot'
import type { H3Event } from 'h3'
import { audit } from '#server/utils/accounts/audit'
import { challengeStore, credentialDescriptor, defineWebAuthnRoute, requireUserVerified, setCeremonyOutcome } from '#server/utils/accounts/passkeys'
import { requireMay } from '#server/utils/accounts/policy'
import { describeDevice } from '#server/utils/session/device'
import type { Account } from '#server/utils/storage/account-types'
import type { User } from '#shared/protocol'

const AddPasskeySchema = v.object({
  verify: v.boolean(),
  // useWebAuthn sends only `user` along with the ceremony; its userName is ignored (the account is the session's).
  user: v.object({
    /** A label for the new passkey; by default the browser and system it was made on. */
    name: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(64, 'A passkey name is at most 64 characters.'))),
  }),
})

/** Who is adding a passkey: the signed-in account, never the user the body names. */
const adding = new WeakMap<H3Event, { account: Account, user: User, name?: string }>()
const accountOf = (event: H3Event) => adding.get(event)!.account

/** A signed-in member adds a passkey to their account (both steps of the ceremony: options, then the response). */
export default defineWebAuthnRoute(async (event) => {
  const { account, user } = await requireChatSession(event)
  requireMay(account, 'credentials.manage')
  const { user: { name } } = await readBodyAs(event, AddPasskeySchema)
  adding.set(event, { account, user, name })
}, defineWebAuthnRegisterEventHandler({
  ...challengeStore('register', event => accountOf(event).id),
  validateUser: (_body, event) => ({ userName: accountOf(event).username, displayName: accountOf(event).displayName }),
  getOptions: event => ({
    rpName: 'banter',
    // The authenticator then replaces an older passkey of this account instead of keeping both.
    userID: new TextEncoder().encode(accountOf(event).id),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  }),
  excludeCredentials: async event => (await useBanter().storage.passkeysOf(accountOf(event).id)).map(credentialDescriptor),
  async onSuccess(event, { credential, registrationInfo }) {
    requireUserVerified(registrationInfo.userVerified)
    const { account, user, name } = adding.get(event)!
    const added = await useBanter().storage.addPasskey({
      id: credential.id,
      userId: account.id,
      publicKey: credential.publicKey,
      counter: credential.counter,
      backedUp: credential.backedUp,
      transports: credential.transports ?? [],
      name: name || describeDevice(getRequestHeader(event, 'user-agent')),
      createdAt: Date.now(),
    })
    if (!added) throw httpError(409, 'name_taken', 'This passkey is already registered.')
    await audit(account.id, 'passkey.added', 'user', account.id, { passkey: credential.id })
    setCeremonyOutcome(event, user)
  },
}))
