import * as v from 'valibot'
import { requireSignInRate } from '#server/utils/accounts/sign-in-rate'
import { createGuest } from '#server/utils/accounts/accounts'
import { startSession } from '#server/utils/session/sessions'

const GuestSignInSchema = v.object({ name: v.pipe(v.string('A name is required.'), v.maxLength(256, 'A name is at most 32 characters.')) })

/**
 * Guest sign-in: takes a name nobody holds (nor a look-alike of one) and starts a new session for a new guest
 * account. startSession ends any session the browser had: signing in never continues an earlier cookie.
 */
export default defineChatHandler(async (event) => {
  await requireSignInRate(event)
  const { name } = await readBodyAs(event, GuestSignInSchema)
  const account = await createGuest(name)
  const session = await startSession(event, account)
  return { user: session.user }
})
