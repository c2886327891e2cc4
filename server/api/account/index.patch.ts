import * as v from 'valibot'
import { requireName } from '#server/utils/accounts/accounts'
import { checkDisplayName, checkUsername } from '#server/utils/accounts/name-rules'
import { publicUser } from '#server/utils/storage/account-rows'

const AccountChangeSchema = v.object({
  displayName: v.optional(v.pipe(v.string(), v.maxLength(256))),
  username: v.optional(v.pipe(v.string(), v.maxLength(256))),
})

/**
 * Changes the display name and/or username. The new names reach the user's open sockets on every instance
 * at once, so nothing is posted under the old name afterwards.
 */
export default defineChatHandler(async (event) => {
  const { account } = await requireChatSession(event)
  const body = await readBodyAs(event, AccountChangeSchema)
  const { storage, chat } = useBanter()
  const displayName = body.displayName === undefined ? undefined : requireName(checkDisplayName(body.displayName)).value
  const username = body.username === undefined ? undefined : requireName(checkUsername(body.username))
  const result = await storage.updateAccount(account.id, { displayName, username })
  if (result === 'taken') throw httpError(409, 'name_taken', `The username "${username!.value}" is taken, or looks like one that is.`)
  if (result === 'not_found') throw httpError(401, 'unauthorized', 'Sign in first.')
  const user = publicUser((await storage.accountById(account.id))!)
  chat.updateUser(user)
  return { user }
})
