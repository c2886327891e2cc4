import { errorMessage } from '#shared/error-codes'
import * as v from 'valibot'
import { audit } from '#server/utils/accounts/audit'

/** A credential id as the browser encodes it (base64url); WebAuthn caps credential ids at 1023 bytes. */
const PasskeyIdSchema = v.pipe(v.string(), v.regex(/^[\w-]{1,1400}$/, 'a passkey id'))

/**
 * Removes one of the account's own passkeys (another user's is 404, as a missing one). The last one is kept
 * (409 `last_credential`) when the account has no password and no single sign-on: it would lock them out.
 */
export default defineChatHandler(async (event) => {
  const { account } = await requireChatSession(event)
  const id = parseParam(PasskeyIdSchema, getRouterParam(event, 'id'), 'passkey id')
  const mayRemoveLast = account.hasPassword || account.oidcSubject !== null
  const outcome = await useBanter().storage.removePasskey(account.id, id, mayRemoveLast)
  if (outcome === 'not_found') throw httpError(404, 'not_found', 'You have no such passkey.')
  if (outcome === 'last_credential') throw httpError(409, 'last_credential', errorMessage('last_credential'))
  await audit(account.id, 'passkey.removed', 'user', account.id, { passkey: id })
  setResponseStatus(event, 204)
  return null
})
