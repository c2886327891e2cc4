import * as v from 'valibot'
import { requireMay } from '#server/utils/accounts/policy'
import { requireAcceptablePassword } from '#server/utils/accounts/passwords'
import { endSessions } from '#server/utils/session/sessions'

const PasswordChangeSchema = v.object({
  /** Required when the account has a password already. */
  current: v.optional(v.pipe(v.string(), v.maxLength(1024))),
  password: v.pipe(v.string('A new password is required.'), v.maxLength(1024)),
})

/** Sets or changes the password; every other session of the account ends (their sockets close with 1008). */
export default defineChatHandler(async (event) => {
  const { account, sessionId } = await requireChatSession(event)
  requireMay(account, 'credentials.manage')
  const { current, password } = await readBodyAs(event, PasswordChangeSchema)
  const { storage } = useBanter()
  const hash = await storage.passwordHashOf(account.id)
  if (hash && !(current !== undefined && await verifyPassword(hash, current))) {
    throw httpError(403, 'invalid_credentials', 'The current password is wrong.')
  }
  requireAcceptablePassword(password, account.username)
  await storage.updateAccount(account.id, { passwordHash: await hashPassword(password) })
  const ended = await endSessions(account.id, 'password changed', { except: sessionId })
  return { endedSessions: ended.length }
})
