import * as v from 'valibot'
import { requireSignInRate } from '#server/utils/accounts/sign-in-rate'
import { registerAccount } from '#server/utils/accounts/accounts'
import { startSession } from '#server/utils/session/sessions'

const RegisterSchema = v.object({
  username: v.pipe(v.string('A username is required.'), v.maxLength(256)),
  displayName: v.optional(v.pipe(v.string(), v.maxLength(256))),
  password: v.pipe(v.string('A password is required.'), v.maxLength(1024)),
  invite: v.optional(v.pipe(v.string(), v.maxLength(256))),
})

/** Creates an account with a password and signs it in (a new session; the first account becomes the owner). */
export default defineChatHandler(async (event) => {
  await requireSignInRate(event)
  const body = await readBodyAs(event, RegisterSchema)
  const account = await registerAccount(body)
  const session = await startSession(event, account)
  setResponseStatus(event, 201)
  return { user: session.user, role: account.role }
})
