import { requireMay } from '#server/utils/accounts/policy'
import { listInviteViews } from '#server/utils/accounts/invites'

/** Every invite link, newest first, with who made it and whether it still works (never a token). */
export default defineChatHandler(async (event) => {
  const { account } = await requireChatSession(event)
  requireMay(account, 'invites.manage')
  return { invites: await listInviteViews() }
})
