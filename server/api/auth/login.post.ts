import * as v from 'valibot'
import { requireSignInRate } from '#server/utils/accounts/sign-in-rate'
import { requireNotSuspended, verifyCredentials } from '#server/utils/accounts/accounts'
import { startSession } from '#server/utils/session/sessions'

const LoginSchema = v.object({
  username: v.pipe(v.string('A username is required.'), v.maxLength(256)),
  password: v.pipe(v.string('A password is required.'), v.maxLength(1024)),
})

/** Password sign-in: always a new session, never the one an earlier cookie named. */
export default defineChatHandler(async (event) => {
  await requireSignInRate(event)
  const { username, password } = await readBodyAs(event, LoginSchema)
  const account = await verifyCredentials(event, username, password)
  requireNotSuspended(account)
  const session = await startSession(event, account)
  return { user: session.user, role: account.role }
})
