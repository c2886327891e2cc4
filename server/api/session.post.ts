import * as v from 'valibot'
import { randomUUID } from 'node:crypto'
import { UserNameSchema } from '#shared/protocol'
import { NAME_HOLD_MS } from '#server/utils/session/names'

const SignInSchema = v.object({ name: UserNameSchema })

/** Guest sign-in: claims a display name and seals the user into the session cookie. */
export default defineChatHandler(async (event) => {
  const { name } = await readBodyAs(event, SignInSchema)
  const { storage } = useBanter()
  // Signing in again under another name gives up the old one; the same browser keeps its id.
  const previous = await currentUser(event)
  const id = previous?.id ?? randomUUID()
  const now = Date.now()
  if (!(await storage.claimName(name, id, now, now - NAME_HOLD_MS))) {
    throw httpError(409, 'name_taken', `The name "${name}" is in use. Pick another one.`)
  }
  const user = { id, name }
  await replaceUserSession(event, { user, loggedInAt: now })
  return { user }
})
