import * as v from 'valibot'
import { audit } from '#server/utils/accounts/audit'

const DeleteAccountSchema = v.object({ password: v.optional(v.pipe(v.string(), v.maxLength(1024))) })

/**
 * Deletes the signed-in account. Its messages stay in their rooms, shown as written by "Deleted user"; its
 * names, password, passkeys, sessions and memberships go, and its username stays reserved so nobody can
 * take it (or a look-alike) and appear as its author. The workspace owner cannot delete their account.
 */
export default defineChatHandler(async (event) => {
  const { account } = await requireChatSession(event)
  if (account.role === 'owner') throw httpError(403, 'forbidden', 'The workspace owner cannot delete their account.')
  const { password } = await readBodyAs(event, DeleteAccountSchema)
  const { storage, chat } = useBanter()
  const hash = await storage.passwordHashOf(account.id)
  if (hash && !(password !== undefined && await verifyPassword(hash, password))) {
    throw httpError(403, 'invalid_credentials', 'Confirm with your password.')
  }
  await storage.deleteAccount(account.id, Date.now())
  chat.closeUser(account.id, 1008, 'account deleted')
  await audit(account.id, 'account.deleted', 'user', account.id)
  await clearUserSession(event)
  setResponseStatus(event, 204)
  return null
})
