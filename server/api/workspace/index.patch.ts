import * as v from 'valibot'
import { REGISTRATION_MODES } from '#shared/workspace-admin'
import { requireMay } from '#server/utils/accounts/policy'
import { configureWorkspace } from '#server/utils/accounts/workspace-admin'

const SettingsChangeSchema = v.pipe(
  v.object({
    guests: v.optional(v.boolean('guests must be true or false.')),
    registration: v.optional(v.picklist(REGISTRATION_MODES, 'registration must be open, invite or closed.')),
  }),
  v.check(changes => changes.guests !== undefined || changes.registration !== undefined, 'Change guests, registration or both.'),
)

/** Turns guests on or off and sets the registration mode; turning guests off ends guest sessions everywhere. */
export default defineChatHandler(async (event) => {
  const { account } = await requireChatSession(event)
  requireMay(account, 'workspace.configure')
  const changes = await readBodyAs(event, SettingsChangeSchema)
  return await configureWorkspace(account, changes)
})
