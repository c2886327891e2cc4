import * as v from 'valibot'
import { REGISTRATION_MODES } from '#shared/workspace-admin'
import { NotificationLevelSchema } from '#shared/notification-levels'
import { requireMay } from '#server/utils/accounts/policy'
import { configureWorkspace } from '#server/utils/accounts/workspace-admin'

const SettingsChangeSchema = v.pipe(
  v.object({
    guests: v.optional(v.boolean('guests must be true or false.')),
    registration: v.optional(v.picklist(REGISTRATION_MODES, 'registration must be open, invite or closed.')),
    notificationLevel: v.optional(NotificationLevelSchema),
  }),
  v.check(changes => Object.values(changes).some(value => value !== undefined), 'Change guests, registration or the notification level.'),
)

/** Turns guests on or off, sets the registration mode and the default notification level; turning guests off ends guest sessions everywhere. */
export default defineChatHandler(async (event) => {
  const { account } = await requireChatSession(event)
  requireMay(account, 'workspace.configure')
  const changes = await readBodyAs(event, SettingsChangeSchema)
  return await configureWorkspace(account, changes)
})
